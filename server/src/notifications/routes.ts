/** The bell over REST: the list and unread count, marking read. Live updates go out through realtime/. */
import { Router } from 'express';
import { MarkNotificationsReadRequestSchema, type NotificationsResponse, type UnreadCountResponse } from '@jane/shared';
import { requireUser } from '../auth/requestUser.js';
import { parseOrThrow } from '../validation.js';
import type { NotificationService } from './service.js';

export function notificationRoutes(notifications: NotificationService): Router {
  const router = Router();

  router.get('/notifications', async (req, res) => {
    const answer: NotificationsResponse = await notifications.list(requireUser(req));
    res.json(answer);
  });

  router.post('/notifications/read', async (req, res) => {
    const user = requireUser(req);
    const { ids } = parseOrThrow(MarkNotificationsReadRequestSchema, req.body ?? {}, 'request');
    res.json({ unreadCount: await notifications.markRead(user, ids ?? null) } satisfies UnreadCountResponse);
  });

  return router;
}

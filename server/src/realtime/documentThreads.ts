/**
 * Live comment threads: a connection watching a document (access checked) is in the
 * document's room and receives its thread events; notifications go to the person's
 * own room, so every tab's bell updates.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { IdSchema } from '@jane/shared';
import type { CommentService } from '../comments/service.js';
import type { NotificationService } from '../notifications/service.js';
import { UnauthorizedError } from '../errors.js';
import { requireDocumentAccess } from '../policies/authorize.js';
import type { Store } from '../storage/port.js';
import { parseOrThrow } from '../validation.js';
import { answer } from './acks.js';
import { documentRoom, userRoom, workspaceRoom, type RealtimeIO, type RealtimeSocket } from './types.js';

const DocumentRefSchema = z.strictObject({ documentId: IdSchema });
/** Documents one connection may watch at once. */
const MAX_WATCHED = 20;

export function registerDocumentThreads(socket: RealtimeSocket, store: Store, comments: CommentService, logger: Logger): void {
  socket.on('document:watch', (request, ack) =>
    answer(ack, logger, async () => {
      const { documentId } = parseOrThrow(DocumentRefSchema, request, 'document');
      const user = await store.users.findById(socket.data.userId);
      if (!user || !user.active) throw new UnauthorizedError('Your session has ended. Sign in again.');
      const { workspace } = await requireDocumentAccess(store, user, documentId);
      const watched = socket.data.watched;
      if (!(documentId in watched) && Object.keys(watched).length >= MAX_WATCHED) {
        const oldest = Object.keys(watched)[0]!;
        delete watched[oldest];
        socket.leave(documentRoom(oldest));
      }
      watched[documentId] = workspace.id;
      socket.join(documentRoom(documentId));
      return { threads: await comments.listForDocument(user, documentId) };
    }),
  );
  socket.on('document:unwatch', (request, ack) =>
    answer(ack, logger, async () => {
      const { documentId } = parseOrThrow(DocumentRefSchema, request, 'document');
      delete socket.data.watched[documentId];
      socket.leave(documentRoom(documentId));
      return null;
    }),
  );
}

/** Sends the comment service's events to the right rooms. */
export function relayCommentEvents(io: RealtimeIO, comments: CommentService): void {
  // Document watchers and the workspace's members; a socket in both rooms gets it once.
  comments.on('threadChanged', ({ documentId, thread }) =>
    io.to([documentRoom(documentId), workspaceRoom(thread.workspaceId)]).emit('thread:changed', { workspaceId: thread.workspaceId, documentId, thread }),
  );
  comments.on('threadRemoved', ({ workspaceId, documentId, threadId }) =>
    io.to([documentRoom(documentId), workspaceRoom(workspaceId)]).emit('thread:removed', { workspaceId, documentId, threadId }),
  );
}

/** Notifications go to the person's own room: every tab's bell updates. */
export function relayNotificationEvents(io: RealtimeIO, notifications: NotificationService): void {
  notifications.on('notified', ({ userId, notification, unreadCount }) => io.to(userRoom(userId)).emit('notification:new', { notification, unreadCount }));
  notifications.on('notificationsRead', ({ userId, ids, unreadCount }) => io.to(userRoom(userId)).emit('notifications:read', { ids, unreadCount }));
}

import type { NotificationKind } from '@jane/shared';
import type { NotificationRecord, NotificationRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection, Row } from './util.js';

export const NOTIFICATIONS = table<NotificationRecord>('notifications', {
  id: text,
  userId: text('user_id'),
  kind: text<NotificationKind>(),
  workspaceId: text('workspace_id'),
  documentId: text('document_id'),
  threadId: text.nullable('thread_id'),
  commentId: text.nullable('comment_id'),
  sectionId: text.nullable('section_id'),
  sectionTitle: text.nullable('section_title'),
  actorId: text('actor_id'),
  createdAt: text('created_at'),
  readAt: text.nullable('read_at'),
});

export function sqliteNotifications({ db, statement }: Connection): NotificationRepository {
  const notifications = NOTIFICATIONS.on(statement);
  const createMany = db.transaction((records: readonly NotificationRecord[]) => {
    for (const record of records) notifications.insert(record);
  });
  return {
    async createMany(records) {
      createMany(records);
    },
    async listForUser(userId, limit) {
      return notifications.all('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?', userId, limit);
    },
    async countUnread(userId) {
      return Number((statement('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as Row).n);
    },
    async markRead(userId, ids, at) {
      if (ids === null) return statement('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
      return statement('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))').run(
        at,
        userId,
        JSON.stringify(ids),
      ).changes;
    },
    async deleteCreatedBefore(before) {
      return statement('DELETE FROM notifications WHERE created_at < ?').run(before).changes;
    },
  };
}

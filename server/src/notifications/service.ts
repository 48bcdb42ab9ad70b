/**
 * Notifications: who is told about what (a mention, a reply in a thread they took part
 * in), the bell's list and unread count, and marking them read. Presentation batches
 * its lookups — one query per kind of thing, however many notifications — and leaves out
 * what the person can no longer see (a workspace they left).
 */
import { EventEmitter } from 'node:events';
import { MENTION_PATTERN, type NotificationView } from '@jane/shared';
import { newId } from '../ids.js';
import { personRef } from '../comments/present.js';
import type { CommentRecord, NotificationRecord, Store, ThreadRecord, UserRecord } from '../storage/port.js';

export interface NotificationEventMap {
  notified: [{ userId: string; notification: NotificationView; unreadCount: number }];
  notificationsRead: [{ userId: string; ids: string[] | null; unreadCount: number }];
}

const EXCERPT_LENGTH = 140;

export class NotificationService extends EventEmitter<NotificationEventMap> {
  constructor(private readonly store: Store) {
    super();
  }

  /**
   * A comment was written: those it mentions (members only) get a mention, the thread's
   * other participants a reply notification; never its author.
   */
  async commentWritten(thread: ThreadRecord, comment: CommentRecord, participants: string[]): Promise<void> {
    const mentioned = new Set(comment.mentions.filter((id) => id !== comment.authorId));
    const members = new Set((await this.store.memberships.listForWorkspace(thread.workspaceId)).map((m) => m.userId));
    const repliedTo = participants.filter((id) => id !== comment.authorId && !mentioned.has(id) && members.has(id));
    const records: NotificationRecord[] = [
      ...[...mentioned].map((userId) => ({ userId, kind: 'mention' as const })),
      ...[...new Set(repliedTo)].map((userId) => ({ userId, kind: 'reply' as const })),
    ].map(({ userId, kind }) => ({
      id: newId(),
      userId,
      kind,
      workspaceId: thread.workspaceId,
      documentId: thread.documentId,
      threadId: thread.id,
      commentId: comment.id,
      actorId: comment.authorId,
      createdAt: comment.createdAt,
      readAt: null,
    }));
    if (records.length === 0) return;
    await this.store.notifications.createMany(records);
    const views = await this.present(records);
    for (const notification of views) {
      const record = records.find((r) => r.id === notification.id)!;
      this.emit('notified', { userId: record.userId, notification, unreadCount: await this.store.notifications.countUnread(record.userId) });
    }
  }

  /** Notification views: one lookup each for comments, documents and people. */
  private async present(records: NotificationRecord[]): Promise<NotificationView[]> {
    if (records.length === 0) return [];
    const [comments, documents] = await Promise.all([
      this.store.threads.findComments([...new Set(records.map((r) => r.commentId))]),
      this.store.documents.findManyByIds([...new Set(records.map((r) => r.documentId))]),
    ]);
    const commentsById = new Map(comments.map((c) => [c.id, c]));
    const titles = new Map(documents.map((d) => [d.id, d.title]));
    const people = new Set(records.map((r) => r.actorId));
    for (const comment of comments) comment.mentions.forEach((id) => people.add(id));
    const users = new Map((await this.store.users.findManyByIds([...people])).map((u) => [u.id, u]));
    return records.map((record) => {
      const comment = commentsById.get(record.commentId);
      const text = comment && !comment.deletedAt ? comment.body.replace(MENTION_PATTERN, (_m, id: string) => `@${users.get(id)?.name ?? 'someone'}`) : 'comment deleted';
      return {
        id: record.id,
        kind: record.kind,
        workspaceId: record.workspaceId,
        documentId: record.documentId,
        documentTitle: titles.get(record.documentId) ?? 'a document',
        threadId: record.threadId,
        commentId: record.commentId,
        actor: personRef(users.get(record.actorId), record.actorId),
        excerpt: text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text,
        createdAt: record.createdAt,
        readAt: record.readAt,
      };
    });
  }

  /** The bell: newest first, only from workspaces the person can still see. */
  async list(user: UserRecord, limit = 50): Promise<{ notifications: NotificationView[]; unreadCount: number }> {
    const records = await this.store.notifications.listForUser(user.id, limit);
    const visible = user.isAdmin ? records : await this.inMyWorkspaces(user, records);
    return { notifications: await this.present(visible), unreadCount: await this.store.notifications.countUnread(user.id) };
  }

  private async inMyWorkspaces(user: UserRecord, records: NotificationRecord[]): Promise<NotificationRecord[]> {
    const mine = new Set((await this.store.memberships.listForUser(user.id)).map((m) => m.workspaceId));
    return records.filter((r) => mine.has(r.workspaceId));
  }

  async markRead(user: UserRecord, ids: string[] | null): Promise<number> {
    await this.store.notifications.markRead(user.id, ids, new Date().toISOString());
    const unreadCount = await this.store.notifications.countUnread(user.id);
    this.emit('notificationsRead', { userId: user.id, ids, unreadCount });
    return unreadCount;
  }
}

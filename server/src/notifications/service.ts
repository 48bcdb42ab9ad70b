/**
 * Notifications: who is told about what (a mention, a reply in a thread they took part
 * in, a section going to review, their section agreed, reopened or commented on), the
 * bell's list and unread count, and marking them read. Presentation batches its lookups — one query per kind of thing, however many notifications — and leaves out
 * what the person can no longer see (a workspace they left).
 */
import { EventEmitter } from 'node:events';
import { MENTION_PATTERN, type NotificationKind, type NotificationView, type SectionStatus } from '@jane/shared';
import { newId } from '../ids.js';
import { personRef } from '../comments/present.js';
import type { CommentRecord, NotificationRecord, Store, ThreadRecord, UserRecord } from '../storage/port.js';

export interface NotificationEventMap {
  notified: [{ userId: string; notification: NotificationView; unreadCount: number }];
  notificationsRead: [{ userId: string; ids: string[] | null; unreadCount: number }];
}

const EXCERPT_LENGTH = 140;

/** What a notification is about: a comment in a thread, a section, or both. */
type NotificationSubject = Pick<NotificationRecord, 'workspaceId' | 'documentId' | 'threadId' | 'commentId' | 'sectionId' | 'sectionTitle'>;

export class NotificationService extends EventEmitter<NotificationEventMap> {
  constructor(private readonly store: Store) {
    super();
  }

  /**
   * A comment was written: those it mentions (members only) get a mention, the thread's
   * other participants a reply notification, the owner of the thread's section (if no
   * one of those) a section comment; never its author.
   */
  async commentWritten(thread: ThreadRecord, comment: CommentRecord, participants: string[]): Promise<void> {
    const members = new Set((await this.store.memberships.listForWorkspace(thread.workspaceId)).map((m) => m.userId));
    const mentioned = new Set(comment.mentions.filter((id) => id !== comment.authorId));
    const repliedTo = new Set(participants.filter((id) => id !== comment.authorId && !mentioned.has(id) && members.has(id)));
    const owner = thread.sectionId ? (await this.store.sections.find(thread.documentId, thread.sectionId))?.ownerId : null;
    const toOwner = owner && owner !== comment.authorId && members.has(owner) && !mentioned.has(owner) && !repliedTo.has(owner) ? [owner] : [];
    const about = { workspaceId: thread.workspaceId, documentId: thread.documentId, threadId: thread.id, commentId: comment.id, sectionId: thread.sectionId, sectionTitle: thread.sectionTitle };
    await this.notify([
      ...[...mentioned].map((userId) => this.record(userId, 'mention', about, comment.authorId, comment.createdAt)),
      ...[...repliedTo].map((userId) => this.record(userId, 'reply', about, comment.authorId, comment.createdAt)),
      ...toOwner.map((userId) => this.record(userId, 'section-comment', about, comment.authorId, comment.createdAt)),
    ]);
  }

  /**
   * A section's status changed: going to review tells the workspace's chairs; agreed or
   * reopened tells its owner. Never the person who made the change.
   */
  async sectionStatusChanged(change: {
    workspaceId: string;
    documentId: string;
    sectionId: string;
    sectionTitle: string;
    ownerId: string | null;
    from: SectionStatus;
    to: SectionStatus;
    actorId: string;
    at: string;
  }): Promise<void> {
    const about = { workspaceId: change.workspaceId, documentId: change.documentId, threadId: null, commentId: null, sectionId: change.sectionId, sectionTitle: change.sectionTitle };
    const members = await this.store.memberships.listForWorkspace(change.workspaceId);
    let kind: NotificationKind;
    let recipients: string[];
    if (change.to === 'in-review') {
      kind = 'section-review';
      recipients = members.filter((m) => m.role === 'chair').map((m) => m.userId);
    } else {
      kind = change.to === 'agreed' ? 'section-agreed' : 'section-reopened';
      if (change.to === 'draft' && change.from !== 'agreed') return; // taken back from review by its owner: nothing to tell
      recipients = change.ownerId && members.some((m) => m.userId === change.ownerId) ? [change.ownerId] : [];
    }
    await this.notify(recipients.filter((id) => id !== change.actorId).map((userId) => this.record(userId, kind, about, change.actorId, change.at)));
  }

  private record(userId: string, kind: NotificationKind, about: NotificationSubject, actorId: string, createdAt: string): NotificationRecord {
    return { id: newId(), userId, kind, ...about, actorId, createdAt, readAt: null };
  }

  private async notify(records: NotificationRecord[]): Promise<void> {
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
    const commentIds = [...new Set(records.flatMap((r) => (r.commentId ? [r.commentId] : [])))];
    const [comments, documents] = await Promise.all([
      commentIds.length > 0 ? this.store.threads.findComments(commentIds) : Promise.resolve([]),
      this.store.documents.findManyByIds([...new Set(records.map((r) => r.documentId))]),
    ]);
    const commentsById = new Map(comments.map((c) => [c.id, c]));
    const titles = new Map(documents.map((d) => [d.id, d.title]));
    const people = new Set(records.map((r) => r.actorId));
    for (const comment of comments) comment.mentions.forEach((id) => people.add(id));
    const users = new Map((await this.store.users.findManyByIds([...people])).map((u) => [u.id, u]));
    return records.map((record) => {
      const comment = record.commentId ? commentsById.get(record.commentId) : undefined;
      const text = !record.commentId
        ? (record.sectionTitle ?? '')
        : comment && !comment.deletedAt
          ? comment.body.replace(MENTION_PATTERN, (_m, id: string) => `@${users.get(id)?.name ?? 'someone'}`)
          : 'comment deleted';
      return {
        id: record.id,
        kind: record.kind,
        workspaceId: record.workspaceId,
        documentId: record.documentId,
        documentTitle: titles.get(record.documentId) ?? 'a document',
        threadId: record.threadId,
        commentId: record.commentId,
        sectionId: record.sectionId,
        sectionTitle: record.sectionTitle,
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

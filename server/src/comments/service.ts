/**
 * Comment threads on drafts: anchored to a section or passage, with replies, mentions,
 * resolution and notifications. Every operation checks workspace membership and role;
 * threads live in the store, outside the Yjs document.
 */
import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import {
  mentionedIds,
  MENTION_PATTERN,
  type CommentView,
  type CreateThreadRequest,
  type NotificationView,
  type PersonRef,
  type Role,
  type ThreadView,
  type WorkspaceThread,
} from '@jane/shared';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { CommentRecord, NotificationRecord, Store, ThreadRecord, UserRecord } from '../storage/port.js';
import { authorize, requireDocumentAccess, requireWorkspaceAccess } from '../policies/authorize.js';

export interface CommentEventMap {
  threadChanged: [{ documentId: string; thread: ThreadView }];
  threadRemoved: [{ workspaceId: string; documentId: string; threadId: string }];
  notified: [{ userId: string; notification: NotificationView; unreadCount: number }];
  notificationsRead: [{ userId: string; ids: string[] | null; unreadCount: number }];
}

const EXCERPT_LENGTH = 140;

function personRef(user: UserRecord | undefined, id: string): PersonRef {
  return user ? { id: user.id, name: user.name, country: user.country } : { id, name: 'Former member', country: '' };
}

/** Checks that an anchor's positions are well-formed encoded Yjs relative positions. */
function checkAnchor(anchor: CreateThreadRequest['anchor']): void {
  for (const position of [anchor.start, anchor.end]) {
    try {
      Y.decodeRelativePosition(Buffer.from(position, 'base64'));
    } catch {
      throw new BadRequestError('The passage this comment refers to could not be read. Select the text again.');
    }
  }
}

export class CommentService extends EventEmitter<CommentEventMap> {
  constructor(private readonly store: Store) {
    super();
  }

  /** Thread views with authors' names, deleted comments shown only where replies follow. */
  private async present(threads: ThreadRecord[]): Promise<ThreadView[]> {
    if (threads.length === 0) return [];
    const comments = await this.store.threads.listComments(threads.map((t) => t.id));
    const ids = new Set<string>();
    for (const thread of threads) {
      ids.add(thread.createdBy);
      if (thread.resolvedBy) ids.add(thread.resolvedBy);
    }
    for (const comment of comments) {
      ids.add(comment.authorId);
      comment.mentions.forEach((id) => ids.add(id));
    }
    const users = new Map((await this.store.users.findManyByIds([...ids])).map((u) => [u.id, u]));
    const byThread = new Map<string, CommentRecord[]>();
    for (const comment of comments) {
      const list = byThread.get(comment.threadId);
      if (list) list.push(comment);
      else byThread.set(comment.threadId, [comment]);
    }
    return threads.map((thread) => {
      const list = byThread.get(thread.id) ?? [];
      const lastLive = list.map((c) => c.deletedAt === null).lastIndexOf(true);
      const views: CommentView[] = list
        .filter((comment, index) => comment.deletedAt === null || index < lastLive)
        .map((comment) => ({
          id: comment.id,
          author: personRef(users.get(comment.authorId), comment.authorId),
          body: comment.deletedAt ? '' : comment.body,
          mentions: comment.deletedAt ? [] : comment.mentions.map((id) => personRef(users.get(id), id)),
          createdAt: comment.createdAt,
          editedAt: comment.editedAt,
          deleted: comment.deletedAt !== null,
        }));
      return {
        id: thread.id,
        workspaceId: thread.workspaceId,
        documentId: thread.documentId,
        anchor: thread.anchor,
        sectionTitle: thread.sectionTitle,
        status: thread.resolvedAt ? 'resolved' : 'open',
        createdBy: personRef(users.get(thread.createdBy), thread.createdBy),
        createdAt: thread.createdAt,
        resolvedAt: thread.resolvedAt,
        resolvedBy: thread.resolvedBy ? personRef(users.get(thread.resolvedBy), thread.resolvedBy) : null,
        lastActivityAt: thread.lastActivityAt,
        comments: views,
      };
    });
  }

  private async view(threadId: string): Promise<ThreadView> {
    const thread = await this.store.threads.findById(threadId);
    if (!thread) throw new NotFoundError('This thread does not exist.');
    return (await this.present([thread]))[0]!;
  }

  /** The thread and the user's role in its workspace (403 for outsiders). */
  private async threadAccess(user: UserRecord, threadId: string) {
    const thread = await this.store.threads.findById(threadId);
    if (!thread) throw new NotFoundError('This thread does not exist.');
    const access = await requireDocumentAccess(this.store, user, thread.documentId);
    return { thread, ...access };
  }

  /** Mentioned ids that are active members of the workspace. */
  private async validMentions(workspaceId: string, body: string): Promise<string[]> {
    const ids = mentionedIds(body);
    if (ids.length === 0) return [];
    const members = new Set((await this.store.memberships.listForWorkspace(workspaceId)).map((m) => m.userId));
    const users = await this.store.users.findManyByIds(ids.filter((id) => members.has(id)));
    const active = new Set(users.filter((u) => u.active).map((u) => u.id));
    return ids.filter((id) => active.has(id));
  }

  async listForDocument(user: UserRecord, documentId: string): Promise<ThreadView[]> {
    await requireDocumentAccess(this.store, user, documentId);
    return this.present(await this.store.threads.listForDocument(documentId));
  }

  async createThread(user: UserRecord, documentId: string, request: CreateThreadRequest): Promise<ThreadView> {
    const { document, actor } = await requireDocumentAccess(this.store, user, documentId);
    authorize(actor, 'document.comment', document);
    checkAnchor(request.anchor);
    const now = new Date().toISOString();
    const thread: ThreadRecord = {
      id: newId(),
      workspaceId: document.workspaceId,
      documentId,
      anchor: request.anchor,
      sectionTitle: request.sectionTitle,
      createdBy: user.id,
      createdAt: now,
      resolvedAt: null,
      resolvedBy: null,
      lastActivityAt: now,
    };
    const comment: CommentRecord = {
      id: newId(),
      threadId: thread.id,
      authorId: user.id,
      body: request.body,
      mentions: await this.validMentions(document.workspaceId, request.body),
      createdAt: now,
      editedAt: null,
      deletedAt: null,
    };
    await this.store.threads.create(thread, comment);
    const view = await this.view(thread.id);
    this.emit('threadChanged', { documentId, thread: view });
    await this.notify(thread, comment, document.title, []);
    return view;
  }

  async reply(user: UserRecord, threadId: string, body: string): Promise<ThreadView> {
    const { thread, document, actor } = await this.threadAccess(user, threadId);
    authorize(actor, 'document.comment', document);
    const earlier = await this.store.threads.listComments([threadId]);
    const comment: CommentRecord = {
      id: newId(),
      threadId,
      authorId: user.id,
      body,
      mentions: await this.validMentions(thread.workspaceId, body),
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    await this.store.threads.addComment(comment);
    const view = await this.view(threadId);
    this.emit('threadChanged', { documentId: thread.documentId, thread: view });
    const participants = new Set([thread.createdBy, ...earlier.map((c) => c.authorId)]);
    await this.notify(thread, comment, document.title, [...participants]);
    return view;
  }

  async editComment(user: UserRecord, commentId: string, body: string): Promise<ThreadView> {
    const comment = await this.store.threads.findComment(commentId);
    if (!comment || comment.deletedAt) throw new NotFoundError('This comment does not exist.');
    const { thread, actor } = await this.threadAccess(user, comment.threadId);
    authorize(actor, 'comment.edit', comment);
    await this.store.threads.updateComment(commentId, {
      body,
      mentions: await this.validMentions(thread.workspaceId, body),
      editedAt: new Date().toISOString(),
    });
    const view = await this.view(thread.id);
    this.emit('threadChanged', { documentId: thread.documentId, thread: view });
    return view;
  }

  /** Deletes one's own comment; a thread with nothing left is removed. Returns null then. */
  async deleteComment(user: UserRecord, commentId: string): Promise<ThreadView | null> {
    const comment = await this.store.threads.findComment(commentId);
    if (!comment || comment.deletedAt) throw new NotFoundError('This comment does not exist.');
    const { thread, actor } = await this.threadAccess(user, comment.threadId);
    authorize(actor, 'comment.delete', comment);
    await this.store.threads.updateComment(commentId, { body: '', mentions: [], deletedAt: new Date().toISOString() });
    const remaining = (await this.store.threads.listComments([thread.id])).filter((c) => c.deletedAt === null);
    if (remaining.length === 0) {
      await this.store.threads.delete(thread.id);
      this.emit('threadRemoved', { workspaceId: thread.workspaceId, documentId: thread.documentId, threadId: thread.id });
      return null;
    }
    const view = await this.view(thread.id);
    this.emit('threadChanged', { documentId: thread.documentId, thread: view });
    return view;
  }

  /** Resolve or reopen: the thread's author, leads and chairs. */
  async setResolved(user: UserRecord, threadId: string, resolved: boolean): Promise<ThreadView> {
    const { thread, actor } = await this.threadAccess(user, threadId);
    authorize(actor, 'thread.resolve', thread);
    if (Boolean(thread.resolvedAt) !== resolved) {
      await this.store.threads.setResolved(threadId, resolved ? new Date().toISOString() : null, resolved ? user.id : null);
    }
    const view = await this.view(threadId);
    this.emit('threadChanged', { documentId: thread.documentId, thread: view });
    return view;
  }

  /** A workspace's threads across its documents, oldest first (the "Open threads" view). */
  async workspaceThreads(user: UserRecord, workspaceId: string, status: 'open' | 'resolved' | 'all'): Promise<WorkspaceThread[]> {
    await requireWorkspaceAccess(this.store, user, workspaceId);
    const records = await this.store.threads.listForWorkspace(workspaceId, status === 'all' ? undefined : status === 'resolved');
    const documents = new Map((await this.store.documents.listForWorkspace(workspaceId)).map((d) => [d.id, d]));
    const visible = records.filter((t) => documents.has(t.documentId) && !documents.get(t.documentId)!.archived);
    return (await this.present(visible)).map((view) => ({ ...view, documentTitle: documents.get(view.documentId)!.title }));
  }

  /**
   * Open threads across the user's workspaces that involve them: started, answered or
   * mentioned in — the home page's "My open threads". Oldest activity first.
   */
  async myOpenThreads(user: UserRecord): Promise<WorkspaceThread[]> {
    const memberships = await this.store.memberships.listForUser(user.id);
    const involved: WorkspaceThread[] = [];
    for (const { workspaceId } of memberships) {
      for (const thread of await this.workspaceThreads(user, workspaceId, 'open')) {
        const mine =
          thread.createdBy.id === user.id ||
          thread.comments.some((c) => c.author.id === user.id || c.mentions.some((m) => m.id === user.id));
        if (mine) involved.push(thread);
      }
    }
    return involved.sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt));
  }

  /* ------------------------------------------------------------- notifications */

  private async notify(thread: ThreadRecord, comment: CommentRecord, documentTitle: string, participants: string[]): Promise<void> {
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
    const views = await this.presentNotifications(records, new Map([[thread.documentId, documentTitle]]));
    for (const notification of views) {
      const record = records.find((r) => r.id === notification.id)!;
      this.emit('notified', { userId: record.userId, notification, unreadCount: await this.store.notifications.countUnread(record.userId) });
    }
  }

  private async presentNotifications(records: NotificationRecord[], titles = new Map<string, string>()): Promise<NotificationView[]> {
    const comments = new Map<string, CommentRecord>();
    for (const record of records) {
      if (!comments.has(record.commentId)) {
        const comment = await this.store.threads.findComment(record.commentId);
        if (comment) comments.set(comment.id, comment);
      }
      if (!titles.has(record.documentId)) titles.set(record.documentId, (await this.store.documents.findById(record.documentId))?.title ?? 'a document');
    }
    const people = new Set(records.map((r) => r.actorId));
    for (const comment of comments.values()) comment.mentions.forEach((id) => people.add(id));
    const users = new Map((await this.store.users.findManyByIds([...people])).map((u) => [u.id, u]));
    return records.map((record) => {
      const comment = comments.get(record.commentId);
      const text = comment && !comment.deletedAt ? comment.body.replace(MENTION_PATTERN, (_m, id: string) => `@${users.get(id)?.name ?? 'someone'}`) : 'comment deleted';
      return {
        id: record.id,
        kind: record.kind,
        workspaceId: record.workspaceId,
        documentId: record.documentId,
        documentTitle: titles.get(record.documentId)!,
        threadId: record.threadId,
        commentId: record.commentId,
        actor: personRef(users.get(record.actorId), record.actorId),
        excerpt: text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH - 1)}…` : text,
        createdAt: record.createdAt,
        readAt: record.readAt,
      };
    });
  }

  async notifications(user: UserRecord, limit = 50): Promise<{ notifications: NotificationView[]; unreadCount: number }> {
    const records = await this.store.notifications.listForUser(user.id, limit);
    return { notifications: await this.presentNotifications(records), unreadCount: await this.store.notifications.countUnread(user.id) };
  }

  async markRead(user: UserRecord, ids: string[] | null): Promise<number> {
    await this.store.notifications.markRead(user.id, ids, new Date().toISOString());
    const unreadCount = await this.store.notifications.countUnread(user.id);
    this.emit('notificationsRead', { userId: user.id, ids, unreadCount });
    return unreadCount;
  }
}

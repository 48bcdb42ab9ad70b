/**
 * Comment threads on drafts — the commands: start, reply, edit, delete, resolve/reopen,
 * and the lists. Anchored to a section or passage; every operation goes through the
 * policy; threads live in the store, outside the Yjs document. Presenting is in
 * present.ts, who is notified in notifications/.
 */
import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import {
  mentionedIds,
  type CreateThreadRequest,
  type ThreadView,
  type WorkspaceThread,
} from '@jane/shared';
import { BadRequestError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { CommentRecord, Store, ThreadRecord, UserRecord } from '../storage/port.js';
import { authorize, requireDocumentAccess, requireWorkspaceAccess } from '../policies/authorize.js';
import type { NotificationService } from '../notifications/service.js';
import { presentThreads } from './present.js';
import type { LiveDocuments } from '../collab/liveDocuments.js';
import { currentSections } from '../sections/service.js';

export interface CommentEventMap {
  threadChanged: [{ documentId: string; thread: ThreadView }];
  threadRemoved: [{ workspaceId: string; documentId: string; threadId: string }];
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
  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationService,
    private readonly documents: LiveDocuments,
  ) {
    super();
  }

  /** Threads as views, under their sections' current titles. */
  private async present(threads: ThreadRecord[]): Promise<ThreadView[]> {
    const titles = new Map<string, string>();
    const documentIds = [...new Set(threads.filter((t) => t.sectionId).map((t) => t.documentId))];
    for (const documentId of documentIds) {
      for (const section of await currentSections(this.documents, documentId).catch(() => [])) titles.set(section.id, section.title);
    }
    return presentThreads(this.store, threads, titles);
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
      sectionId: request.sectionId ?? null,
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
    await this.notifications.commentWritten(thread, comment, []);
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
    await this.notifications.commentWritten(thread, comment, [...participants]);
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
    const workspaceIds = (await this.store.memberships.listForUser(user.id)).map((m) => m.workspaceId);
    // One query for all the workspaces' open threads, one for their documents, one presentation.
    const records = await this.store.threads.listForWorkspaces(workspaceIds, false);
    const documents = new Map((await this.store.documents.findManyByIds([...new Set(records.map((t) => t.documentId))])).map((d) => [d.id, d]));
    const visible = records.filter((t) => documents.has(t.documentId) && !documents.get(t.documentId)!.archived);
    const involved = (await this.present(visible)).filter(
      (thread) => thread.createdBy.id === user.id || thread.comments.some((c) => c.author.id === user.id || c.mentions.some((m) => m.id === user.id)),
    );
    return involved
      .map((view) => ({ ...view, documentTitle: documents.get(view.documentId)!.title }))
      .sort((a, b) => a.lastActivityAt.localeCompare(b.lastActivityAt));
  }
}

/**
 * How threads are shown: comments in order with their authors' names and country, a
 * deleted comment only where replies follow it (as "comment deleted"), mentions as
 * people. One batch of lookups for any number of threads.
 */
import type { CommentView, PersonRef, ThreadView } from '@jane/shared';
import type { CommentRecord, Store, ThreadRecord, UserRecord } from '../storage/port.js';

/** A person as threads and notifications show them (a removed account: "Former member"). */
export function personRef(user: UserRecord | undefined, id: string): PersonRef {
  return user ? { id: user.id, name: user.name, country: user.country } : { id, name: 'Former member', country: '' };
}

/** Thread views with authors' names, deleted comments shown only where replies follow. */
/**
 * Threads as views; `titles` (section id → its current title) shows each thread under its
 * section's title as it is now, whatever it was when the thread was started.
 */
export async function presentThreads(store: Store, threads: ThreadRecord[], titles: ReadonlyMap<string, string> = new Map()): Promise<ThreadView[]> {
  if (threads.length === 0) return [];
  const comments = await store.threads.listComments(threads.map((t) => t.id));
  const ids = new Set<string>();
  for (const thread of threads) {
    ids.add(thread.createdBy);
    if (thread.resolvedBy) ids.add(thread.resolvedBy);
  }
  for (const comment of comments) {
    ids.add(comment.authorId);
    comment.mentions.forEach((id) => ids.add(id));
  }
  const users = new Map((await store.users.findManyByIds([...ids])).map((u) => [u.id, u]));
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
      sectionId: thread.sectionId,
      sectionTitle: (thread.sectionId ? titles.get(thread.sectionId) : undefined) ?? thread.sectionTitle,
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

import type { Db } from 'mongodb';
import type { CommentRecord, ThreadRecord, ThreadRepository } from '../port.js';
import { records } from './records.js';

export const THREADS = records<ThreadRecord>('threads', { key: (thread) => thread.id, defaults: { sectionId: null } });
/** `seq`: the order of comments written in the same millisecond (never part of the record). */
export const COMMENTS = records<CommentRecord, { seq: number }>('comments', { key: (comment) => comment.id, internal: { seq: true } });

/** The filter for an optional thread status. */
function statusFilter(resolved: boolean | undefined) {
  if (resolved === undefined) return {};
  return resolved ? { resolvedAt: { $ne: null } } : { resolvedAt: null };
}

export async function mongoThreads(db: Db): Promise<ThreadRepository> {
  const threads = THREADS.on(db);
  const comments = COMMENTS.on(db);
  await Promise.all([
    threads.collection.createIndex({ documentId: 1, createdAt: 1 }),
    threads.collection.createIndex({ workspaceId: 1, createdAt: 1 }),
    comments.collection.createIndex({ threadId: 1, createdAt: 1 }),
  ]);
  // Comments written in the same millisecond keep their order through a counter.
  let seq = 0;
  const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

  return {
    async create(thread, first) {
      await threads.insert(thread);
      await comments.insert(first, { seq: nextSeq() });
    },
    findById: (id) => threads.findById(id),
    listForDocument: (documentId) => threads.find({ documentId }, { createdAt: 1 }),
    listForWorkspace: (workspaceId, resolved) => threads.find({ workspaceId, ...statusFilter(resolved) }, { createdAt: 1 }),
    async listForWorkspaces(workspaceIds, resolved) {
      if (workspaceIds.length === 0) return [];
      return threads.find({ workspaceId: { $in: [...workspaceIds] }, ...statusFilter(resolved) }, { createdAt: 1 });
    },
    async setResolved(id, resolvedAt, resolvedBy) {
      // Reopening is activity too, at the time it happens.
      await threads.patch(id, { resolvedAt, resolvedBy, lastActivityAt: resolvedAt ?? new Date().toISOString() });
      return threads.findById(id);
    },
    async setSectionId(id, sectionId) {
      await threads.patch(id, { sectionId });
    },
    async delete(id) {
      await comments.collection.deleteMany({ threadId: id });
      await threads.collection.deleteOne({ _id: id });
    },
    async addComment(comment) {
      await comments.insert(comment, { seq: nextSeq() });
      await threads.patch(comment.threadId, { lastActivityAt: comment.createdAt });
    },
    findComment: (id) => comments.findById(id),
    async findComments(ids) {
      if (ids.length === 0) return [];
      return comments.find({ _id: { $in: [...ids] } });
    },
    async updateComment(id, patch) {
      await comments.patch(id, patch);
      return comments.findById(id);
    },
    async listComments(threadIds) {
      if (threadIds.length === 0) return [];
      return comments.find({ threadId: { $in: [...threadIds] } }, { createdAt: 1, seq: 1 });
    },
  };
}

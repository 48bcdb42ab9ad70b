import type { Db } from 'mongodb';
import type { CommentRecord, NotificationRecord, NotificationRepository, ThreadRecord, ThreadRepository } from '../port.js';
import { defined, strip } from './util.js';

type WithId<T> = T & { _id: string };

export async function mongoThreads(db: Db): Promise<ThreadRepository> {
  const threads = db.collection<WithId<ThreadRecord>>('threads');
  const comments = db.collection<WithId<CommentRecord> & { seq: number }>('comments');
  await Promise.all([
    threads.createIndex({ documentId: 1, createdAt: 1 }),
    threads.createIndex({ workspaceId: 1, createdAt: 1 }),
    comments.createIndex({ threadId: 1, createdAt: 1 }),
  ]);
  // Comments written in the same millisecond keep their order through a counter.
  let seq = 0;
  const nextSeq = () => Date.now() * 1000 + (seq++ % 1000);

  async function findComment(id: string): Promise<CommentRecord | null> {
    const doc = await comments.findOne({ _id: id });
    if (!doc) return null;
    const { seq: _seq, ...rest } = strip<CommentRecord & { seq: number }>(doc)!;
    return rest;
  }

  return {
    async create(thread, first) {
      await threads.insertOne({ _id: thread.id, ...thread });
      await comments.insertOne({ _id: first.id, ...first, seq: nextSeq() });
    },
    async findById(id) {
      return strip(await threads.findOne({ _id: id }));
    },
    async listForDocument(documentId) {
      return (await threads.find({ documentId }).sort({ createdAt: 1 }).toArray()).map((doc) => strip<ThreadRecord>(doc)!);
    },
    async listForWorkspace(workspaceId, resolved) {
      const filter =
        resolved === undefined ? { workspaceId } : resolved ? { workspaceId, resolvedAt: { $ne: null } } : { workspaceId, resolvedAt: null };
      return (await threads.find(filter).sort({ createdAt: 1 }).toArray()).map((doc) => strip<ThreadRecord>(doc)!);
    },
    async listForWorkspaces(workspaceIds, resolved) {
      if (workspaceIds.length === 0) return [];
      const status = resolved === undefined ? {} : resolved ? { resolvedAt: { $ne: null } } : { resolvedAt: null };
      return (await threads.find({ workspaceId: { $in: [...workspaceIds] }, ...status }).sort({ createdAt: 1 }).toArray()).map((doc) => strip<ThreadRecord>(doc)!);
    },
    async setResolved(id, resolvedAt, resolvedBy) {
      await threads.updateOne({ _id: id }, { $set: { resolvedAt, resolvedBy, lastActivityAt: resolvedAt ?? new Date().toISOString() } });
      return strip(await threads.findOne({ _id: id }));
    },
    async delete(id) {
      await comments.deleteMany({ threadId: id });
      await threads.deleteOne({ _id: id });
    },
    async addComment(comment) {
      await comments.insertOne({ _id: comment.id, ...comment, seq: nextSeq() });
      await threads.updateOne({ _id: comment.threadId }, { $set: { lastActivityAt: comment.createdAt } });
    },
    findComment,
    async findComments(ids) {
      if (ids.length === 0) return [];
      return (await comments.find({ _id: { $in: [...ids] } }).toArray()).map((doc) => {
        const { seq: _seq, ...rest } = strip<CommentRecord & { seq: number }>(doc)!;
        return rest;
      });
    },
    async updateComment(id, patch) {
      const changes = defined(patch);
      if (Object.keys(changes).length > 0) await comments.updateOne({ _id: id }, { $set: changes });
      return findComment(id);
    },
    async listComments(threadIds) {
      if (threadIds.length === 0) return [];
      const docs = await comments.find({ threadId: { $in: [...threadIds] } }).sort({ createdAt: 1, seq: 1 }).toArray();
      return docs.map((doc) => {
        const { seq: _seq, ...rest } = strip<CommentRecord & { seq: number }>(doc)!;
        return rest;
      });
    },
  };
}

export async function mongoNotifications(db: Db): Promise<NotificationRepository> {
  const notifications = db.collection<WithId<NotificationRecord>>('notifications');
  await notifications.createIndex({ userId: 1, createdAt: -1 });
  return {
    async createMany(records) {
      if (records.length === 0) return;
      await notifications.insertMany(records.map((record) => ({ _id: record.id, ...record })));
    },
    async listForUser(userId, limit) {
      return (await notifications.find({ userId }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray()).map(
        (doc) => strip<NotificationRecord>(doc)!,
      );
    },
    async countUnread(userId) {
      return notifications.countDocuments({ userId, readAt: null });
    },
    async markRead(userId, ids, at) {
      const filter = ids === null ? { userId, readAt: null } : { userId, readAt: null, _id: { $in: [...ids] } };
      return (await notifications.updateMany(filter, { $set: { readAt: at } })).modifiedCount;
    },
  };
}

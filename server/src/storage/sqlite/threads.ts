import type Database from 'better-sqlite3';
import type { NotificationKind } from '@jane/shared';
import type { CommentRecord, NotificationRecord, NotificationRepository, ThreadRecord, ThreadRepository } from '../port.js';
import { setClause, statementCache, type Row } from './util.js';

function toThread(row: Row): ThreadRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    documentId: String(row.document_id),
    anchor: JSON.parse(String(row.anchor)) as ThreadRecord['anchor'],
    sectionTitle: row.section_title === null ? null : String(row.section_title),
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
    resolvedAt: row.resolved_at === null ? null : String(row.resolved_at),
    resolvedBy: row.resolved_by === null ? null : String(row.resolved_by),
    lastActivityAt: String(row.last_activity_at),
  };
}

function toComment(row: Row): CommentRecord {
  return {
    id: String(row.id),
    threadId: String(row.thread_id),
    authorId: String(row.author_id),
    body: String(row.body),
    mentions: JSON.parse(String(row.mentions)) as string[],
    createdAt: String(row.created_at),
    editedAt: row.edited_at === null ? null : String(row.edited_at),
    deletedAt: row.deleted_at === null ? null : String(row.deleted_at),
  };
}

function toNotification(row: Row): NotificationRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    kind: row.kind as NotificationKind,
    workspaceId: String(row.workspace_id),
    documentId: String(row.document_id),
    threadId: String(row.thread_id),
    commentId: String(row.comment_id),
    actorId: String(row.actor_id),
    createdAt: String(row.created_at),
    readAt: row.read_at === null ? null : String(row.read_at),
  };
}

export function sqliteThreads(db: Database.Database): ThreadRepository {
  const statement = statementCache(db);
  const insertComment = statement(
    `INSERT INTO comments (id, thread_id, author_id, body, mentions, created_at, edited_at, deleted_at)
     VALUES (@id, @threadId, @authorId, @body, @mentions, @createdAt, @editedAt, @deletedAt)`,
  );
  const touch = statement('UPDATE threads SET last_activity_at = ? WHERE id = ?');
  const findThread = (id: string) => {
    const row = statement('SELECT * FROM threads WHERE id = ?').get(id) as Row | undefined;
    return row ? toThread(row) : null;
  };
  const findComment = (id: string) => {
    const row = statement('SELECT * FROM comments WHERE id = ?').get(id) as Row | undefined;
    return row ? toComment(row) : null;
  };

  const create = db.transaction((thread: ThreadRecord, first: CommentRecord) => {
    statement(
      `INSERT INTO threads (id, workspace_id, document_id, anchor, section_title, created_by, created_at, resolved_at, resolved_by, last_activity_at)
       VALUES (@id, @workspaceId, @documentId, @anchor, @sectionTitle, @createdBy, @createdAt, @resolvedAt, @resolvedBy, @lastActivityAt)`,
    ).run({ ...thread, anchor: JSON.stringify(thread.anchor) });
    insertComment.run({ ...first, mentions: JSON.stringify(first.mentions) });
  });
  const addComment = db.transaction((comment: CommentRecord) => {
    insertComment.run({ ...comment, mentions: JSON.stringify(comment.mentions) });
    touch.run(comment.createdAt, comment.threadId);
  });

  return {
    async create(thread, first) {
      create(thread, first);
    },
    async findById(id) {
      return findThread(id);
    },
    async listForDocument(documentId) {
      return (statement('SELECT * FROM threads WHERE document_id = ? ORDER BY created_at').all(documentId) as Row[]).map(toThread);
    },
    async listForWorkspace(workspaceId, resolved) {
      const filter = resolved === undefined ? '' : resolved ? 'AND resolved_at IS NOT NULL' : 'AND resolved_at IS NULL';
      return (statement(`SELECT * FROM threads WHERE workspace_id = ? ${filter} ORDER BY created_at`).all(workspaceId) as Row[]).map(toThread);
    },
    async listForWorkspaces(workspaceIds, resolved) {
      if (workspaceIds.length === 0) return [];
      const filter = resolved === undefined ? '' : resolved ? 'AND resolved_at IS NOT NULL' : 'AND resolved_at IS NULL';
      return (
        statement(`SELECT * FROM threads WHERE workspace_id IN (SELECT value FROM json_each(?)) ${filter} ORDER BY created_at`).all(JSON.stringify(workspaceIds)) as Row[]
      ).map(toThread);
    },
    async setResolved(id, resolvedAt, resolvedBy) {
      statement('UPDATE threads SET resolved_at = ?, resolved_by = ?, last_activity_at = ? WHERE id = ?').run(
        resolvedAt,
        resolvedBy,
        resolvedAt ?? new Date().toISOString(),
        id,
      );
      return findThread(id);
    },
    async delete(id) {
      statement('DELETE FROM threads WHERE id = ?').run(id);
    },
    async addComment(comment) {
      addComment(comment);
    },
    async findComment(id) {
      return findComment(id);
    },
    async findComments(ids) {
      if (ids.length === 0) return [];
      return (statement('SELECT * FROM comments WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[]).map(toComment);
    },
    async updateComment(id, patch) {
      const values: Record<string, unknown> = { ...patch };
      if (patch.mentions) values.mentions = JSON.stringify(patch.mentions);
      const { sql, values: bound } = setClause(values, { body: 'body', mentions: 'mentions', editedAt: 'edited_at', deletedAt: 'deleted_at' });
      if (sql) statement(`UPDATE comments SET ${sql} WHERE id = @id`).run({ ...bound, id });
      return findComment(id);
    },
    async listComments(threadIds) {
      if (threadIds.length === 0) return [];
      return (
        db
          .prepare('SELECT * FROM comments WHERE thread_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid')
          .all(JSON.stringify(threadIds)) as Row[]
      ).map(toComment);
    },
  };
}

export function sqliteNotifications(db: Database.Database): NotificationRepository {
  const statement = statementCache(db);
  const insert = statement(
    `INSERT INTO notifications (id, user_id, kind, workspace_id, document_id, thread_id, comment_id, actor_id, created_at, read_at)
     VALUES (@id, @userId, @kind, @workspaceId, @documentId, @threadId, @commentId, @actorId, @createdAt, @readAt)`,
  );
  const createMany = db.transaction((records: readonly NotificationRecord[]) => {
    for (const record of records) insert.run(record);
  });
  return {
    async createMany(records) {
      createMany(records);
    },
    async listForUser(userId, limit) {
      return (statement('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(userId, limit) as Row[]).map(
        toNotification,
      );
    },
    async countUnread(userId) {
      return Number((statement('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as Row).n);
    },
    async markRead(userId, ids, at) {
      if (ids === null) return statement('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
      return db
        .prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))')
        .run(at, userId, JSON.stringify(ids)).changes;
    },
  };
}

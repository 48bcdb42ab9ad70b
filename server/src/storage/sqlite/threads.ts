import type { ThreadAnchor } from '@jane/shared';
import type { CommentRecord, ThreadRecord, ThreadRepository } from '../port.js';
import { json, table, text } from './table.js';
import type { Connection } from './util.js';

export const THREADS = table<ThreadRecord>('threads', {
  id: text,
  workspaceId: text('workspace_id'),
  documentId: text('document_id'),
  anchor: json<ThreadAnchor>(),
  sectionId: text.nullable('section_id'),
  sectionTitle: text.nullable('section_title'),
  createdBy: text('created_by'),
  createdAt: text('created_at'),
  resolvedAt: text.nullable('resolved_at'),
  resolvedBy: text.nullable('resolved_by'),
  lastActivityAt: text('last_activity_at'),
});

/** Deleted with their thread (`ON DELETE CASCADE`). */
export const COMMENTS = table<CommentRecord>('comments', {
  id: text,
  threadId: text('thread_id'),
  authorId: text('author_id'),
  body: text,
  mentions: json<string[]>(),
  createdAt: text('created_at'),
  editedAt: text.nullable('edited_at'),
  deletedAt: text.nullable('deleted_at'),
});

/** The SQL filter for an optional thread status. */
function statusFilter(resolved: boolean | undefined): string {
  if (resolved === undefined) return '';
  return resolved ? 'AND resolved_at IS NOT NULL' : 'AND resolved_at IS NULL';
}

export function sqliteThreads({ db, statement }: Connection): ThreadRepository {
  const threads = THREADS.on(statement);
  const comments = COMMENTS.on(statement);
  const findThread = (id: string) => threads.get('SELECT * FROM threads WHERE id = ?', id);
  const findComment = (id: string) => comments.get('SELECT * FROM comments WHERE id = ?', id);

  const create = db.transaction((thread: ThreadRecord, first: CommentRecord) => {
    threads.insert(thread);
    comments.insert(first);
  });
  const addComment = db.transaction((comment: CommentRecord) => {
    comments.insert(comment);
    statement('UPDATE threads SET last_activity_at = ? WHERE id = ?').run(comment.createdAt, comment.threadId);
  });

  return {
    async create(thread, first) {
      create(thread, first);
    },
    async findById(id) {
      return findThread(id);
    },
    async listForDocument(documentId) {
      return threads.all('SELECT * FROM threads WHERE document_id = ? ORDER BY created_at', documentId);
    },
    async listForWorkspace(workspaceId, resolved) {
      return threads.all(`SELECT * FROM threads WHERE workspace_id = ? ${statusFilter(resolved)} ORDER BY created_at`, workspaceId);
    },
    async listForWorkspaces(workspaceIds, resolved) {
      if (workspaceIds.length === 0) return [];
      return threads.all(
        `SELECT * FROM threads WHERE workspace_id IN (SELECT value FROM json_each(?)) ${statusFilter(resolved)} ORDER BY created_at`,
        JSON.stringify(workspaceIds),
      );
    },
    async setResolved(id, resolvedAt, resolvedBy) {
      // Reopening is activity too, at the time it happens.
      threads.patch({ id }, { resolvedAt, resolvedBy, lastActivityAt: resolvedAt ?? new Date().toISOString() });
      return findThread(id);
    },
    async setSectionId(id, sectionId) {
      threads.patch({ id }, { sectionId });
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
      return comments.all('SELECT * FROM comments WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    },
    async updateComment(id, patch) {
      comments.patch({ id }, patch);
      return findComment(id);
    },
    async listComments(threadIds) {
      if (threadIds.length === 0) return [];
      return comments.all('SELECT * FROM comments WHERE thread_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid', JSON.stringify(threadIds));
    },
  };
}

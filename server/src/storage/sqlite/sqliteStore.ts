/**
 * The embedded store: one SQLite file (`<DATA_DIR>/jane.sqlite`) through better-sqlite3,
 * in WAL mode with `synchronous = FULL` so that a committed transaction survives a
 * power cut, not just a process crash. better-sqlite3 is synchronous; the adapter keeps
 * the async port so callers cannot tell it from the MongoDB adapter.
 */
import type { Role } from '@jane/shared';
import {
  DuplicateKeyError,
  type DocumentContentRepository,
  type DocumentPatch,
  type DocumentRecord,
  type DocumentRepository,
  type InvitationRecord,
  type InvitationRepository,
  type MembershipRecord,
  type MembershipRepository,
  type SessionRecord,
  type SessionRepository,
  type Store,
  type UserPatch,
  type UserRecord,
  type UserRepository,
  type WorkspaceRecord,
  type WorkspaceRepository,
} from '../port.js';
import { ContentWriter } from './contentWriter.js';
import { contentSql } from './contentSql.js';
import { openMigratedDatabase } from './database.js';
import { sqliteMeetings } from './meetings.js';
import { sqliteNotifications, sqliteThreads } from './threads.js';
import { isUniqueViolation, setClause, statementCache, type Row } from './util.js';

function toUser(row: Row): UserRecord {
  return {
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    country: String(row.country),
    organisation: String(row.organisation),
    passwordHash: String(row.password_hash),
    isAdmin: row.is_admin === 1,
    active: row.active === 1,
    createdAt: String(row.created_at),
  };
}

function toWorkspace(row: Row): WorkspaceRecord {
  return {
    id: String(row.id),
    kind: row.kind as WorkspaceRecord['kind'],
    title: String(row.title),
    createdAt: String(row.created_at),
  };
}

function toMembership(row: Row): MembershipRecord {
  return {
    workspaceId: String(row.workspace_id),
    userId: String(row.user_id),
    role: row.role as Role,
    createdAt: String(row.created_at),
  };
}

function toDocument(row: Row): DocumentRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    title: String(row.title),
    template: row.template as DocumentRecord['template'],
    archived: row.archived === 1,
    createdAt: String(row.created_at),
    createdBy: String(row.created_by),
    updatedAt: String(row.updated_at),
    updatedBy: row.updated_by === null ? null : String(row.updated_by),
  };
}

function toInvitation(row: Row): InvitationRecord {
  return {
    id: String(row.id),
    tokenHash: String(row.token_hash),
    email: String(row.email),
    name: String(row.name),
    memberships: JSON.parse(String(row.memberships)) as InvitationRecord['memberships'],
    createdBy: String(row.created_by),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    acceptedAt: row.accepted_at === null ? null : String(row.accepted_at),
  };
}

export interface SqliteStoreOptions {
  /** Directory for `jane.sqlite`; created if missing. */
  dataDir: string;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const { db, file } = openMigratedDatabase(options.dataDir);
  const statement = statementCache(db);

  const users: UserRepository = {
    async count() {
      return Number((statement('SELECT COUNT(*) AS n FROM users').get() as Row).n);
    },
    async create(user) {
      try {
        statement(
          `INSERT INTO users (id, email, name, country, organisation, password_hash, is_admin, active, created_at)
           VALUES (@id, @email, @name, @country, @organisation, @passwordHash, @isAdmin, @active, @createdAt)`,
        ).run({ ...user, isAdmin: user.isAdmin ? 1 : 0, active: user.active ? 1 : 0 });
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('email');
        throw error;
      }
    },
    async findById(id) {
      const row = statement('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async findByEmail(email) {
      const row = statement('SELECT * FROM users WHERE email = ?').get(email) as Row | undefined;
      return row ? toUser(row) : null;
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      const rows = db
        .prepare(`SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))`)
        .all(JSON.stringify(ids)) as Row[];
      return rows.map(toUser);
    },
    async list() {
      return (statement('SELECT * FROM users ORDER BY name COLLATE NOCASE').all() as Row[]).map(toUser);
    },
    async update(id, patch: UserPatch) {
      const { sql, values } = setClause(patch, {
        name: 'name',
        country: 'country',
        organisation: 'organisation',
        passwordHash: 'password_hash',
        isAdmin: 'is_admin',
        active: 'active',
      });
      if (sql) statement(`UPDATE users SET ${sql} WHERE id = @id`).run({ ...values, id });
      return users.findById(id);
    },
  };

  const sessions: SessionRepository = {
    async create(session: SessionRecord) {
      statement(
        'INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (@tokenHash, @userId, @createdAt, @expiresAt)',
      ).run(session);
    },
    async find(tokenHash) {
      const row = statement('SELECT * FROM sessions WHERE token_hash = ?').get(tokenHash) as Row | undefined;
      if (!row) return null;
      return {
        tokenHash: String(row.token_hash),
        userId: String(row.user_id),
        createdAt: String(row.created_at),
        expiresAt: String(row.expires_at),
      };
    },
    async delete(tokenHash) {
      statement('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    },
    async deleteForUser(userId) {
      statement('DELETE FROM sessions WHERE user_id = ?').run(userId);
    },
    async deleteExpired(now) {
      return statement('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
    },
  };

  const invitations: InvitationRepository = {
    async create(invitation) {
      statement(
        `INSERT INTO invitations (id, token_hash, email, name, memberships, created_by, created_at, expires_at, accepted_at)
         VALUES (@id, @tokenHash, @email, @name, @memberships, @createdBy, @createdAt, @expiresAt, @acceptedAt)`,
      ).run({ ...invitation, memberships: JSON.stringify(invitation.memberships) });
    },
    async findByTokenHash(tokenHash) {
      const row = statement('SELECT * FROM invitations WHERE token_hash = ?').get(tokenHash) as Row | undefined;
      return row ? toInvitation(row) : null;
    },
    async list() {
      return (statement('SELECT * FROM invitations ORDER BY created_at DESC').all() as Row[]).map(toInvitation);
    },
    async markAccepted(id, at) {
      return statement('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL').run(at, id).changes === 1;
    },
    async delete(id) {
      return statement('DELETE FROM invitations WHERE id = ?').run(id).changes === 1;
    },
  };

  const workspaces: WorkspaceRepository = {
    async count() {
      return Number((statement('SELECT COUNT(*) AS n FROM workspaces').get() as Row).n);
    },
    async create(workspace) {
      statement('INSERT INTO workspaces (id, kind, title, created_at) VALUES (@id, @kind, @title, @createdAt)').run(workspace);
    },
    async findById(id) {
      const row = statement('SELECT * FROM workspaces WHERE id = ?').get(id) as Row | undefined;
      return row ? toWorkspace(row) : null;
    },
    async list() {
      return (statement('SELECT * FROM workspaces ORDER BY created_at, rowid').all() as Row[]).map(toWorkspace);
    },
    async update(id, patch) {
      const { sql, values } = setClause(patch, { kind: 'kind', title: 'title' });
      if (sql) statement(`UPDATE workspaces SET ${sql} WHERE id = @id`).run({ ...values, id });
      return workspaces.findById(id);
    },
  };

  const memberships: MembershipRepository = {
    async upsert(membership) {
      statement(
        `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (@workspaceId, @userId, @role, @createdAt)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
      ).run(membership);
    },
    async remove(workspaceId, userId) {
      return statement('DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?').run(workspaceId, userId).changes === 1;
    },
    async find(workspaceId, userId) {
      const row = db
        .prepare('SELECT * FROM memberships WHERE workspace_id = ? AND user_id = ?')
        .get(workspaceId, userId) as Row | undefined;
      return row ? toMembership(row) : null;
    },
    async listForWorkspace(workspaceId) {
      return (statement('SELECT * FROM memberships WHERE workspace_id = ?').all(workspaceId) as Row[]).map(toMembership);
    },
    async listForUser(userId) {
      return (statement('SELECT * FROM memberships WHERE user_id = ?').all(userId) as Row[]).map(toMembership);
    },
    async countByWorkspace() {
      const rows = statement('SELECT workspace_id, COUNT(*) AS n FROM memberships GROUP BY workspace_id').all() as Row[];
      return new Map(rows.map((row) => [String(row.workspace_id), Number(row.n)]));
    },
  };

  const documents: DocumentRepository = {
    async create(document) {
      statement(
        `INSERT INTO documents (id, workspace_id, title, template, archived, created_at, created_by, updated_at, updated_by)
         VALUES (@id, @workspaceId, @title, @template, @archived, @createdAt, @createdBy, @updatedAt, @updatedBy)`,
      ).run({ ...document, archived: document.archived ? 1 : 0 });
    },
    async findById(id) {
      const row = statement('SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined;
      return row ? toDocument(row) : null;
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return (statement('SELECT * FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[]).map(toDocument);
    },
    async listForWorkspace(workspaceId) {
      return (
        statement('SELECT * FROM documents WHERE workspace_id = ? ORDER BY updated_at DESC').all(workspaceId) as Row[]
      ).map(toDocument);
    },
    async countByWorkspace() {
      const rows = db
        .prepare('SELECT workspace_id, COUNT(*) AS n FROM documents WHERE archived = 0 GROUP BY workspace_id')
        .all() as Row[];
      return new Map(rows.map((row) => [String(row.workspace_id), Number(row.n)]));
    },
    async update(id, patch: DocumentPatch) {
      const { sql, values } = setClause(patch, { title: 'title', archived: 'archived' });
      if (sql) statement(`UPDATE documents SET ${sql} WHERE id = @id`).run({ ...values, id });
      return documents.findById(id);
    },
  };

  // Reads on this thread; appends and compactions on the writer thread (see contentWorker.ts).
  const sql = contentSql(db);
  const writer = new ContentWriter(file);
  const content: DocumentContentRepository = {
    append: (batch, at) => writer.append(batch, at),
    async load(docId) {
      return sql.load(docId);
    },
    async countUpdates(docId) {
      return sql.countUpdates(docId);
    },
    compact: (docId) => writer.compact(docId),
  };

  return {
    kind: 'sqlite',
    users,
    sessions,
    invitations,
    workspaces,
    memberships,
    documents,
    content,
    meetings: sqliteMeetings(db),
    threads: sqliteThreads(db),
    notifications: sqliteNotifications(db),
    async ping() {
      statement('SELECT 1').get();
    },
    async close() {
      await writer.close();
      if (db.open) db.close();
    },
  };
}

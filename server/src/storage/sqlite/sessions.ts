import type { SessionRecord, SessionRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection } from './util.js';

export const SESSIONS = table<SessionRecord>('sessions', {
  tokenHash: text('token_hash'),
  userId: text('user_id'),
  createdAt: text('created_at'),
  expiresAt: text('expires_at'),
});

export function sqliteSessions({ statement }: Connection): SessionRepository {
  const sessions = SESSIONS.on(statement);
  return {
    async create(session) {
      sessions.insert(session);
    },
    async find(tokenHash) {
      return sessions.get('SELECT * FROM sessions WHERE token_hash = ?', tokenHash);
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
}

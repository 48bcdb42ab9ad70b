import type { Db } from 'mongodb';
import type { SessionRecord, SessionRepository } from '../port.js';
import { records } from './records.js';

export const SESSIONS = records<SessionRecord>('sessions', { key: (session) => session.tokenHash });

export async function mongoSessions(db: Db): Promise<SessionRepository> {
  const sessions = SESSIONS.on(db);
  await sessions.collection.createIndex({ userId: 1 });
  return {
    async create(session) {
      await sessions.insert(session);
    },
    find: (tokenHash) => sessions.findById(tokenHash),
    async delete(tokenHash) {
      await sessions.collection.deleteOne({ _id: tokenHash });
    },
    async deleteForUser(userId) {
      await sessions.collection.deleteMany({ userId });
    },
    async deleteExpired(now) {
      return (await sessions.collection.deleteMany({ expiresAt: { $lte: now } })).deletedCount;
    },
  };
}

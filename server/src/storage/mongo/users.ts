import type { Db } from 'mongodb';
import { DuplicateKeyError, type UserRecord, type UserRepository } from '../port.js';
import { records } from './records.js';
import { isDuplicateKey } from './util.js';

export const USERS = records<UserRecord>('users', { key: (user) => user.id });

export async function mongoUsers(db: Db): Promise<UserRepository> {
  const users = USERS.on(db);
  await users.collection.createIndex({ email: 1 }, { unique: true });
  return {
    async count() {
      return users.collection.countDocuments();
    },
    async create(user) {
      try {
        await users.insert(user);
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('email');
        throw error;
      }
    },
    findById: (id) => users.findById(id),
    findByEmail: (email) => users.findOne({ email }),
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return users.find({ _id: { $in: [...ids] } });
    },
    async list() {
      const all = await users.find();
      return all.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
    },
    async update(id, patch) {
      await users.patch(id, patch);
      return users.findById(id);
    },
  };
}

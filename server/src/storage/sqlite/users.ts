import { DuplicateKeyError, type UserRecord, type UserRepository } from '../port.js';
import { boolean, table, text } from './table.js';
import { isUniqueViolation, type Connection, type Row } from './util.js';

export const USERS = table<UserRecord>('users', {
  id: text,
  email: text,
  name: text,
  country: text,
  organisation: text,
  passwordHash: text('password_hash'),
  isAdmin: boolean('is_admin'),
  active: boolean,
  createdAt: text('created_at'),
});

export function sqliteUsers({ statement }: Connection): UserRepository {
  const users = USERS.on(statement);
  const findById = (id: string) => users.get('SELECT * FROM users WHERE id = ?', id);
  return {
    async count() {
      return Number((statement('SELECT COUNT(*) AS n FROM users').get() as Row).n);
    },
    async create(user) {
      try {
        users.insert(user);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateKeyError('email');
        throw error;
      }
    },
    async findById(id) {
      return findById(id);
    },
    async findByEmail(email) {
      return users.get('SELECT * FROM users WHERE email = ?', email);
    },
    async findManyByIds(ids) {
      if (ids.length === 0) return [];
      return users.all('SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(ids));
    },
    async list() {
      return users.all('SELECT * FROM users ORDER BY name COLLATE NOCASE');
    },
    async update(id, patch) {
      users.patch({ id }, patch);
      return findById(id);
    },
  };
}

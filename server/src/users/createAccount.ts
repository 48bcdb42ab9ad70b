import type { AppContext } from '../context.js';
import { ConflictError } from '../errors.js';
import { newId } from '../ids.js';
import { hashPassword } from '../auth/passwords.js';
import { DuplicateKeyError, type UserRecord } from '../storage/port.js';

export interface AccountFields {
  email: string;
  name: string;
  country: string;
  organisation: string;
  password: string;
  isAdmin?: boolean;
}

/** Hashes the password and stores a new active account; 409 with `conflict` when the email is taken. */
export async function createAccount(ctx: AppContext, fields: AccountFields, conflict: string): Promise<UserRecord> {
  const user: UserRecord = {
    id: newId(),
    email: fields.email,
    name: fields.name,
    country: fields.country,
    organisation: fields.organisation,
    passwordHash: await hashPassword(fields.password, ctx.config.scryptCost),
    isAdmin: fields.isAdmin ?? false,
    active: true,
    createdAt: new Date().toISOString(),
  };
  try {
    await ctx.store.users.create(user);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw new ConflictError(conflict);
    throw error;
  }
  return user;
}

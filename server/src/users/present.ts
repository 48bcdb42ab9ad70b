import type { PublicUser, User } from '@jane/shared';
import type { UserRecord } from '../storage/port.js';

/** The signed-in user's own view of their account (never the password hash). */
export function presentUser(record: UserRecord): User {
  return {
    id: record.id,
    name: record.name,
    email: record.email,
    country: record.country,
    organisation: record.organisation,
    isAdmin: record.isAdmin,
    active: record.active,
    createdAt: record.createdAt,
  };
}

export function presentPublicUser(record: UserRecord): PublicUser {
  return { id: record.id, name: record.name, email: record.email, country: record.country, organisation: record.organisation };
}

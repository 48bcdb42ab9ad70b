import type { Role } from '@jane/shared';
import type { JaneServer } from '../../src/app.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/ids.js';
import { ApiClient } from './api.js';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestPerson {
  id: string;
  email: string;
  name: string;
  country: string;
  api: ApiClient;
}

let sequence = 0;

/** Creates an account directly in the store, gives it roles, and signs it in over REST. */
export async function createPerson(
  server: JaneServer,
  options: { name?: string; country?: string; organisation?: string; isAdmin?: boolean; roles?: Record<string, Role> } = {},
): Promise<TestPerson> {
  const id = newId();
  const n = ++sequence;
  const email = `person${n}-${id.slice(0, 6).toLowerCase()}@example.eu`;
  const name = options.name ?? `Person ${n}`;
  const country = options.country ?? 'IT';
  const createdAt = new Date().toISOString();
  await server.store.users.create({
    id,
    email,
    name,
    country,
    organisation: options.organisation ?? 'Test Institute',
    passwordHash: await hashPassword(TEST_PASSWORD, 10),
    isAdmin: options.isAdmin ?? false,
    active: true,
    createdAt,
  });
  for (const [workspaceId, role] of Object.entries(options.roles ?? {})) {
    await server.store.memberships.upsert({ workspaceId, userId: id, role, createdAt });
  }
  const api = new ApiClient(server.url);
  const login = await api.post('/api/auth/login', { email, password: TEST_PASSWORD });
  if (login.status !== 200) throw new Error(`login failed for ${email}: ${login.status} ${JSON.stringify(login.body)}`);
  return { id, email, name, country, api };
}

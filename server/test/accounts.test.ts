/** First run, sign-in, invitations and account administration over the real REST API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from './helpers/api.js';
import { createPerson, TEST_PASSWORD } from './helpers/people.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const admin = {
  name: 'Ada Admin',
  email: 'Admin@Jane.example',
  country: 'it',
  organisation: 'Istituto Superiore di Sanità',
  password: 'a long admin passphrase',
};

describe('first run and sign-in', () => {
  let server: TestServer;
  let browser: ApiClient;
  beforeAll(async () => {
    server = await startTestServer();
    browser = new ApiClient(server.url);
  });
  afterAll(() => server.stop());

  it('asks for setup on an empty install and creates the administrator, signed in', async () => {
    expect((await browser.get('/api/setup')).body).toEqual({ needsSetup: true });
    expect((await browser.get('/api/auth/me')).status).toBe(401);

    const created = await browser.post('/api/setup', admin);
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ name: 'Ada Admin', email: 'admin@jane.example', country: 'IT', isAdmin: true });
    expect(created.body.user.passwordHash).toBeUndefined();
    const cookie = created.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);

    expect((await browser.get('/api/auth/me')).body.user.email).toBe('admin@jane.example');
    expect((await browser.get('/api/setup')).body).toEqual({ needsSetup: false });
  });

  it('refuses a second setup once an administrator exists', async () => {
    const other = new ApiClient(server.url);
    const again = await other.post('/api/setup', { ...admin, email: 'intruder@example.eu' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already set up/);
  });

  it('stores the password hashed with scrypt, never in clear', async () => {
    const stored = await server.store.users.findByEmail('admin@jane.example');
    expect(stored!.passwordHash).toMatch(/^scrypt\$10\$/);
    expect(stored!.passwordHash).not.toContain(admin.password);
  });

  it('validates setup and sign-in input with a message per field', async () => {
    const bad = await new ApiClient(server.url).post('/api/setup', { name: '', email: 'nope', country: 'XX', organisation: 'x', password: 'short' });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'country', 'password']));

    const notJson = await new ApiClient(server.url).request('POST', '/api/auth/login', '{"email":', { 'content-type': 'application/json' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('invalid_json');

    const injection = await new ApiClient(server.url).post('/api/auth/login', { email: { $ne: null }, password: { $ne: null } });
    expect(injection.status).toBe(400);
  });

  it('signs out and in again; a wrong password is refused with a clear message', async () => {
    expect((await browser.post('/api/auth/logout')).status).toBe(204);
    expect((await browser.get('/api/auth/me')).status).toBe(401);
    const wrong = await browser.post('/api/auth/login', { email: admin.email, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe('Wrong email or password.');
    const right = await browser.post('/api/auth/login', { email: admin.email, password: admin.password });
    expect(right.status).toBe(200);
    expect((await browser.get('/api/auth/me')).status).toBe(200);
  });

  it('slows guessing down for the guesser without locking the owner out of their right password on their own device', async () => {
    const person = await createPerson(server);
    // The owner signed in on this laptop before: it is a known device for the account.
    const laptop = person.api;
    expect(laptop.cookie).toContain('jane_device=');
    const attacker = new ApiClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await attacker.post('/api/auth/login', { email: person.email, password: `guess ${i}` })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const waiting = await attacker.post('/api/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBe(15);
    // The wait in words, and advice that helps.
    expect(waiting.body.error.message).toBe('Too many failed sign-ins. Wait 15 seconds and try again. If you have forgotten your password, an administrator can reset it; the new one works at once.');
    // Same network address, but the owner's own device: the right password works at once.
    expect((await laptop.post('/api/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('ends every wait when an administrator resets the password', async () => {
    const admin = await createPerson(server, { isAdmin: true });
    const person = await createPerson(server);
    const newDevice = new ApiClient(server.url);
    for (let i = 0; i < 6; i++) await newDevice.post('/api/auth/login', { email: person.email, password: `forgotten ${i}` });
    expect((await newDevice.post('/api/auth/login', { email: person.email, password: TEST_PASSWORD })).status).toBe(429);
    expect((await admin.api.patch(`/api/admin/users/${person.id}`, { password: 'a brand new passphrase' })).status).toBe(200);
    expect((await newDevice.post('/api/auth/login', { email: person.email, password: 'a brand new passphrase' })).status).toBe(200);
  });

  it('does not tell a guesser whether the password of a deactivated account was right', async () => {
    const admin = await createPerson(server, { isAdmin: true });
    const person = await createPerson(server);
    expect((await admin.api.patch(`/api/admin/users/${person.id}`, { active: false })).status).toBe(200);
    const right = await new ApiClient(server.url).post('/api/auth/login', { email: person.email, password: TEST_PASSWORD });
    const wrong = await new ApiClient(server.url).post('/api/auth/login', { email: person.email, password: 'not it at all' });
    expect([right.status, right.body]).toEqual([wrong.status, wrong.body]);
    expect(right.status).toBe(401);
  });
});

describe('administration', () => {
  let server: TestServer;
  let adminApi: ApiClient;
  let workspaceId: string;
  beforeAll(async () => {
    server = await startTestServer();
    adminApi = (await createPerson(server, { isAdmin: true, name: 'Ada Admin' })).api;
    workspaceId = (await server.store.workspaces.list())[0]!.id;
  });
  afterAll(() => server.stop());

  it('creates an account with a workspace role; the person can sign in and sees that workspace', async () => {
    const created = await adminApi.post('/api/admin/users', {
      name: 'Jonas Weber',
      email: 'jonas@dkfz.example',
      country: 'DE',
      organisation: 'DKFZ',
      password: 'jonas password 123',
      memberships: [{ workspaceId, role: 'lead' }],
    });
    expect(created.status).toBe(201);
    const jonas = new ApiClient(server.url);
    expect((await jonas.post('/api/auth/login', { email: 'jonas@dkfz.example', password: 'jonas password 123' })).status).toBe(200);
    const list = await jonas.get('/api/workspaces');
    expect(list.body.workspaces).toHaveLength(1);
    expect(list.body.workspaces[0]).toMatchObject({ id: workspaceId, myRole: 'lead' });

    const duplicate = await adminApi.post('/api/admin/users', {
      name: 'Jonas Again', email: 'JONAS@dkfz.example', country: 'DE', organisation: 'DKFZ', password: 'another password',
    });
    expect(duplicate.status).toBe(409);
  });

  it('invites by link with an expiry; the invitee sets up their account and lands in the workspace', async () => {
    const invited = await adminApi.post('/api/admin/invitations', {
      email: 'maria@ul.example',
      name: 'Maria Novak',
      memberships: [{ workspaceId, role: 'contributor' }],
      expiresInDays: 7,
    });
    expect(invited.status).toBe(201);
    const url: string = invited.body.invitation.url;
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    const expires = new Date(invited.body.invitation.expiresAt).getTime();
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    const token = url.split('/invite/')[1]!;

    const visitor = new ApiClient(server.url);
    const preview = await visitor.get(`/api/invitations/${token}`);
    expect(preview.body.invitation).toMatchObject({ email: 'maria@ul.example', name: 'Maria Novak' });
    expect(preview.body.invitation.workspaces[0].role).toBe('contributor');

    const accepted = await visitor.post(`/api/invitations/${token}/accept`, {
      name: 'Maria Novak', country: 'SI', organisation: 'University of Ljubljana', password: 'maria password 1',
    });
    expect(accepted.status).toBe(201);
    expect((await visitor.get('/api/workspaces')).body.workspaces.map((w: { id: string }) => w.id)).toEqual([workspaceId]);

    const reuse = await new ApiClient(server.url).post(`/api/invitations/${token}/accept`, {
      name: 'Someone', country: 'FR', organisation: 'X', password: 'another password',
    });
    expect(reuse.status).toBe(410);
    expect((await new ApiClient(server.url).get('/api/invitations/not-a-real-token')).status).toBe(404);
  });

  it('refuses an expired invitation', async () => {
    const invited = await adminApi.post('/api/admin/invitations', { email: 'late@example.eu', expiresInDays: 1 });
    const token = invited.body.invitation.url.split('/invite/')[1];
    const record = (await server.store.invitations.list()).find((i) => i.email === 'late@example.eu')!;
    // Move the expiry into the past, as if the week had gone by.
    await server.store.invitations.delete(record.id);
    await server.store.invitations.create({ ...record, expiresAt: new Date(Date.now() - 1000).toISOString() });
    const preview = await new ApiClient(server.url).get(`/api/invitations/${token}`);
    expect(preview.status).toBe(410);
    expect(preview.body.error.message).toMatch(/expired/);
  });

  it('deactivates an account: its sessions end at once and it cannot sign in', async () => {
    const person = await createPerson(server, { roles: { [workspaceId]: 'contributor' } });
    expect((await person.api.get('/api/workspaces')).status).toBe(200);
    const users = (await adminApi.get('/api/admin/users')).body.users;
    expect(users.find((u: { id: string }) => u.id === person.id).memberships).toEqual([{ workspaceId, role: 'contributor' }]);
    expect((await adminApi.patch(`/api/admin/users/${person.id}`, { active: false })).status).toBe(200);
    expect((await person.api.get('/api/workspaces')).status).toBe(401);
    const again = await new ApiClient(server.url).post('/api/auth/login', { email: person.email, password: TEST_PASSWORD });
    expect(again.status).toBe(401);
  });

  it('keeps administration for administrators: others get 403, anonymous 401', async () => {
    const chair = await createPerson(server, { roles: { [workspaceId]: 'chair' } });
    expect((await chair.api.get('/api/admin/users')).status).toBe(403);
    expect((await chair.api.post('/api/admin/invitations', { email: 'x@example.eu' })).status).toBe(403);
    expect((await new ApiClient(server.url).get('/api/admin/users')).status).toBe(401);
  });

  it('slows down a flood of changes from one account with 429, leaving others unaffected', async () => {
    const flooder = await createPerson(server, { roles: { [workspaceId]: 'contributor' } });
    const results = await Promise.all(
      Array.from({ length: 320 }, (_, i) => flooder.api.post(`/api/workspaces/${workspaceId}/documents`, { title: `Spam ${i}` })),
    );
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(20);
    expect(refused[0]!.body.error.message).toMatch(/Too many changes/);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await flooder.api.get('/api/workspaces')).status).toBe(200);
    expect((await adminApi.post('/api/admin/invitations', { email: 'calm@example.eu' })).status).toBe(201);
  });

  it('refuses state-changing calls from a foreign origin even with a valid cookie', async () => {
    const forged = new ApiClient(server.url, 'https://evil.example');
    forged.cookie = adminApi.cookie;
    const response = await forged.post('/api/admin/invitations', { email: 'phished@example.eu' });
    expect(response.status).toBe(403);
    expect((await server.store.invitations.list()).some((i) => i.email === 'phished@example.eu')).toBe(false);
  });
});

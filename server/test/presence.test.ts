/** Workspace presence over socket.io with real clients against a real server. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './helpers/collab.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, emitWithAck, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let survivorship: string;
let palliative: string;
let giulia: TestPerson;
let jonas: TestPerson;
let camille: TestPerson;
let documentId: string;
const sockets: RealtimeClient[] = [];

async function open(person: TestPerson | null, options: Parameters<typeof connectRealtime>[2] = {}): Promise<RealtimeClient> {
  const socket = await connectRealtime(server.url, person?.api.cookie ?? null, options);
  sockets.push(socket);
  return socket;
}

const here = (workspaceId: string, extra: Partial<{ documentId: string | null; sectionId: string | null; sectionTitle: string | null; activity: 'active' | 'idle' | 'away'; hidden: boolean }> = {}) => ({
  workspaceId,
  documentId: null,
  sectionTitle: null,
  activity: 'active' as const,
  hidden: false,
  ...extra,
});

beforeAll(async () => {
  server = await startTestServer();
  const workspaces = await server.store.workspaces.list();
  survivorship = workspaces.find((w) => w.title === 'Survivorship')!.id;
  palliative = workspaces.find((w) => w.title === 'Palliative care')!.id;
  giulia = await createPerson(server, { name: 'Giulia Rossi', country: 'IT', roles: { [survivorship]: 'chair' } });
  jonas = await createPerson(server, { name: 'Jonas Becker', country: 'DE', roles: { [survivorship]: 'contributor', [palliative]: 'lead' } });
  camille = await createPerson(server, { name: 'Camille Laurent', country: 'FR', roles: { [palliative]: 'chair' } });
  const created = await giulia.api.post(`/api/workspaces/${survivorship}/documents`, { title: 'Call for expressions of interest', template: 'call-for-expressions-of-interest' });
  documentId = created.body.document.id;
});

afterEach(() => {
  while (sockets.length > 0) sockets.pop()!.disconnect();
});

afterAll(() => server.stop());

describe('who is online in a workspace', () => {
  it('shows a person within a second of connecting, with name and country, and removes them when they disconnect', async () => {
    const watcher = await open(giulia);
    await call(watcher, 'presence:update', here(survivorship));
    const started = Date.now();
    const arriving = await open(jonas);
    await waitFor(() => watcher.people(survivorship).some((p) => p.userId === jonas.id), 1000, 'Jonas to appear');
    expect(Date.now() - started).toBeLessThan(1000);
    const seen = watcher.people(survivorship).find((p) => p.userId === jonas.id)!;
    expect(seen).toMatchObject({ name: 'Jonas Becker', country: 'DE', activity: 'active' });

    arriving.disconnect();
    await waitFor(() => !watcher.people(survivorship).some((p) => p.userId === jonas.id), 1000, 'Jonas to leave');
  });

  it('shows where each person is: the workspace page, or a document and the section they are in', async () => {
    const watcher = await open(giulia);
    const mover = await open(jonas);
    await call(mover, 'presence:update', here(survivorship));
    await waitFor(() => watcher.people(survivorship).find((p) => p.userId === jonas.id)?.location.kind === 'workspace', 1000, 'workspace page');
    await call(mover, 'presence:update', here(survivorship, { documentId, sectionId: 'eligibility-section', sectionTitle: 'Eligibility and selection criteria' }));
    await waitFor(() => watcher.people(survivorship).find((p) => p.userId === jonas.id)?.location.kind === 'document', 1000, 'document');
    expect(watcher.people(survivorship).find((p) => p.userId === jonas.id)!.location).toEqual({
      kind: 'document',
      documentId,
      documentTitle: 'Call for expressions of interest',
      sectionId: 'eligibility-section',
      sectionTitle: 'Eligibility and selection criteria',
    });
  });

  it('says only "elsewhere" to members of other workspaces, and ignores made-up locations', async () => {
    const colleague = await open(camille);
    const mover = await open(jonas);
    await call(mover, 'presence:update', here(survivorship, { documentId, sectionTitle: 'Scope and objectives' }));
    await waitFor(() => colleague.people(palliative).find((p) => p.userId === jonas.id)?.location.kind === 'elsewhere', 1000, 'elsewhere');
    // A document of one workspace claimed under another: no document is shown.
    await call(mover, 'presence:update', here(palliative, { documentId, sectionTitle: 'Secret' }));
    await waitFor(() => colleague.people(palliative).find((p) => p.userId === jonas.id)?.location.kind === 'workspace', 1000, 'workspace only');
  });

  it('counts several tabs of one person as one person', async () => {
    const watcher = await open(giulia);
    const tab1 = await open(jonas);
    const tab2 = await open(jonas);
    await call(tab1, 'presence:update', here(survivorship, { activity: 'away' }));
    await call(tab2, 'presence:update', here(survivorship, { documentId, sectionTitle: 'How to apply' }));
    await waitFor(() => watcher.people(survivorship).find((p) => p.userId === jonas.id)?.connections === 2, 1000, 'two tabs');
    const people = watcher.people(survivorship).filter((p) => p.userId === jonas.id);
    expect(people).toHaveLength(1);
    // The active tab decides: active, in the document.
    expect(people[0]).toMatchObject({ activity: 'active', location: { kind: 'document', sectionTitle: 'How to apply' } });
    tab2.disconnect();
    await waitFor(() => watcher.people(survivorship).find((p) => p.userId === jonas.id)?.activity === 'away', 1000, 'away after the active tab closed');
  });

  it('shows idle and away as the person reports them', async () => {
    const watcher = await open(giulia);
    const person = await open(jonas);
    for (const activity of ['idle', 'away', 'active'] as const) {
      await call(person, 'presence:update', here(survivorship, { activity }));
      await waitFor(() => watcher.people(survivorship).find((p) => p.userId === jonas.id)?.activity === activity, 1000, activity);
    }
  });

  it('keeps workspaces apart: nobody receives presence of a workspace they are not in', async () => {
    const outsider = await open(camille);
    const person = await open(jonas);
    await call(person, 'presence:update', here(survivorship));
    const snapshot = await call<{ workspaces: Record<string, unknown> }>(outsider, 'presence:snapshot');
    expect(Object.keys(snapshot.workspaces)).toEqual([palliative]);
    // Barrier: Jonas then moves in the workspace they share; that event reaches the outsider after any earlier one would have.
    await call(person, 'presence:update', here(palliative));
    await waitFor(() => outsider.people(palliative).some((p) => p.userId === jonas.id && p.location.kind === 'workspace'), 2000, 'the shared workspace event');
    expect(outsider.presence.has(survivorship)).toBe(false);
  });

  it('hides a person who asked for privacy from presence lists', async () => {
    const watcher = await open(giulia);
    const shy = await open(jonas, { hidden: true });
    await call(shy, 'presence:update', here(survivorship, { hidden: true }));
    // Barrier: a visible person's later move reaches the watcher; the shy one's would have come first.
    const visible = await open(camille);
    await call(visible, 'presence:update', here(palliative));
    const giuliaTab = await open(giulia);
    await call(giuliaTab, 'presence:update', here(survivorship, { sectionTitle: null }));
    await waitFor(() => watcher.presence.get(survivorship)?.has(giuliaTab.id!) ?? false, 2000, 'a later presence event');
    expect(watcher.people(survivorship).some((p) => p.userId === jonas.id)).toBe(false);
    const fresh = await open(giulia);
    expect(fresh.people(survivorship).some((p) => p.userId === jonas.id)).toBe(false);
    await call(shy, 'presence:update', here(survivorship, { hidden: false }));
    await waitFor(() => watcher.people(survivorship).some((p) => p.userId === jonas.id), 1000, 'visible again');
  });

  it('gives each of my workspaces its online count for the home page', async () => {
    const home = await open(jonas);
    await open(giulia);
    await open(camille);
    await waitFor(() => home.people(survivorship).length === 2 && home.people(palliative).length === 2, 1000, 'counts');
    expect(home.people(survivorship).map((p) => p.name)).toEqual(['Giulia Rossi', 'Jonas Becker']);
    expect(home.people(palliative).map((p) => p.name)).toEqual(['Camille Laurent', 'Jonas Becker']);
  });
});

describe('bad input on the realtime socket', () => {
  it('refuses a connection without a session or from a foreign origin', async () => {
    await expect(connectRealtime(server.url, null)).rejects.toThrow(/unauthenticated/);
    await expect(connectRealtime(server.url, giulia.api.cookie, { origin: 'https://evil.example' })).rejects.toThrow();
  });

  it('answers malformed and unknown events with an error acknowledgement and stays connected', async () => {
    const socket = await open(jonas);
    const malformed = await emitWithAck(socket, 'presence:update', { workspaceId: { $ne: null }, activity: 'dancing' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const unknown = await emitWithAck(socket, 'admin:deleteEverything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_event' } });
    const notAnObject = await emitWithAck(socket, 'meeting:join', 'x');
    expect(notAnObject).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(socket.connected).toBe(true);
    expect((await emitWithAck(socket, 'presence:update', here(survivorship))).ok).toBe(true);
  });

  it('limits presence updates per connection', async () => {
    const socket = await open(jonas);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => emitWithAck(socket, 'presence:update', here(survivorship, { activity: i % 2 ? 'idle' : 'active' }))));
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(0);
    expect(results.find((r) => !r.ok)).toMatchObject({ error: { code: 'rate_limited' } });
  });
});

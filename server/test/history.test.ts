/**
 * Version history against real servers and stock y-websocket clients: attribution comes
 * from the server's session (not from what a client claims in awareness), deletions
 * belong to whoever deleted, versions and changes survive compaction and kill -9,
 * restoring is a new change everyone gets (and is itself in the history), "since my
 * last visit", and versions at meetings and after a pause in editing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSections, type ChangesView, type VersionView } from '@jane/shared';
import { ApiClient } from './helpers/api.js';
import { connectClient, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { ServerInstance } from './helpers/instances.js';
import { createPerson, TEST_PASSWORD, type TestPerson } from './helpers/people.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let workspaceId: string;
let chair: TestPerson;
let lead: TestPerson;
let anna: TestPerson;
let bram: TestPerson;
let observer: TestPerson;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ env: { VERSION_PAUSE_MS: '400' } });
  workspaceId = (await server.store.workspaces.list())[0]!.id;
  chair = await createPerson(server, { name: 'Chiara Chair', roles: { [workspaceId]: 'chair' } });
  lead = await createPerson(server, { name: 'Lena Lead', country: 'SE', roles: { [workspaceId]: 'lead' } });
  anna = await createPerson(server, { name: 'Anna Rossi', country: 'IT', roles: { [workspaceId]: 'contributor' } });
  bram = await createPerson(server, { name: 'Bram de Vries', country: 'NL', roles: { [workspaceId]: 'contributor' } });
  observer = await createPerson(server, { name: 'Olga Observer', roles: { [workspaceId]: 'observer' } });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

async function newCall(api: ApiClient, title = 'Call for expressions of interest'): Promise<string> {
  const created = await api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'call-for-expressions-of-interest' });
  expect(created.status).toBe(201);
  return created.body.document.id;
}

function open(person: { api: ApiClient }, url: string, documentId: string): TestClient {
  const client = connectClient(url, documentId, person.api.cookie);
  clients.push(client);
  return client;
}

/** The paragraph's text node under a section's heading (made when the template left it empty). */
function bodyText(doc: Y.Doc, sectionTitle: string): Y.XmlText {
  const section = documentSections(doc).find((s) => s.title === sectionTitle);
  if (!section) throw new Error(`no section ${sectionTitle}`);
  const paragraph = doc.getXmlFragment(DOCUMENT_FIELD).get(section.start + 1) as Y.XmlElement;
  const first = paragraph.get(0);
  if (first instanceof Y.XmlText) return first;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

async function takeVersion(person: TestPerson, documentId: string, name: string): Promise<VersionView> {
  const response = await person.api.post(`/api/documents/${documentId}/versions`, { name });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.version;
}

async function changes(api: ApiClient, documentId: string, from: string, to = 'current'): Promise<ChangesView> {
  const response = await api.get(`/api/documents/${documentId}/changes?from=${from}&to=${to}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** Waits until the store's history holds `text` (what the server has made durable). */
async function untilStored(api: ApiClient, documentId: string, text: string): Promise<void> {
  await waitFor(async () => JSON.stringify(await changes(api, documentId, 'start')).includes(text), 5_000, `“${text}” stored`);
}

describe('attribution', () => {
  it('credits each insertion to the account that sent it, even when a client claims another name in awareness', async () => {
    const documentId = await newCall(chair.api);
    const before = await takeVersion(chair, documentId, 'Before the edits');
    const a = open(anna, server.url, documentId);
    const b = open(bram, server.url, documentId);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    // Bram pretends to be Anna.
    b.provider.awareness.setLocalStateField('user', { id: anna.id, name: anna.name, country: anna.country });
    bodyText(a.doc, 'Scope and objectives').insert(0, 'Anna wrote the scope.');
    bodyText(b.doc, 'Who may apply').insert(0, 'Bram wrote who may apply.');
    await untilStored(chair.api, documentId, 'Bram wrote who may apply.');
    await untilStored(chair.api, documentId, 'Anna wrote the scope.');
    const after = await takeVersion(anna, documentId, 'After the edits');

    const result = await changes(chair.api, documentId, before.id, after.id);
    const bySection = new Map(result.sections.map((s) => [s.title, s]));
    expect(bySection.get('Scope and objectives')!.inserted).toEqual([{ text: 'Anna wrote the scope.', userId: anna.id }]);
    expect(bySection.get('Who may apply')!.inserted).toEqual([{ text: 'Bram wrote who may apply.', userId: bram.id }]);
    expect(result.sections.map((s) => s.title)).toEqual(['Scope and objectives', 'Who may apply']);
    expect(result.people).toEqual(expect.arrayContaining([
      { userId: anna.id, name: 'Anna Rossi', country: 'IT' },
      { userId: bram.id, name: 'Bram de Vries', country: 'NL' },
    ]));
    // The version lists who contributed since the one before it.
    const { versions } = (await chair.api.get(`/api/documents/${documentId}/versions`)).body as { versions: VersionView[] };
    const named = versions.filter((v) => v.kind === 'named');
    expect(named.map((v) => v.name)).toEqual(['After the edits', 'Before the edits']);
    expect(named[0]!.authors.map((p) => p.userId).sort()).toEqual([anna.id, bram.id].sort());
    expect(named[0]!.createdBy).toEqual({ userId: anna.id, name: 'Anna Rossi', country: 'IT' });
  });

  it('credits a deletion to who deleted, not to who wrote the text', async () => {
    const documentId = await newCall(chair.api);
    const a = open(anna, server.url, documentId);
    await waitForSync(a);
    bodyText(a.doc, 'How to apply').insert(0, 'Send the form by post or by email.');
    await untilStored(chair.api, documentId, 'by post or by email');
    const written = await takeVersion(anna, documentId, 'Written');
    const b = open(bram, server.url, documentId);
    await waitForSync(b);
    bodyText(b.doc, 'How to apply').delete('Send the form '.length, 'by post or '.length);
    await waitFor(async () => (await changes(chair.api, documentId, written.id)).sections.length > 0, 5_000, 'deletion stored');
    const [section] = (await changes(chair.api, documentId, written.id)).sections;
    expect(section!.title).toBe('How to apply');
    expect(section!.deleted).toEqual([{ text: 'by post or ', userId: bram.id }]);
    expect(section!.inserted).toEqual([]);
    expect(section!.blocks[0]!.segments.map((s) => [s.text, s.change])).toEqual([
      ['Send the form ', null],
      ['by post or ', 'deleted'],
      ['by email.', null],
    ]);
  });
});

describe('restore', () => {
  it('makes a fresh client’s text that of the version, keeps the whole history listed, and refuses observers and contributors', async () => {
    const documentId = await newCall(chair.api);
    const a = open(anna, server.url, documentId);
    await waitForSync(a);
    bodyText(a.doc, 'Data protection').insert(0, 'GDPR applies.');
    await untilStored(chair.api, documentId, 'GDPR applies.');
    const good = await takeVersion(anna, documentId, 'Good state');
    const goodText = a.text();
    bodyText(a.doc, 'Data protection').insert('GDPR applies.'.length, ' Nothing else matters.');
    bodyText(a.doc, 'Scope and objectives').insert(0, 'A scope written later.');
    await untilStored(chair.api, documentId, 'A scope written later.');

    expect((await observer.api.post(`/api/documents/${documentId}/versions/${good.id}/restore`, {})).status).toBe(403);
    expect((await anna.api.post(`/api/documents/${documentId}/versions/${good.id}/restore`, {})).status).toBe(403);
    expect((await observer.api.post(`/api/documents/${documentId}/versions`, { name: 'Mine' })).status).toBe(403);

    const restored = await chair.api.post(`/api/documents/${documentId}/versions/${good.id}/restore`, {});
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.changed).toBe(true);
    expect(restored.body.version.kind).toBe('restore');
    // Everyone connected gets it at once; a fresh client reads the version's text.
    await waitFor(() => a.text() === goodText, 5_000, 'the open client has the restored text');
    const fresh = open(bram, server.url, documentId);
    await waitForSync(fresh);
    expect(fresh.text()).toBe(goodText);
    const { versions } = (await chair.api.get(`/api/documents/${documentId}/versions`)).body as { versions: VersionView[] };
    // (Automatic versions come and go with the 400 ms pause of this server.)
    expect(versions.filter((v) => v.kind !== 'auto').map((v) => [v.kind, v.name])).toEqual([
      ['restore', 'Restored “Good state”'],
      ['named', 'Good state'],
    ]);
    // The restore is a change by the chair, in the history like any other.
    const undone = await changes(chair.api, documentId, good.id);
    expect(undone.sections).toEqual([]);
  });

  it('restores one section for its lead owner, leaving the rest as it is', async () => {
    const documentId = await newCall(chair.api);
    const sectionId = (await chair.api.get(`/api/documents/${documentId}/sections`)).body.sections.find((s: { title: string }) => s.title === 'Eligibility and selection criteria').id;
    expect((await chair.api.patch(`/api/documents/${documentId}/sections/${sectionId}`, { ownerId: lead.id })).status).toBe(200);
    const l = open(lead, server.url, documentId);
    await waitForSync(l);
    bodyText(l.doc, 'Eligibility and selection criteria').insert(0, 'Designated centres only.');
    await untilStored(chair.api, documentId, 'Designated centres only.');
    const first = await takeVersion(lead, documentId, 'First draft');
    bodyText(l.doc, 'Eligibility and selection criteria').delete(0, 'Designated '.length);
    bodyText(l.doc, 'How to apply').insert(0, 'Apply online.');
    await untilStored(chair.api, documentId, 'Apply online.');
    expect((await lead.api.post(`/api/documents/${documentId}/versions/${first.id}/restore`, {})).status).toBe(403); // the whole document: chairs
    const response = await lead.api.post(`/api/documents/${documentId}/versions/${first.id}/restore`, { sectionId });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    await waitFor(() => bodyText(l.doc, 'Eligibility and selection criteria').toString() === 'Designated centres only.', 5_000, 'section restored');
    expect(bodyText(l.doc, 'How to apply').toString()).toBe('Apply online.');
  });
});

describe('since my last visit', () => {
  it('shows a colleague’s edits made since the person last left the document', async () => {
    const documentId = await newCall(chair.api);
    const a = open(anna, server.url, documentId);
    await waitForSync(a);
    bodyText(a.doc, 'Scope and objectives').insert(0, 'Seen by Anna.');
    await untilStored(chair.api, documentId, 'Seen by Anna.');
    a.provider.disconnect();
    await waitFor(async () => (await server.store.visits.find(documentId, anna.id)) !== null, 5_000, 'visit recorded');
    const b = open(bram, server.url, documentId);
    await waitForSync(b);
    bodyText(b.doc, 'Scope and objectives').insert('Seen by Anna.'.length, ' New from Bram.');
    await untilStored(chair.api, documentId, 'New from Bram.');
    const result = await changes(anna.api, documentId, 'last-visit');
    expect(result.from.kind).toBe('last-visit');
    expect(result.sections.map((s) => [s.title, s.inserted])).toEqual([['Scope and objectives', [{ text: ' New from Bram.', userId: bram.id }]]]);
  });
});

describe('automatic versions', () => {
  it('takes versions before and after a meeting for the documents on its agenda, and after a pause in editing', async () => {
    const documentId = await newCall(chair.api, 'On the agenda');
    const started = await chair.api.post(`/api/workspaces/${workspaceId}/meetings`, { title: 'OMICS call', agenda: [{ title: 'The call', documentId }] });
    expect(started.status).toBe(201);
    const a = open(anna, server.url, documentId);
    await waitForSync(a);
    bodyText(a.doc, 'Scope and objectives').insert(0, 'Agreed in the meeting.');
    await untilStored(chair.api, documentId, 'Agreed in the meeting.');
    expect((await chair.api.post(`/api/meetings/${started.body.meeting.meeting.id}/end`, {})).status).toBe(200);
    const list = async () => ((await chair.api.get(`/api/documents/${documentId}/versions`)).body as { versions: VersionView[] }).versions;
    await waitFor(async () => (await list()).some((v) => v.name === 'After meeting “OMICS call”'), 5_000, 'after-meeting version');
    const meetingVersions = (await list()).filter((v) => v.kind === 'meeting');
    expect(meetingVersions.map((v) => v.name)).toEqual(['After meeting “OMICS call”', 'Before meeting “OMICS call”']);
    const [after, before] = meetingVersions;
    expect(after!.authors.map((p) => p.userId)).toEqual([anna.id]);
    const during = await changes(chair.api, documentId, before!.id, after!.id);
    expect(during.sections.map((s) => s.inserted)).toEqual([[{ text: 'Agreed in the meeting.', userId: anna.id }]]);

    // A pause after more edits (VERSION_PAUSE_MS is 400 here) makes an automatic version.
    bodyText(a.doc, 'Scope and objectives').insert(0, 'Later. ');
    await untilStored(chair.api, documentId, 'Later. ');
    await waitFor(async () => (await list())[0]!.kind === 'auto', 8_000, 'automatic version');
    expect((await list())[0]!.authors.map((p) => p.userId)).toEqual([anna.id]);
  });
});

describe('automatic versions across a restart', () => {
  it('still takes the automatic version a kill -9 cut short, with the edits and their author', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-history-resume-'));
    const env: Record<string, string> = { DATA_DIR: dataDir, VERSION_PAUSE_MS: '600000' };
    const instance = new ServerInstance({ name: 'history-resume', env, logFile: path.join(dataDir, 'server.log') });
    try {
      await instance.start();
      const admin = new ApiClient(instance.url);
      expect((await admin.post('/api/setup', { name: 'Ada Admin', email: 'ada@example.eu', country: 'BE', organisation: 'JANE', password: TEST_PASSWORD })).status).toBe(201);
      const ws = (await admin.get('/api/workspaces')).body.workspaces[0].id;
      const documentId = (await admin.post(`/api/workspaces/${ws}/documents`, { title: 'Cut short', template: 'call-for-expressions-of-interest' })).body.document.id as string;
      const list = async () => ((await admin.get(`/api/documents/${documentId}/versions`)).body as { versions: VersionView[] }).versions;
      await admin.post(`/api/documents/${documentId}/versions`, { name: 'Start' });
      const p = open({ api: admin }, instance.url, documentId);
      await waitForSync(p);
      bodyText(p.doc, 'Scope and objectives').insert(0, 'Typed just before the crash.');
      await untilStored(admin, documentId, 'Typed just before the crash.');
      p.destroy();
      // Ten minutes of quiet were due; the process dies long before.
      await instance.kill();
      env.VERSION_PAUSE_MS = '300';
      await instance.start();
      await waitFor(async () => (await list())[0]?.kind === 'auto', 10_000, 'the automatic version after the restart');
      const [auto, start] = await list();
      expect(start!.name).toBe('Start');
      expect(auto!.authors.map((a) => a.name)).toEqual(['Ada Admin']);
      const since = await changes(admin, documentId, start!.id, auto!.id);
      expect(since.sections.flatMap((s) => s.inserted.map((c) => c.text))).toEqual(['Typed just before the crash.']);
    } finally {
      await instance.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('history through compaction and kill -9', () => {
  it('lists the same versions and the same attributed changes after the log was compacted and the server killed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-history-kill-'));
    const instance = new ServerInstance({ name: 'history', env: { DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '5' }, logFile: path.join(dataDir, 'server.log') });
    try {
      await instance.start();
      const admin = new ApiClient(instance.url);
      expect((await admin.post('/api/setup', { name: 'Ada Admin', email: 'ada@example.eu', country: 'BE', organisation: 'JANE', password: TEST_PASSWORD })).status).toBe(201);
      const ws = (await admin.get('/api/workspaces')).body.workspaces[0].id;
      const made = await admin.post('/api/admin/users', {
        name: 'Piotr Nowak',
        email: 'piotr@example.eu',
        country: 'PL',
        organisation: 'NIO',
        password: TEST_PASSWORD,
        memberships: [{ workspaceId: ws, role: 'contributor' }],
      });
      expect(made.status).toBe(201);
      const piotr = new ApiClient(instance.url);
      expect((await piotr.post('/api/auth/login', { email: 'piotr@example.eu', password: TEST_PASSWORD })).status).toBe(200);
      const documentId = (await admin.post(`/api/workspaces/${ws}/documents`, { title: 'Killed', template: 'call-for-expressions-of-interest' })).body.document.id as string;
      const start = (await admin.post(`/api/documents/${documentId}/versions`, { name: 'Start' })).body.version as VersionView;
      const p = open({ api: piotr }, instance.url, documentId);
      await waitForSync(p);
      const text = bodyText(p.doc, 'Scope and objectives');
      for (let i = 0; i < 30; i++) text.insert(text.length, `w${i} `);
      await untilStored(admin, documentId, 'w29 ');
      const done = (await admin.post(`/api/documents/${documentId}/versions`, { name: 'Done' })).body.version as VersionView;
      const before = await changes(admin, documentId, start.id, done.id);
      const versionsBefore = (await admin.get(`/api/documents/${documentId}/versions`)).body;
      expect(before.sections[0]!.inserted.map((c) => c.userId)).toEqual([made.body.user.id]);
      expect(before.sections[0]!.inserted.map((c) => c.text).join('')).toBe(Array.from({ length: 30 }, (_, i) => `w${i} `).join(''));

      await instance.kill();
      await instance.start();
      expect((await admin.get(`/api/documents/${documentId}/versions`)).body).toEqual(versionsBefore);
      expect(await changes(admin, documentId, start.id, done.id)).toEqual(before);
    } finally {
      await instance.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Sections as units of work, against real servers and stock clients: stable ids in the
 * document (kept through renames, given to headings that lack one — deterministically,
 * even by two instances at once), owners and the draft → in review → agreed workflow
 * with its rules and history, live updates, and agreed text that no client without the
 * right can change.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSections, type SectionView } from '@jane/shared';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { docFromState } from '../src/storage/docState.js';
import { newId } from '../src/ids.js';
import { migrateSectionReferences } from '../src/sections/migrateReferences.js';
import type { MeetingState } from '@jane/shared';
import { connectClient, textOf, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { connectRealtime, call, type RealtimeClient } from './helpers/realtime.js';
import { requireRedis } from './helpers/redis.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let mongo: TestMongo;
let first: TestServer;
let second: TestServer;
let workspaceId: string;
let chair: TestPerson;
let lead: TestPerson;
let contributor: TestPerson;
let observer: TestPerson;
const clients: TestClient[] = [];
const sockets: RealtimeClient[] = [];

beforeAll(async () => {
  const redisUrl = await requireRedis();
  mongo = await startTestMongo();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-sections-${randomUUID()}` };
  first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  workspaceId = (await first.store.workspaces.list())[0]!.id;
  chair = await createPerson(first, { name: 'Chiara Chair', roles: { [workspaceId]: 'chair' } });
  lead = await createPerson(first, { name: 'Lena Lead', roles: { [workspaceId]: 'lead' } });
  contributor = await createPerson(first, { name: 'Carlo Contributor', roles: { [workspaceId]: 'contributor' } });
  observer = await createPerson(first, { name: 'Olga Observer', roles: { [workspaceId]: 'observer' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await first?.stop();
  await second?.stop();
  await mongo?.stop();
});

async function newCall(): Promise<string> {
  const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Call for expressions of interest', template: 'call-for-expressions-of-interest' });
  expect(created.status).toBe(201);
  return created.body.document.id;
}

async function sections(person: TestPerson, documentId: string): Promise<SectionView[]> {
  const response = await person.api.get(`/api/documents/${documentId}/sections`);
  expect(response.status).toBe(200);
  return response.body.sections;
}

function open(person: TestPerson, server: TestServer, documentId: string): TestClient {
  const client = connectClient(server.url, documentId, person.api.cookie);
  clients.push(client);
  return client;
}

/** A level-2 heading as a client writes it (with `sectionId` when given). */
function headingElement(title: string, sectionId?: string): Y.XmlElement {
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2 as unknown as string);
  if (sectionId) heading.setAttribute('sectionId', sectionId);
  const text = new Y.XmlText();
  text.insert(0, title);
  heading.insert(0, [text]);
  return heading;
}

const headingAt = (doc: Y.Doc, index: number) => doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;
const textAt = (doc: Y.Doc, index: number) => headingAt(doc, index).get(0) as Y.XmlText;

describe('section identity', () => {
  it('lists the sections in document order with stable ids that survive a rename', async () => {
    const documentId = await newCall();
    const before = await sections(contributor, documentId);
    expect(before.map((s) => s.title)).toEqual([
      'Call for expressions of interest',
      'Background and purpose of the network',
      'Scope and objectives',
      'Who may apply',
      'Eligibility and selection criteria',
      'Obligations of members and governance',
      'Assessment procedure and timeline',
      'How to apply',
      'Data protection',
    ]);
    expect(new Set(before.map((s) => s.id)).size).toBe(before.length);
    expect(before[2]).toMatchObject({ level: 2, ownerId: null, status: 'draft', updatedAt: null });
    // Renamed by a stock client: same id, new title.
    const editor = open(contributor, first, documentId);
    await waitForSync(editor);
    const scope = textAt(editor.doc, 3);
    scope.delete(0, scope.length);
    scope.insert(0, 'Scope, objectives and outcomes');
    await waitFor(async () => (await sections(contributor, documentId))[2]!.title === 'Scope, objectives and outcomes', 5000, 'renamed');
    expect((await sections(contributor, documentId)).map((s) => s.id)).toEqual(before.map((s) => s.id));
  });

  it('gives a copied or new heading an id of its own, so that two headings never share one', async () => {
    const documentId = await newCall();
    const editor = open(contributor, first, documentId);
    await waitForSync(editor);
    const original = headingAt(editor.doc, 3).getAttribute('sectionId');
    // A pasted copy of "Scope and objectives" (with its id) and a heading a stock client typed (no id).
    const copy = headingElement('Scope and objectives (copy)', original!);
    const plain = headingElement('Typed by a stock client');
    editor.doc.getXmlFragment(DOCUMENT_FIELD).insert(editor.doc.getXmlFragment(DOCUMENT_FIELD).length, [copy, plain]);
    await waitFor(() => documentSections(editor.doc).every((s) => s.id) && new Set(documentSections(editor.doc).map((s) => s.id)).size === documentSections(editor.doc).length, 5000, 'ids repaired');
    expect(headingAt(editor.doc, 3).getAttribute('sectionId')).toBe(original);
  });

  it("gives a heading whose id a client set to another heading's, or removed, an id of its own again", async () => {
    const documentId = await newCall();
    const editor = open(contributor, first, documentId);
    await waitForSync(editor);
    const [, scope, next, later] = documentSections(editor.doc);
    editor.doc.transact(() => {
      next!.heading.setAttribute('sectionId', scope!.id!);
      later!.heading.removeAttribute('sectionId');
    });
    expect(documentSections(editor.doc).map((s) => s.id)).toContain(null);
    await waitFor(() => documentSections(editor.doc).every((s) => s.id) && new Set(documentSections(editor.doc).map((s) => s.id)).size === documentSections(editor.doc).length, 5000, 'ids repaired');
    expect(documentSections(editor.doc)[1]!.id).toBe(scope!.id);
  });

  it('gives a document written before sections existed its ids once, the same on two instances loading it at once', async () => {
    // Content without ids, stored as an old server would have stored it.
    const documentId = newId();
    const old = new Y.Doc();
    const fragment = old.getXmlFragment(DOCUMENT_FIELD);
    for (const title of ['Mission and scope', 'Governance structure', 'Risks']) fragment.push([headingElement(title)]);
    const now = new Date().toISOString();
    await first.store.content.append([{ docId: documentId, data: Y.encodeStateAsUpdate(old), userId: chair.id }], now);
    await first.store.documents.create({ id: documentId, workspaceId, title: 'Old plan', template: 'blank', archived: false, createdAt: now, createdBy: chair.id, updatedAt: now, updatedBy: chair.id });
    const onFirst = open(contributor, first, documentId);
    const onSecond = open(contributor, second, documentId);
    await Promise.all([waitForSync(onFirst), waitForSync(onSecond)]);
    const ids = (doc: Y.Doc) => documentSections(doc).map((s) => s.id);
    await waitFor(() => ids(onFirst.doc).every(Boolean) && JSON.stringify(ids(onFirst.doc)) === JSON.stringify(ids(onSecond.doc)), 5000, 'ids on both');
    await waitFor(async () => {
      const stored = docFromState(await first.store.content.load(documentId));
      return JSON.stringify(ids(stored)) === JSON.stringify(ids(onFirst.doc));
    }, 5000, 'stored');
    expect(new Set(ids(onFirst.doc)).size).toBe(3);
    // "Last edited by" is still the person, not the server that added the ids.
    expect((await first.store.documents.findById(documentId))!.updatedBy).toBe(chair.id);
  });
});

describe('references to sections', () => {
  it('keeps a thread, an agenda item and a follower on a section through its renaming', async () => {
    const documentId = await newCall();
    const scope = (await sections(chair, documentId)).find((s) => s.title === 'Scope and objectives')!;
    const position = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0))).toString('base64');
    const anchor = { kind: 'section' as const, start: position, end: position, quote: 'Scope and objectives' };
    const thread = await contributor.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionId: scope.id, sectionTitle: scope.title, body: 'Is the scope too wide?' });
    expect(thread.status).toBe(201);
    const chairSocket = await connectRealtime(first.url, chair.api.cookie);
    const follower = await connectRealtime(second.url, contributor.api.cookie);
    sockets.push(chairSocket, follower);
    const meeting = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Review', agenda: [{ title: 'Scope', documentId, sectionId: scope.id, sectionTitle: scope.title }] });
    await call(chairSocket, 'presence:update', { workspaceId, documentId, sectionId: scope.id, sectionTitle: scope.title, activity: 'active', hidden: false });
    await waitFor(() => [...(follower.presence.get(workspaceId)?.values() ?? [])].some((c) => c.location.kind === 'document' && c.location.sectionId === scope.id), 3000, 'the chair’s location, by id');

    const editor = open(chair, first, documentId);
    await waitForSync(editor);
    const title = textAt(editor.doc, 3);
    title.delete(0, title.length);
    title.insert(0, 'Scope and objectives of the network');
    await waitFor(async () => (await sections(chair, documentId)).some((s) => s.id === scope.id && s.title === 'Scope and objectives of the network'), 5000, 'renamed');

    const threads = (await contributor.api.get(`/api/documents/${documentId}/threads`)).body.threads;
    expect(threads[0]).toMatchObject({ sectionId: scope.id, sectionTitle: 'Scope and objectives of the network' });
    expect((await first.meetings.state(meeting.meeting.id)).meeting.agenda[0]).toMatchObject({ documentId, sectionId: scope.id });
    expect([...(follower.presence.get(workspaceId)?.values() ?? [])].some((c) => c.location.kind === 'document' && c.location.sectionId === scope.id)).toBe(true);
    await call(chairSocket, 'meeting:end', { meetingId: meeting.meeting.id });
  });

  it('points threads and agenda items that knew only a section title at the section, once', async () => {
    const documentId = await newCall();
    const criteria = (await sections(chair, documentId)).find((s) => s.title === 'Eligibility and selection criteria')!;
    const now = new Date().toISOString();
    const threadId = newId();
    await first.store.threads.create(
      { id: threadId, workspaceId, documentId, anchor: { kind: 'section', start: 'AA==', end: 'AA==', quote: criteria.title }, sectionId: null, sectionTitle: criteria.title, createdBy: chair.id, createdAt: now, resolvedAt: null, resolvedBy: null, lastActivityAt: now },
      { id: newId(), threadId, authorId: chair.id, body: 'An old thread', mentions: [], createdAt: now, editedAt: null, deletedAt: null },
    );
    const meetingId = newId();
    await first.store.meetings.start({ id: meetingId, workspaceId: (await first.store.workspaces.list())[3]!.id, title: 'Old meeting', agenda: [{ title: 'Criteria', documentId, sectionId: null, sectionTitle: criteria.title }, { title: 'AOB', documentId: null, sectionId: null, sectionTitle: null }], quorumCountries: null, startedAt: now, startedBy: chair.id, endedAt: null, minutesDocumentId: null });
    const counts = await migrateSectionReferences(first.store, first.collab.liveDocuments, first.context.logger);
    expect(counts.threads).toBeGreaterThanOrEqual(1);
    expect((await first.store.threads.findById(threadId))!.sectionId).toBe(criteria.id);
    expect((await first.store.meetings.findById(meetingId))!.agenda.map((item) => item.sectionId)).toEqual([criteria.id, null]);
    // A second run changes nothing.
    const again = await migrateSectionReferences(first.store, first.collab.liveDocuments, first.context.logger);
    expect(again).toEqual({ threads: 0, agendaItems: 0 });
    await first.store.meetings.end(meetingId, new Date().toISOString());
  });
});

describe('owners and the workflow', () => {
  it('lets chairs set owners, owners send their section to review, and only chairs or a lead owner agree or reopen it; every change is recorded', async () => {
    const documentId = await newCall();
    const [, , scope, whoMayApply] = await sections(chair, documentId);
    const patch = (person: TestPerson, sectionId: string, body: unknown) => person.api.patch(`/api/documents/${documentId}/sections/${sectionId}`, body);

    expect((await patch(contributor, scope!.id, { ownerId: lead.id })).status).toBe(403);
    expect((await patch(chair, scope!.id, { ownerId: observer.id })).status).toBe(400);
    expect((await patch(chair, scope!.id, { ownerId: 'no-such-person' })).status).toBe(400);
    expect((await patch(chair, 'no-such-section', { status: 'in-review' })).status).toBe(404);
    const owned = await patch(chair, scope!.id, { ownerId: lead.id });
    expect(owned.status).toBe(200);
    expect(owned.body.section).toMatchObject({ id: scope!.id, ownerId: lead.id, status: 'draft' });

    expect((await patch(lead, scope!.id, { status: 'agreed' })).status).toBe(400); // no shortcut past review
    expect((await patch(contributor, scope!.id, { status: 'in-review' })).status).toBe(403);
    expect((await patch(lead, scope!.id, { status: 'in-review' })).body.section.status).toBe('in-review');
    expect((await patch(lead, scope!.id, { status: 'agreed' })).body.section.status).toBe('agreed');

    // A contributor owns another section: to review and back, but not agreed.
    await patch(chair, whoMayApply!.id, { ownerId: contributor.id });
    const mine = (await sections(contributor, documentId)).find((s) => s.id === whoMayApply!.id)!;
    expect(mine.abilities.moveTo).toEqual(['in-review']);
    expect((await patch(contributor, whoMayApply!.id, { status: 'in-review' })).status).toBe(200);
    expect((await patch(contributor, whoMayApply!.id, { status: 'agreed' })).status).toBe(403);
    expect((await patch(chair, whoMayApply!.id, { status: 'agreed' })).status).toBe(200);

    const activity = await chair.api.get(`/api/documents/${documentId}/sections/${scope!.id}/activity`);
    expect(activity.body.activity.map((e: { kind: string; from: string | null; to: string | null; by: { name: string } }) => [e.kind, e.from, e.to, e.by.name])).toEqual([
      ['owner', null, lead.id, 'Chiara Chair'],
      ['status', 'draft', 'in-review', 'Lena Lead'],
      ['status', 'in-review', 'agreed', 'Lena Lead'],
    ]);
    expect((await observer.api.get(`/api/documents/${documentId}/sections`)).status).toBe(200);
  });

  it('tells everyone in the workspace and the document at once, on every instance', async () => {
    const documentId = await newCall();
    const [, scope] = await sections(chair, documentId);
    const onSecond = await connectRealtime(second.url, contributor.api.cookie);
    sockets.push(onSecond);
    await call(onSecond, 'document:watch', { documentId });
    const seen: string[] = [];
    onSecond.on('sections:changed', (event) => seen.push(event.documentId));
    await chair.api.patch(`/api/documents/${documentId}/sections/${scope!.id}`, { ownerId: contributor.id });
    await waitFor(() => seen.length >= 1, 3000, 'the change on the other instance');
    expect(seen[0]).toBe(documentId);
  });

  it('tells the chairs when a section goes to review, and its owner when it is agreed, reopened or commented on — never the one who did it', async () => {
    const documentId = await newCall();
    const scope = (await sections(chair, documentId)).find((s) => s.title === 'Scope and objectives')!;
    const patch = (person: TestPerson, body: unknown) => person.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, body);
    type Bell = { kind: string; sectionId: string | null; sectionTitle: string | null; threadId: string | null; documentId: string; actor: { name: string }; excerpt: string }[];
    const bell = async (person: TestPerson): Promise<Bell> =>
      ((await person.api.get('/api/notifications')).body.notifications as Bell).filter((n) => n.documentId === documentId);
    const live: string[] = [];
    const chairSocket = await connectRealtime(second.url, chair.api.cookie);
    sockets.push(chairSocket);
    chairSocket.on('notification:new', ({ notification }) => live.push(notification.kind));

    await patch(chair, { ownerId: contributor.id });
    expect((await patch(contributor, { status: 'in-review' })).status).toBe(200);
    expect(await bell(chair)).toEqual([
      expect.objectContaining({ kind: 'section-review', sectionId: scope.id, sectionTitle: 'Scope and objectives', threadId: null, actor: expect.objectContaining({ name: 'Carlo Contributor' }), excerpt: 'Scope and objectives' }),
    ]);
    await waitFor(() => live.includes('section-review'), 3000, 'the chair’s bell, live on the other instance');
    expect(await bell(contributor)).toEqual([]); // the change was stored with its notifications before the answer

    await patch(chair, { status: 'agreed' });
    await patch(chair, { status: 'draft' });
    expect((await bell(contributor)).map((n) => [n.kind, n.sectionId, n.actor.name])).toEqual([
      ['section-reopened', scope.id, 'Chiara Chair'],
      ['section-agreed', scope.id, 'Chiara Chair'],
    ]);

    // A comment in the section: its owner is told (once, even when also mentioned); the author is not.
    const position = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0))).toString('base64');
    const anchor = { kind: 'section' as const, start: position, end: position, quote: 'Scope and objectives' };
    const thread = await lead.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionId: scope.id, sectionTitle: scope.title, body: 'Narrow it to adults?' });
    expect(thread.status).toBe(201);
    await lead.api.post(`/api/threads/${thread.body.thread.id}/comments`, { body: `@[${contributor.id}] and rare cancers?` });
    expect((await bell(contributor)).map((n) => [n.kind, n.threadId, n.excerpt])).toEqual([
      ['mention', thread.body.thread.id, '@Carlo Contributor and rare cancers?'],
      ['section-comment', thread.body.thread.id, 'Narrow it to adults?'],
      ['section-reopened', null, 'Scope and objectives'],
      ['section-agreed', null, 'Scope and objectives'],
    ]);
    expect(await bell(lead)).toEqual([]);
  });
});

describe('progress and what waits for whom', () => {
  it('shows each document’s progress in the workspace and each person’s open sections and what waits for them', async () => {
    const documentId = await newCall();
    const all = await sections(chair, documentId);
    const [, background, scope, whoMayApply] = all;
    const patch = (person: TestPerson, sectionId: string, body: unknown) => person.api.patch(`/api/documents/${documentId}/sections/${sectionId}`, body);
    await patch(chair, background!.id, { ownerId: lead.id });
    await patch(lead, background!.id, { status: 'in-review' });
    await patch(chair, background!.id, { status: 'agreed' });
    await patch(chair, scope!.id, { ownerId: contributor.id });
    await patch(contributor, scope!.id, { status: 'in-review' });
    await patch(chair, whoMayApply!.id, { ownerId: contributor.id });

    const progress = await contributor.api.get(`/api/workspaces/${workspaceId}/sections/progress`);
    expect(progress.status).toBe(200);
    const mine = progress.body.documents.find((d: { documentId: string }) => d.documentId === documentId);
    // The title heading is not a unit of work: 8 sections, 1 agreed, 1 in review.
    expect(mine).toMatchObject({ total: 8, agreed: 1, inReview: 1 });
    expect(mine.open).toHaveLength(7);
    expect(mine.open[0]).toEqual({ id: scope!.id, title: 'Scope and objectives', status: 'in-review', owner: { id: contributor.id, name: 'Carlo Contributor', country: contributor.country } });
    expect(mine.open[1]).toMatchObject({ id: whoMayApply!.id, status: 'draft', owner: { name: 'Carlo Contributor' } });
    expect(mine.open[2]).toMatchObject({ status: 'draft', owner: null });

    const home = (await contributor.api.get('/api/me/sections')).body;
    expect(home.mine.filter((s: { documentId: string }) => s.documentId === documentId).map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [scope!.id, 'in-review'],
      [whoMayApply!.id, 'draft'],
    ]);
    expect(home.mine[0]).toMatchObject({ documentTitle: 'Call for expressions of interest', workspaceId, workspaceTitle: expect.any(String) });
    expect(home.waitingForMe).toEqual([]); // a contributor agrees nothing
    const chairHome = (await chair.api.get('/api/me/sections')).body;
    expect(chairHome.waitingForMe.filter((s: { documentId: string }) => s.documentId === documentId).map((s: { id: string }) => s.id)).toEqual([scope!.id]);
    expect((await lead.api.get('/api/me/sections')).body.mine.filter((s: { documentId: string }) => s.documentId === documentId)).toEqual([]); // theirs is agreed

    // A section whose heading is deleted leaves the lists.
    const editor = open(chair, first, documentId);
    await waitForSync(editor);
    const fragment = editor.doc.getXmlFragment(DOCUMENT_FIELD);
    const index = fragment.toArray().findIndex((node) => node instanceof Y.XmlElement && node.getAttribute('sectionId') === whoMayApply!.id);
    fragment.delete(index, 2);
    await waitFor(async () => (await sections(chair, documentId)).every((s) => s.id !== whoMayApply!.id), 5000, 'the heading gone');
    expect((await contributor.api.get('/api/me/sections')).body.mine.map((s: { id: string }) => s.id)).not.toContain(whoMayApply!.id);
    expect((await contributor.api.get(`/api/workspaces/${workspaceId}/sections/progress`)).body.documents.find((d: { documentId: string }) => d.documentId === documentId)).toMatchObject({ total: 7 });
    expect((await contributor.api.get('/api/workspaces/no-such-workspace/sections/progress')).status).toBe(404);
  });
});

describe('agreed text stays agreed', () => {
  it('undoes what a stock client without the right changes in an agreed section, keeps its other edits, and the chair still edits', async () => {
    const documentId = await newCall();
    const all = await sections(chair, documentId);
    const scope = all.find((s) => s.title === 'Scope and objectives')!;
    await chair.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { ownerId: lead.id });
    const writer = open(chair, first, documentId);
    await waitForSync(writer);
    textAt(writer.doc, 4).insert(0, 'The network covers rare and complex cancers.');
    await waitFor(async () => textOf(docFromState(await first.store.content.load(documentId))).includes('rare and complex'), 5000, 'stored');
    await lead.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { status: 'in-review' });
    expect((await lead.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { status: 'agreed' })).status).toBe(200);

    // A contributor on the other instance changes the agreed paragraph and a draft section in one transaction.
    const tamperer = open(contributor, second, documentId);
    await waitForSync(tamperer);
    await waitFor(() => textOf(tamperer.doc).includes('rare and complex'), 5000, 'synced');
    const agreedText = textAt(writer.doc, 4).toString();
    tamperer.doc.transact(() => {
      textAt(tamperer.doc, 4).insert(0, 'NOT AGREED: ');
      textAt(tamperer.doc, 4).delete(20, 10);
      textAt(tamperer.doc, 6).insert(0, 'Applicants must be hospitals.');
    });
    // Everyone, the sender too, ends up with the agreed text; the draft edit stands.
    await waitFor(() => textAt(tamperer.doc, 4).toString() === agreedText && textAt(tamperer.doc, 6).toString() === 'Applicants must be hospitals.', 5000, 'the sender converges');
    await waitFor(() => textAt(writer.doc, 6).toString() === 'Applicants must be hospitals.', 5000, 'the draft edit reaches the chair');
    expect(textAt(writer.doc, 4).toString()).toBe(agreedText);
    const fresh = open(observer, first, documentId);
    await waitForSync(fresh);
    expect(textAt(fresh.doc, 4).toString()).toBe(agreedText);
    const stored = docFromState(await first.store.content.load(documentId));
    expect(textAt(stored, 4).toString()).toBe(agreedText);
    expect(JSON.stringify([...(await first.store.content.load(documentId)).updates].map((u) => Buffer.from(u).toString('latin1')))).not.toContain('NOT AGREED');

    // The chair may change agreed text.
    textAt(writer.doc, 4).insert(textAt(writer.doc, 4).length, ' Chair addition.');
    await waitFor(() => textAt(tamperer.doc, 4).toString().endsWith('Chair addition.'), 5000, 'the chair edits agreed text');
    // Reopened, everyone may edit again.
    await lead.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { status: 'draft' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    textAt(tamperer.doc, 4).insert(0, 'Reopened: ');
    await waitFor(() => textAt(writer.doc, 4).toString().startsWith('Reopened: '), 5000, 'editing after reopening');
  });
});

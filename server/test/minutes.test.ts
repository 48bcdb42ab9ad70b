/**
 * "Create minutes" from a meeting, against a real server: the document is filled from
 * the server's records (attendees as they joined, absentees, quorum, the agenda with
 * links to the sections discussed, empty Decisions and Action items), one per meeting
 * however many times or however concurrently it is asked for, and only chairs may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSections, type MeetingState, type SectionView } from '@jane/shared';
import { connectClient, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let workspaceId: string;
let chair: TestPerson;
let italian: TestPerson;
let german: TestPerson;
const sockets: RealtimeClient[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  workspaceId = (await server.store.workspaces.list()).find((w) => w.title === 'Survivorship')!.id;
  chair = await createPerson(server, { name: 'Giulia Rossi', country: 'IT', organisation: 'Istituto Tumori', roles: { [workspaceId]: 'chair' } });
  italian = await createPerson(server, { name: 'Marco Bruno', country: 'IT', organisation: 'AOU Careggi', roles: { [workspaceId]: 'contributor' } });
  german = await createPerson(server, { name: 'Jonas Becker', country: 'DE', organisation: 'Charité', roles: { [workspaceId]: 'lead' } });
  await createPerson(server, { name: 'Zofia Nowak', country: 'PL', organisation: 'NIO Warsaw', roles: { [workspaceId]: 'observer' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const client of clients) client.destroy();
  await server?.stop();
});

async function open(person: TestPerson): Promise<RealtimeClient> {
  const socket = await connectRealtime(server.url, person.api.cookie);
  sockets.push(socket);
  return socket;
}

/** The document as a stock client sees it. */
async function contentOf(documentId: string): Promise<Y.Doc> {
  const client = connectClient(server.url, documentId, chair.api.cookie);
  clients.push(client);
  await waitForSync(client);
  return client.doc;
}

/** Every link in the document: its text and href. */
function linksIn(doc: Y.Doc): { text: string; href: string }[] {
  const links: { text: string; href: string }[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as { insert: string; attributes?: { link?: { href: string } } }[]) {
          if (op.attributes?.link) links.push({ text: op.insert, href: op.attributes.link.href });
        }
      } else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FIELD));
  return links;
}

/** The rows of every table, as cell texts. */
function tablesIn(doc: Y.Doc): string[][][] {
  return doc
    .getXmlFragment(DOCUMENT_FIELD)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'table')
    .map((table) =>
      (table.toArray() as Y.XmlElement[]).map((row) =>
        (row.toArray() as Y.XmlElement[]).map((cell) => (cell.toArray() as Y.XmlElement[]).map((p) => (p.get(0) as Y.XmlText).toString()).join('\n')),
      ),
    );
}

describe('minutes from a meeting', () => {
  it('fills a minutes document from the attendance record and the agenda, links to the sections discussed, once per meeting', async () => {
    const draft = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Survivorship call', template: 'call-for-expressions-of-interest' });
    const documentId = draft.body.document.id as string;
    const criteria = ((await chair.api.get(`/api/documents/${documentId}/sections`)).body.sections as SectionView[]).find((s) => s.title === 'Eligibility and selection criteria')!;

    const chairSocket = await open(chair);
    const meeting = await call<MeetingState>(chairSocket, 'meeting:start', {
      workspaceId,
      title: 'Monthly call',
      quorumCountries: 2,
      agenda: [
        { title: 'Selection criteria', documentId, sectionId: criteria.id, sectionTitle: criteria.title },
        { title: 'Any other business', documentId: null, sectionId: null, sectionTitle: null },
      ],
    });
    const meetingId = meeting.meeting.id;
    await call(chairSocket, 'meeting:join', { meetingId });
    const italianSocket = await open(italian);
    await call(italianSocket, 'meeting:join', { meetingId });
    const germanSocket = await open(german);
    await call(germanSocket, 'meeting:join', { meetingId });
    await call(italianSocket, 'meeting:leave', { meetingId });
    // A member watching the meeting learns that the minutes exist.
    const seen: (string | null)[] = [];
    germanSocket.on('meeting:changed', ({ state }) => seen.push(state.meeting.minutesDocumentId));

    const minutesPath = `/api/meetings/${meetingId}/minutes`;
    expect((await german.api.post(minutesPath, { timeZone: 'Europe/Rome' })).status).toBe(403);
    expect((await chair.api.post(minutesPath, { timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await chair.api.post('/api/meetings/no-such-meeting/minutes', {})).status).toBe(404);

    // Two chairs' clicks at once: one document.
    const [a, b] = await Promise.all([chair.api.post(minutesPath, { timeZone: 'Europe/Rome' }), chair.api.post(minutesPath, { timeZone: 'Europe/Rome' })]);
    expect([a.status, b.status].sort(), JSON.stringify([a.body, b.body])).toEqual([200, 201]);
    expect(a.body.document.id).toBe(b.body.document.id);
    const minutesId = a.body.document.id as string;
    expect(a.body.document).toMatchObject({ workspaceId, template: 'meeting-minutes', title: expect.stringMatching(/^Minutes – Monthly call, \d{4}-\d{2}-\d{2}$/) });
    await waitFor(() => seen.includes(minutesId), 3000, 'the meeting’s minutes, live');
    expect((await chair.api.get(`/api/meetings/${meetingId}`)).body.meeting.meeting.minutesDocumentId).toBe(minutesId);
    const again = await chair.api.post(minutesPath, {});
    expect(again.status).toBe(200);
    expect(again.body.document.id).toBe(minutesId);
    expect((await chair.api.get(`/api/workspaces/${workspaceId}/documents`)).body.documents.filter((d: { template: string }) => d.template === 'meeting-minutes')).toHaveLength(1);

    const doc = await contentOf(minutesId);
    const sections = documentSections(doc).map((s) => [s.level, s.title]);
    expect(sections).toEqual([
      [1, a.body.document.title],
      [2, 'Attendees'],
      [2, 'Agenda'],
      [2, 'Discussion'],
      [3, 'Selection criteria'],
      [3, 'Any other business'],
      [2, 'Decisions'],
      [2, 'Action items'],
      [2, 'Next meeting'],
    ]);
    expect(new Set(documentSections(doc).map((s) => s.id)).size).toBe(sections.length);

    const [attendees, absentees, actions] = tablesIn(doc);
    expect(attendees![0]).toEqual(['Name', 'Country', 'Organisation', 'Role', 'Joined – left']);
    expect(attendees!.slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['Giulia Rossi', 'Italy', 'Istituto Tumori', 'Chair'],
      ['Marco Bruno', 'Italy', 'AOU Careggi', 'Contributor'],
      ['Jonas Becker', 'Germany', 'Charité', 'Lead'],
    ]);
    expect(attendees![2]![4]).toMatch(/^\d{2}:\d{2}–\d{2}:\d{2}$/); // joined and left
    expect(attendees![3]![4]).toMatch(/^\d{2}:\d{2}–present$/);
    expect(absentees!.slice(1)).toContainEqual(['Zofia Nowak', 'Poland', 'NIO Warsaw', 'Observer']);
    expect(absentees!.slice(1).map((row) => row[0])).not.toContain('Giulia Rossi');
    expect(actions).toEqual([['Action', 'Owner', 'Due date'], ['', '', '']]);

    const text = doc.getXmlFragment(DOCUMENT_FIELD).toArray().map((block) => (block instanceof Y.XmlElement ? block.toString() : '')).join('\n');
    expect(text).toContain('3 of');
    expect(text).toMatch(/Quorum \(2 countries\): .*met now.*: yes; reached at \d{2}:\d{2} \(2 countries\)/);
    expect(text).toContain('Europe/Rome (UTC+');
    // The agenda item links to the section by id (so it still finds it after a rename).
    expect(linksIn(doc)).toEqual([{ text: 'Survivorship call › Eligibility and selection criteria', href: `${server.url}/d/${documentId}?section=${criteria.id}` }]);
    // Written as the chair, through the write path.
    expect((await chair.api.get(`/api/documents/${minutesId}`)).body.document).toMatchObject({ updatedByName: 'Giulia Rossi' });
  });
});

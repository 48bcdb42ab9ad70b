/**
 * The collaboration endpoint with stock y-websocket clients against a real server:
 * convergence, offline merge, refusals, read-only enforcement, bad input, identity.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CloseCode, DOCUMENT_FIELD, MESSAGE_AWARENESS, MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2 } from '@jane/shared';
import * as decoding from 'lib0/decoding';
import { addParagraph, connectClient, nextClose, textOf, trackSaved, typeInto, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { closeCodeOf, openOrThrow, openRawSocket, recordFrames, step1Frame, step2Frame, syncFrame, updateFrame } from './helpers/rawSocket.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let chair: TestPerson;
let contributor: TestPerson;
let observer: TestPerson;
let outsider: TestPerson;
let workspaceId: string;
const clients: TestClient[] = [];

function client(person: TestPerson | null, documentId: string, options: Parameters<typeof connectClient>[3] = {}): TestClient {
  const created = connectClient(server.url, documentId, person?.api.cookie ?? null, options);
  clients.push(created);
  return created;
}

/** The sync message type of a server frame, or -1 for other messages. */
function syncTypeOf(frame: Uint8Array): number {
  const decoder = decoding.createDecoder(frame);
  return decoding.readVarUint(decoder) === MESSAGE_SYNC ? decoding.readVarUint(decoder) : -1;
}

async function newDocument(title = 'Network plan'): Promise<string> {
  const response = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'blank' });
  expect(response.status).toBe(201);
  return response.body.document.id;
}

/** The document as stored, read straight from the store. */
async function storedText(documentId: string): Promise<string> {
  const state = await server.store.content.load(documentId);
  const doc = new Y.Doc();
  if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
  for (const update of state.updates) Y.applyUpdate(doc, update);
  return textOf(doc);
}

beforeAll(async () => {
  server = await startTestServer();
  const [first, second] = await server.store.workspaces.list();
  workspaceId = first!.id;
  chair = await createPerson(server, { name: 'Chiara Bianchi', country: 'IT', roles: { [workspaceId]: 'chair' } });
  contributor = await createPerson(server, { name: 'Lukas Schmidt', country: 'DE', roles: { [workspaceId]: 'contributor' } });
  observer = await createPerson(server, { name: 'Odile Martin', country: 'FR', roles: { [workspaceId]: 'observer' } });
  outsider = await createPerson(server, { name: 'Piotr Nowak', country: 'PL', roles: { [second!.id]: 'chair' } });
});

afterEach(() => {
  while (clients.length > 0) clients.pop()!.destroy();
});

afterAll(() => server.stop());

describe('live co-editing with stock y-websocket clients', () => {
  it('two people typing at the same time end up with the same text, containing both', async () => {
    const documentId = await newDocument();
    const anna = client(chair, documentId);
    const lukas = client(contributor, documentId);
    await Promise.all([waitForSync(anna), waitForSync(lukas)]);
    // A blank draft: its title and one empty paragraph.
    expect(anna.text()).toBe('Network plan\n');
    expect(lukas.doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(2);
    // Both type into the same paragraph concurrently.
    typeInto(anna.doc, 1, 0, 'Scope: ');
    typeInto(lukas.doc, 1, 0, 'Survivorship care. ');
    await waitFor(() => anna.text() === lukas.text() && anna.text().length === 'Network plan\nScope: Survivorship care. '.length, 5000, 'convergence');
    expect(anna.text()).toContain('Scope: ');
    expect(anna.text()).toContain('Survivorship care. ');
    await waitFor(async () => (await storedText(documentId)) === anna.text(), 5000, 'storage');
  });

  it('merges edits made offline when the client reconnects', async () => {
    const documentId = await newDocument();
    const online = client(chair, documentId);
    const traveller = client(contributor, documentId);
    await Promise.all([waitForSync(online), waitForSync(traveller)]);

    traveller.provider.disconnect();
    addParagraph(traveller.doc, 'Written on the train.');
    addParagraph(online.doc, 'Written in the office.');
    // Barrier: the office edit, made later, reached the server; the train edit could not have.
    await waitFor(async () => (await storedText(documentId)).includes('Written in the office.'), 5000, 'the office edit stored');
    expect(await storedText(documentId)).not.toContain('train');
    expect(online.text()).not.toContain('train');

    traveller.provider.connect();
    await waitFor(() => online.text().includes('train') && traveller.text().includes('office'), 5000, 'offline merge');
    expect(online.text()).toBe(traveller.text());
  });

  it('acknowledges changes only once they are stored, and the count matches what was sent', async () => {
    const documentId = await newDocument();
    const writer = client(chair, documentId, { acks: true, connect: false });
    const saved = trackSaved(writer);
    writer.provider.connect();
    await waitForSync(writer);
    addParagraph(writer.doc, 'Quality indicators');
    typeInto(writer.doc, 2, 18, ' and evaluation');
    await waitFor(() => saved.sent() > 0 && saved.saved() === saved.sent(), 5000, 'all changes saved');
    // Saved means stored: the store already has every character.
    expect(await storedText(documentId)).toBe('Network plan\n\nQuality indicators and evaluation');
  });

  it('does not send acknowledgements to stock clients that did not ask for them', async () => {
    const documentId = await newDocument();
    const ws = await openOrThrow(server.url, documentId, { cookie: chair.api.cookie! });
    const { frames } = recordFrames(ws);
    const doc = new Y.Doc();
    doc.on('update', (update: Uint8Array) => ws.send(updateFrame(update)));
    ws.send(step1Frame(doc));
    await waitFor(() => frames.length >= 1, 2000, 'sync step 1 from server');
    ws.send(syncFrame(SYNC_STEP_2, Y.encodeStateAsUpdate(doc)));
    addParagraph(doc, 'hello');
    await waitFor(async () => (await storedText(documentId)).includes('hello'), 5000, 'stored');
    // Barrier: the answer to a step 1 sent now comes after any acknowledgement of 'hello' would have.
    const answered = frames.length;
    ws.send(step1Frame(doc));
    await waitFor(() => frames.slice(answered).some((frame) => frame[0] === 0 && frame[1] === SYNC_STEP_2), 2000, 'the answer to our step 1');
    expect(frames.every((frame) => frame[0] !== 100)).toBe(true);
    ws.close();
  });

  it('unloads a document from memory after its last client leaves, with everything stored', async () => {
    const documentId = await newDocument();
    const writer = client(chair, documentId);
    await waitForSync(writer);
    addParagraph(writer.doc, 'Before closing the laptop');
    await waitFor(() => server.collab.registry.get(documentId) !== null, 2000, 'loaded');
    writer.destroy();
    await waitFor(() => server.collab.registry.get(documentId) === null, 5000, 'unloaded');
    expect(await storedText(documentId)).toContain('Before closing the laptop');
  });
});

describe('who may connect', () => {
  it('refuses an upgrade without a session (401), from a foreign origin (403), outside the workspace (403) or for an unknown document (404), without loading it', async () => {
    const documentId = await newDocument();
    // Creating it wrote its template through the write path; wait until nobody has it loaded.
    await waitFor(() => server.collab.registry.get(documentId) === null, 5000, 'the new document unloaded');
    const before = server.collab.registry.size;
    expect(await openRawSocket(server.url, documentId, {})).toEqual({ kind: 'refused', status: 401 });
    expect(await openRawSocket(server.url, documentId, { cookie: 'jane_session=forged' })).toEqual({ kind: 'refused', status: 401 });
    expect(await openRawSocket(server.url, documentId, { cookie: chair.api.cookie!, origin: 'https://evil.example' })).toEqual({
      kind: 'refused',
      status: 403,
    });
    expect(await openRawSocket(server.url, documentId, { cookie: outsider.api.cookie! })).toEqual({ kind: 'refused', status: 403 });
    expect(await openRawSocket(server.url, 'no-such-document', { cookie: chair.api.cookie! })).toEqual({ kind: 'refused', status: 404 });
    expect(await openRawSocket(server.url, '..%2F..%2Fetc', { cookie: chair.api.cookie! })).toEqual({ kind: 'refused', status: 404 });
    expect(server.collab.registry.size).toBe(before);
    expect(server.collab.registry.get(documentId)).toBeNull();
  });

  it('accepts the app’s own origin', async () => {
    const documentId = await newDocument();
    const ownOrigin = server.url.replace('localhost', '127.0.0.1');
    const outcome = await openRawSocket(server.url.replace('localhost', '127.0.0.1'), documentId, { cookie: chair.api.cookie!, origin: ownOrigin });
    expect(outcome.kind).toBe('open');
    if (outcome.kind === 'open') outcome.ws.close();
  });

  it('drops every update from an observer, even from a modified client: nobody sees it, nothing is stored', async () => {
    const documentId = await newDocument();
    const watcher = client(contributor, documentId);
    await waitForSync(watcher);
    const observed = client(observer, documentId);
    await waitForSync(observed);
    expect(observed.text()).toBe('Network plan\n');

    // A raw update, as a tampered client would send it.
    const forged = new Y.Doc();
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(observed.doc));
    const forgedUpdates: Uint8Array[] = [];
    forged.on('update', (u: Uint8Array) => forgedUpdates.push(u));
    addParagraph(forged, 'Observer was here');
    const ws = await openOrThrow(server.url, documentId, { cookie: observer.api.cookie! });
    ws.send(updateFrame(forgedUpdates[0]!));
    // And through the stock provider as well.
    addParagraph(observed.doc, 'Also from the observer');

    // A later legitimate edit arrives: anything before it would have arrived too.
    addParagraph(watcher.doc, 'Contributor edit');
    await waitFor(async () => (await storedText(documentId)).includes('Contributor edit'), 5000, 'contributor edit stored');
    // Barrier for the watcher: a chair's edit made after the observer's frames reaches it on the same socket.
    const chairClient = client(chair, documentId);
    await waitForSync(chairClient);
    addParagraph(chairClient.doc, 'Chair edit');
    await waitFor(() => watcher.text().includes('Chair edit'), 5000, 'the chair edit relayed');
    expect(watcher.text()).not.toContain('Observer');
    expect(await storedText(documentId)).toBe('Network plan\n\nContributor edit\nChair edit');
    expect(textOf(server.collab.registry.get(documentId)!.doc)).toBe('Network plan\n\nContributor edit\nChair edit');
    // The observer still sees everyone else's edits live.
    await waitFor(() => observed.text().includes('Contributor edit'), 5000, 'observer sees edits');
    ws.close();
  });
});

describe('bad input', () => {
  it('closes a connection that sends a malformed update with 4400; the document, the store and the others are unaffected', async () => {
    const documentId = await newDocument();
    const good = client(chair, documentId);
    await waitForSync(good);
    addParagraph(good.doc, 'Agreed text');
    await waitFor(async () => (await storedText(documentId)).includes('Agreed text'), 5000, 'stored');

    const attacker = await openOrThrow(server.url, documentId, { cookie: contributor.api.cookie! });
    const closed = closeCodeOf(attacker);
    attacker.send(updateFrame(new Uint8Array([1, 2, 3, 250, 251, 252, 9, 9, 9])));
    expect(await closed).toBe(CloseCode.MalformedMessage);

    const garbage = await openOrThrow(server.url, documentId, { cookie: contributor.api.cookie! });
    const closedAgain = closeCodeOf(garbage);
    garbage.send(new Uint8Array([0, 7]));
    expect(await closedAgain).toBe(CloseCode.MalformedMessage);

    expect(good.provider.wsconnected).toBe(true);
    expect(await storedText(documentId)).toBe('Network plan\n\nAgreed text');
    const later = client(contributor, documentId);
    await waitForSync(later);
    expect(later.text()).toBe('Network plan\n\nAgreed text');
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it('treats an update that builds on changes the server never saw as a sync gap: nothing pending or shared, the client is asked for what is missing, and its answer is taken', async () => {
    const documentId = await newDocument();
    const good = client(chair, documentId);
    await waitForSync(good);
    // Two consecutive updates; the server first gets only the second: its dependency is missing.
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(good.doc));
    const serverState = Y.encodeStateVector(good.doc);
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    addParagraph(local, 'first');
    typeInto(local, 2, 5, ' second');
    const peer = await openOrThrow(server.url, documentId, { cookie: contributor.api.cookie! });
    const { frames } = recordFrames(peer);
    const stepOnes = () => frames.filter((frame) => syncTypeOf(frame) === SYNC_STEP_1).length;
    // (The server's opening step 1 may have arrived before we listened; it is outstanding either way.)
    peer.send(updateFrame(updates[updates.length - 1]!));
    // Barrier: the server answers our own step 1 only after it handled the frame before it.
    peer.send(step1Frame(local));
    await waitFor(() => frames.some((frame) => syncTypeOf(frame) === SYNC_STEP_2), 5000, 'the answer to our step 1');
    const live = server.collab.registry.get(documentId)!.doc;
    expect(live.store.pendingStructs).toBeNull();
    expect(textOf(live)).toBe('Network plan\n');
    expect(good.text()).toBe('Network plan\n');
    expect(peer.readyState).toBe(peer.OPEN);

    // The client's answer to the opening step 1 carries everything, the dropped update included.
    peer.send(step2Frame(Y.encodeStateAsUpdate(local, serverState)));
    await waitFor(() => good.text() === 'Network plan\n\nfirst second', 5000, 'the filled gap reaches the others');
    await waitFor(async () => (await storedText(documentId)) === 'Network plan\n\nfirst second', 5000, 'stored');

    // A later gap with no answer outstanding: the server asks again.
    const asked = stepOnes();
    typeInto(local, 2, 12, '!?');
    peer.send(updateFrame(updates[updates.length - 1]!));
    await waitFor(() => stepOnes() === asked + 1, 5000, 'a new sync step 1');
    // An answer that still builds on what nobody has is malformed: 4400, nothing kept.
    const closed = closeCodeOf(peer);
    peer.send(step2Frame(updates[updates.length - 1]!));
    expect(await closed).toBe(CloseCode.MalformedMessage);
    expect(live.store.pendingStructs).toBeNull();
    expect(textOf(live)).toBe('Network plan\n\nfirst second');
    expect(good.provider.wsconnected).toBe(true);
  });

  it('refuses text frames and unknown message types with 4400', async () => {
    const documentId = await newDocument();
    const text = await openOrThrow(server.url, documentId, { cookie: chair.api.cookie! });
    const textClosed = closeCodeOf(text);
    text.send('hello');
    expect(await textClosed).toBe(CloseCode.MalformedMessage);
    const unknown = await openOrThrow(server.url, documentId, { cookie: chair.api.cookie! });
    const unknownClosed = closeCodeOf(unknown);
    unknown.send(new Uint8Array([42, 1, 2]));
    expect(await unknownClosed).toBe(CloseCode.MalformedMessage);
  });

  it('refuses frames above the size limit (close 1009) and keeps serving', async () => {
    const small = await startTestServer({ env: { COLLAB_MAX_MESSAGE_BYTES: '65536' } });
    try {
      const [ws1] = await small.store.workspaces.list();
      const person = await createPerson(small, { roles: { [ws1!.id]: 'chair' } });
      const created = await person.api.post(`/api/workspaces/${ws1!.id}/documents`, { title: 'Big', template: 'blank' });
      const documentId = created.body.document.id;
      const ws = await openOrThrow(small.url, documentId, { cookie: person.api.cookie! });
      const closed = closeCodeOf(ws);
      ws.send(new Uint8Array(100_000));
      expect(await closed).toBe(CloseCode.MessageTooLarge);
      const again = connectClient(small.url, documentId, person.api.cookie);
      await waitForSync(again);
      expect(again.text()).toBe('Big\n');
      again.destroy();
    } finally {
      await small.stop();
    }
  });
});

describe('awareness: who is here, as the server knows them', () => {
  function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(inner, entry.clientId);
      encoding.writeVarUint(inner, entry.clock);
      encoding.writeVarString(inner, JSON.stringify(entry.state));
    }
    const outer = encoding.createEncoder();
    encoding.writeVarUint(outer, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(outer, encoding.toUint8Array(inner));
    return encoding.toUint8Array(outer);
  }

  it('shows each person under their real name, whatever their client claims', async () => {
    const documentId = await newDocument();
    const honest = client(chair, documentId);
    const impostor = client(contributor, documentId);
    await Promise.all([waitForSync(honest), waitForSync(impostor)]);
    impostor.provider.awareness.setLocalStateField('user', { name: 'Chiara Bianchi', color: '#000000', id: chair.id });
    impostor.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    await waitFor(() => honest.provider.awareness.getStates().get(impostor.doc.clientID)?.cursor !== undefined, 5000, 'awareness');
    const seen = honest.provider.awareness.getStates().get(impostor.doc.clientID)!;
    expect(seen.user).toMatchObject({ id: contributor.id, name: 'Lukas Schmidt', country: 'DE', readOnly: false });
    expect(seen.user.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(seen.cursor).toEqual({ anchor: 1 });
  });

  it('ignores updates to another connection’s awareness entry and caps entries per connection', async () => {
    const documentId = await newDocument();
    const victim = client(chair, documentId);
    await waitForSync(victim);
    victim.provider.awareness.setLocalStateField('section', 'Scope');
    await waitFor(() => server.collab.registry.get(documentId)?.awareness.getStates().has(victim.doc.clientID) ?? false, 5000, 'victim state');

    const attacker = await openOrThrow(server.url, documentId, { cookie: contributor.api.cookie! });
    const victimClock = server.collab.registry.get(documentId)!.awareness.meta.get(victim.doc.clientID)!.clock;
    attacker.send(awarenessFrame([{ clientId: victim.doc.clientID, clock: victimClock + 10, state: { section: 'hijacked' } }]));
    attacker.send(awarenessFrame([{ clientId: victim.doc.clientID, clock: victimClock + 11, state: null }]));
    // 200 fake people in one frame: at most a handful are accepted.
    attacker.send(awarenessFrame(Array.from({ length: 200 }, (_, i) => ({ clientId: 900_000 + i, clock: 1, state: { fake: i } }))));
    // Barrier: an update of an entry the attacker does own, sent last on the same socket, has arrived.
    attacker.send(awarenessFrame([{ clientId: 900_000, clock: 2, state: { section: 'own' } }]));
    await waitFor(() => [...server.collab.registry.get(documentId)!.awareness.getStates().values()].some((s) => s.section === 'own'), 5000, 'the attacker’s own state');
    const states = server.collab.registry.get(documentId)!.awareness.getStates();
    expect(states.get(victim.doc.clientID)).toMatchObject({ section: 'Scope', user: { name: 'Chiara Bianchi' } });
    expect(states.size).toBeLessThanOrEqual(1 + 4);
    expect(victim.provider.awareness.getStates().size).toBeLessThanOrEqual(1 + 4);
    attacker.close();
  });

  it('closes a connection that floods awareness with 4429', async () => {
    const documentId = await newDocument();
    const attacker = await openOrThrow(server.url, documentId, { cookie: contributor.api.cookie! });
    const closed = closeCodeOf(attacker);
    attacker.send(awarenessFrame(Array.from({ length: 5000 }, (_, i) => ({ clientId: i + 1, clock: 1, state: {} }))));
    expect(await closed).toBe(CloseCode.AwarenessViolation);
  });

  it('removes a person’s presence when their connection closes', async () => {
    const documentId = await newDocument();
    const stayer = client(chair, documentId);
    const leaver = client(contributor, documentId);
    await Promise.all([waitForSync(stayer), waitForSync(leaver)]);
    leaver.provider.awareness.setLocalStateField('section', 'Risks');
    await waitFor(() => stayer.provider.awareness.getStates().has(leaver.doc.clientID), 5000, 'leaver visible');
    leaver.provider.disconnect();
    await waitFor(() => !stayer.provider.awareness.getStates().has(leaver.doc.clientID), 5000, 'leaver gone');
  });
});

describe('access changes while connected', () => {
  it('closes the socket of someone removed from the workspace (4403) and turns a demoted editor read-only', async () => {
    const documentId = await newDocument();
    const temp = await createPerson(server, { name: 'Temporary Member', roles: { [workspaceId]: 'contributor' } });
    const removed = client(temp, documentId);
    await waitForSync(removed);
    const closed = nextClose(removed);
    expect((await chair.api.delete(`/api/workspaces/${workspaceId}/members/${temp.id}`)).status).toBe(204);
    expect(await closed).toBe(CloseCode.Forbidden);

    const demoted = await createPerson(server, { name: 'Demoted Member', roles: { [workspaceId]: 'contributor' } });
    const editor = client(demoted, documentId);
    await waitForSync(editor);
    const reloaded = nextClose(editor);
    expect((await chair.api.put(`/api/workspaces/${workspaceId}/members/${demoted.id}`, { role: 'observer' })).status).toBe(200);
    expect(await reloaded).toBe(CloseCode.DocumentReloaded);
    await waitForSync(editor);
    addParagraph(editor.doc, 'Should not be stored');
    // Barrier: an edit the chair makes afterwards is stored; the observer's never is.
    const chairClient = client(chair, documentId);
    await waitForSync(chairClient);
    addParagraph(chairClient.doc, 'The chair still edits');
    await waitFor(async () => (await storedText(documentId)).includes('The chair still edits'), 5000, 'the chair edit stored');
    expect(await storedText(documentId)).not.toContain('Should not be stored');
  });
});

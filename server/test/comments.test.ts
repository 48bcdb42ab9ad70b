/** Comment threads: anchors that follow the words, permissions, mentions, notifications, live events. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, type NotificationView, type ThreadView } from '@jane/shared';
import { connectClient, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, emitWithAck, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let workspaceId: string;
let lead: TestPerson;
let contributor: TestPerson;
let otherContributor: TestPerson;
let observer: TestPerson;
let chair: TestPerson;
let outsider: TestPerson;
const clients: TestClient[] = [];
const sockets: RealtimeClient[] = [];

async function newDocument(title = 'Call for expressions of interest'): Promise<string> {
  const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'call-for-expressions-of-interest' });
  return created.body.document.id;
}

function encode(position: Y.RelativePosition): string {
  return Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
}

/** The paragraph under the heading "Eligibility and selection criteria" (index 8 in the template). */
function criteriaText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  return (fragment.get(8) as Y.XmlElement).get(0) as Y.XmlText;
}

/** Anchors a thread on `text[from, to)` the way the editor does: start sticks right, end sticks left. */
function anchorOn(text: Y.XmlText, from: number, to: number) {
  return {
    kind: 'text' as const,
    start: encode(Y.createRelativePositionFromTypeIndex(text, from, 0)),
    end: encode(Y.createRelativePositionFromTypeIndex(text, to, -1)),
    quote: text.toString().slice(from, to),
  };
}

/** What a thread's anchor covers now in `doc`, or null when the passage is gone (detached). */
function resolveAnchor(doc: Y.Doc, anchor: { start: string; end: string }): string | null {
  const start = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.start, 'base64')), doc);
  const end = Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(anchor.end, 'base64')), doc);
  if (!start || !end || start.type !== end.type || end.index <= start.index) return null;
  return (start.type as Y.XmlText).toString().slice(start.index, end.index);
}

async function openSocket(person: TestPerson): Promise<RealtimeClient> {
  const socket = await connectRealtime(server.url, person.api.cookie);
  sockets.push(socket);
  return socket;
}

beforeAll(async () => {
  server = await startTestServer();
  const workspaces = await server.store.workspaces.list();
  workspaceId = workspaces[0]!.id;
  chair = await createPerson(server, { name: 'Chiara Chair', country: 'IT', roles: { [workspaceId]: 'chair' } });
  lead = await createPerson(server, { name: 'Lena Lead', country: 'SE', roles: { [workspaceId]: 'lead' } });
  contributor = await createPerson(server, { name: 'Carlos Contributor', country: 'ES', roles: { [workspaceId]: 'contributor' } });
  otherContributor = await createPerson(server, { name: 'Olga Other', country: 'PL', roles: { [workspaceId]: 'contributor' } });
  observer = await createPerson(server, { name: 'Otto Observer', country: 'AT', roles: { [workspaceId]: 'observer' } });
  outsider = await createPerson(server, { name: 'Xavier Outside', country: 'BE', roles: { [workspaces[1]!.id]: 'chair' } });
});

afterEach(() => {
  while (clients.length > 0) clients.pop()!.destroy();
  while (sockets.length > 0) sockets.pop()!.disconnect();
});

afterAll(() => server.stop());

describe('anchors stay on the same words', () => {
  it('follows the passage through concurrent inserts before, inside and after it, and detaches when it is deleted', async () => {
    const documentId = await newDocument();
    const a = connectClient(server.url, documentId, lead.api.cookie);
    const b = connectClient(server.url, documentId, contributor.api.cookie);
    clients.push(a, b);
    await Promise.all([waitForSync(a), waitForSync(b)]);
    criteriaText(a.doc).insert(0, 'Applicants must show five years of activity in survivorship care.');
    await waitFor(() => criteriaText(b.doc).length > 0, 5000, 'text to arrive');

    const text = criteriaText(a.doc);
    const from = text.toString().indexOf('five years');
    const anchor = anchorOn(text, from, from + 'five years of activity'.length);
    const created = await lead.api.post(`/api/documents/${documentId}/threads`, {
      anchor,
      sectionTitle: 'Eligibility and selection criteria',
      body: 'Is five years enough?',
    });
    expect(created.status).toBe(201);
    const stored: ThreadView = (await contributor.api.get(`/api/documents/${documentId}/threads`)).body.threads[0];
    expect(stored.anchor.quote).toBe('five years of activity');
    expect(resolveAnchor(b.doc, stored.anchor)).toBe('five years of activity');

    // Both type at once: before, inside and after the passage.
    criteriaText(a.doc).insert(0, 'Eligibility: ');
    criteriaText(b.doc).insert(criteriaText(b.doc).toString().indexOf('of activity'), 'documented ');
    criteriaText(b.doc).insert(criteriaText(b.doc).length, ' See annex II.');
    await waitFor(() => criteriaText(a.doc).toString() === criteriaText(b.doc).toString() && criteriaText(a.doc).toString().includes('annex'), 5000, 'convergence');
    expect(criteriaText(a.doc).toString()).toBe('Eligibility: Applicants must show five years documented of activity in survivorship care. See annex II.');
    expect(resolveAnchor(a.doc, stored.anchor)).toBe('five years documented of activity');
    expect(resolveAnchor(b.doc, stored.anchor)).toBe('five years documented of activity');

    // The whole passage goes: the thread is detached but keeps its quote.
    const current = criteriaText(a.doc);
    const at = current.toString().indexOf('five years');
    current.delete(at, 'five years documented of activity '.length);
    await waitFor(() => !criteriaText(b.doc).toString().includes('five years'), 5000, 'deletion to arrive');
    expect(resolveAnchor(b.doc, stored.anchor)).toBeNull();
    const after: ThreadView = (await contributor.api.get(`/api/documents/${documentId}/threads`)).body.threads[0];
    expect(after.anchor.quote).toBe('five years of activity');
    expect(after.comments[0]!.body).toBe('Is five years enough?');
  });
});

describe('who may do what', () => {
  let documentId: string;
  let threadId: string;
  beforeAll(async () => {
    documentId = await newDocument('Permissions');
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'passage');
    const created = await contributor.api.post(`/api/documents/${documentId}/threads`, {
      anchor: anchorOnText(text),
      sectionTitle: 'Scope and objectives',
      body: 'A question from Carlos',
    });
    threadId = created.body.thread.id;
  });

  function anchorOnText(text: Y.Text) {
    return {
      kind: 'section' as const,
      start: encode(Y.createRelativePositionFromTypeIndex(text, 0, 0)),
      end: encode(Y.createRelativePositionFromTypeIndex(text, text.length, -1)),
      quote: text.toString(),
    };
  }

  it('lets a contributor who did not start the thread neither resolve nor reopen it (403), but its author, leads and chairs can', async () => {
    const refused = await otherContributor.api.post(`/api/threads/${threadId}/resolve`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/Only the person who started this thread, leads and chairs/);
    expect((await server.store.threads.findById(threadId))!.resolvedAt).toBeNull();

    expect((await contributor.api.post(`/api/threads/${threadId}/resolve`)).body.thread.status).toBe('resolved');
    expect((await otherContributor.api.post(`/api/threads/${threadId}/reopen`)).status).toBe(403);
    expect((await lead.api.post(`/api/threads/${threadId}/reopen`)).body.thread.status).toBe('open');
    const resolvedByChair = await chair.api.post(`/api/threads/${threadId}/resolve`);
    expect(resolvedByChair.body.thread).toMatchObject({ status: 'resolved', resolvedBy: { name: 'Chiara Chair' } });
    await chair.api.post(`/api/threads/${threadId}/reopen`);
  });

  it('keeps threads from people outside the workspace (403) and answers 404 for unknown documents', async () => {
    expect((await outsider.api.get(`/api/documents/${documentId}/threads`)).status).toBe(403);
    expect((await outsider.api.post(`/api/threads/${threadId}/comments`, { body: 'sneaky' })).status).toBe(403);
    expect((await outsider.api.get(`/api/workspaces/${workspaceId}/threads`)).status).toBe(403);
    expect((await outsider.api.get('/api/documents/unknown-document/threads')).status).toBe(404);
    const socket = await openSocket(outsider);
    expect(await emitWithAck(socket, 'document:watch', { documentId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets an observer comment, and only authors edit or delete their own comments', async () => {
    const reply = await observer.api.post(`/api/threads/${threadId}/comments`, { body: 'Observer view: fine by us.' });
    expect(reply.status).toBe(201);
    const commentId = reply.body.thread.comments.at(-1).id;
    expect((await lead.api.patch(`/api/comments/${commentId}`, { body: 'rewritten by someone else' })).status).toBe(403);
    expect((await lead.api.delete(`/api/comments/${commentId}`)).status).toBe(403);
    const edited = await observer.api.patch(`/api/comments/${commentId}`, { body: 'Observer view: fine by us, with one caveat.' });
    expect(edited.body.thread.comments.at(-1)).toMatchObject({ body: 'Observer view: fine by us, with one caveat.', editedAt: expect.any(String) });
  });

  it('enforces the length limit and refuses empty comments with a clear message', async () => {
    const long = await lead.api.post(`/api/threads/${threadId}/comments`, { body: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/under 5000 characters/);
    const blank = await lead.api.post(`/api/threads/${threadId}/comments`, { body: '   ' });
    expect(blank.status).toBe(400);
    const badAnchor = await lead.api.post(`/api/documents/${documentId}/threads`, {
      anchor: { kind: 'text', start: '<script>', end: 'x', quote: '' }, sectionTitle: null, body: 'hi',
    });
    expect(badAnchor.status).toBe(400);
  });
});

describe('replies, deletion and the workspace view', () => {
  it('shows "comment deleted" where replies follow, and removes a thread whose comments are all deleted', async () => {
    const documentId = await newDocument('Deletion');
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'governance');
    const anchor = { kind: 'text' as const, start: encode(Y.createRelativePositionFromTypeIndex(text, 0)), end: encode(Y.createRelativePositionFromTypeIndex(text, 10, -1)), quote: 'governance' };
    const thread = (await lead.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionTitle: null, body: 'First' })).body.thread;
    await contributor.api.post(`/api/threads/${thread.id}/comments`, { body: 'Second' });
    const deleted = await lead.api.delete(`/api/comments/${thread.comments[0].id}`);
    expect(deleted.body.thread.comments.map((c: { deleted: boolean; body: string }) => [c.deleted, c.body])).toEqual([[true, ''], [false, 'Second']]);

    const lonely = (await lead.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionTitle: null, body: 'Alone' })).body.thread;
    expect((await lead.api.delete(`/api/comments/${lonely.comments[0].id}`)).body.thread).toBeNull();
    const remaining = (await lead.api.get(`/api/documents/${documentId}/threads`)).body.threads.map((t: ThreadView) => t.id);
    expect(remaining).toEqual([thread.id]);
  });

  it('lists what still needs an answer across the workspace, oldest first, with document and section', async () => {
    const first = await newDocument('Network plan A');
    const second = await newDocument('Network plan B');
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'text');
    const anchor = { kind: 'section' as const, start: encode(Y.createRelativePositionFromTypeIndex(text, 0)), end: encode(Y.createRelativePositionFromTypeIndex(text, 4, -1)), quote: 'Risks' };
    const older = (await lead.api.post(`/api/documents/${first}/threads`, { anchor, sectionTitle: 'Risks', body: 'Older question' })).body.thread;
    const newer = (await lead.api.post(`/api/documents/${second}/threads`, { anchor, sectionTitle: 'Timeline', body: 'Newer question' })).body.thread;
    const done = (await lead.api.post(`/api/documents/${second}/threads`, { anchor, sectionTitle: 'Timeline', body: 'Done' })).body.thread;
    await lead.api.post(`/api/threads/${done.id}/resolve`);
    const open = (await observer.api.get(`/api/workspaces/${workspaceId}/threads?status=open`)).body.threads;
    const ours = open.filter((t: { id: string }) => [older.id, newer.id, done.id].includes(t.id));
    expect(ours.map((t: { documentTitle: string; sectionTitle: string }) => [t.documentTitle, t.sectionTitle])).toEqual([
      ['Network plan A', 'Risks'],
      ['Network plan B', 'Timeline'],
    ]);
    expect((await observer.api.get(`/api/workspaces/${workspaceId}/threads?status=bogus`)).status).toBe(400);
    // Lena started both open threads: they are on her home page; Otto is not involved.
    const mine = (await lead.api.get('/api/me/threads')).body.threads.map((t: { id: string }) => t.id);
    expect(mine).toEqual(expect.arrayContaining([older.id, newer.id]));
    expect(mine).not.toContain(done.id);
    expect((await observer.api.get('/api/me/threads')).body.threads.some((t: { id: string }) => t.id === older.id)).toBe(false);
  });
});

describe('mentions and notifications, live', () => {
  it('notifies a mentioned member at once, then the thread author about the reply; threads update live; mark read clears the bell', async () => {
    const documentId = await newDocument('Live review');
    // Start from an empty bell (earlier tests notified Carlos about replies).
    await contributor.api.post('/api/notifications/read', {});
    const leadSocket = await openSocket(lead);
    const contributorSocket = await openSocket(contributor);
    const contributorTab2 = await openSocket(contributor);
    const watching = await call<{ threads: ThreadView[] }>(contributorSocket, 'document:watch', { documentId });
    expect(watching.threads).toEqual([]);
    await call(leadSocket, 'document:watch', { documentId });

    const notes: { notification: NotificationView; unreadCount: number }[] = [];
    contributorSocket.on('notification:new', (event) => notes.push(event));
    const threadEvents: ThreadView[] = [];
    contributorSocket.on('thread:changed', ({ thread }) => threadEvents.push(thread));
    const leadNotes: NotificationView[] = [];
    leadSocket.on('notification:new', ({ notification }) => leadNotes.push(notification));
    // A member on the workspace's "Open threads" page, not watching the document, and an outsider.
    const browsing = await openSocket(observer);
    const browsed: string[] = [];
    browsing.on('thread:changed', ({ workspaceId: ws, thread }) => browsed.push(`${ws}:${thread.status}`));
    const stranger = await openSocket(outsider);
    const leaked: unknown[] = [];
    stranger.on('thread:changed', (event) => leaked.push(event));

    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'data protection');
    const anchor = { kind: 'text' as const, start: encode(Y.createRelativePositionFromTypeIndex(text, 0)), end: encode(Y.createRelativePositionFromTypeIndex(text, 15, -1)), quote: 'data protection' };
    const body = `@[${contributor.id}] can you check the GDPR wording? cc @[${outsider.id}]`;
    const created = (await lead.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionTitle: 'Data protection', body })).body.thread;
    // Only members can be mentioned: the outsider's token stays plain text.
    expect(created.comments[0].mentions.map((m: { name: string }) => m.name)).toEqual(['Carlos Contributor']);

    await waitFor(() => notes.length === 1 && threadEvents.length === 1, 2000, 'live notification and thread');
    expect(notes[0]!.unreadCount).toBe(1);
    expect(notes[0]!.notification).toMatchObject({
      kind: 'mention',
      documentId,
      documentTitle: 'Live review',
      threadId: created.id,
      actor: { name: 'Lena Lead' },
      excerpt: `@Carlos Contributor can you check the GDPR wording? cc @someone`,
    });

    await contributor.api.post(`/api/threads/${created.id}/comments`, { body: 'Checked, it follows Art. 89 GDPR.' });
    await waitFor(() => leadNotes.length === 1 && threadEvents.length === 2, 2000, 'reply notification');
    expect(leadNotes[0]).toMatchObject({ kind: 'reply', actor: { name: 'Carlos Contributor' } });
    expect(threadEvents[1]!.comments.map((c) => c.body)).toEqual([body, 'Checked, it follows Art. 89 GDPR.']);

    await lead.api.post(`/api/threads/${created.id}/resolve`);
    await waitFor(() => threadEvents.at(-1)?.status === 'resolved', 2000, 'resolved live');
    await waitFor(() => browsed.at(-1) === `${workspaceId}:resolved`, 2000, 'workspace feed');
    expect(browsed).toHaveLength(3);
    expect(leaked).toEqual([]);

    const bell = await contributor.api.get('/api/notifications');
    expect(bell.body.unreadCount).toBe(1);
    const reads: number[] = [];
    contributorTab2.on('notifications:read', ({ unreadCount }) => reads.push(unreadCount));
    expect((await contributor.api.post('/api/notifications/read', { ids: [bell.body.notifications[0].id] })).body.unreadCount).toBe(0);
    await waitFor(() => reads.includes(0), 2000, 'other tab told');
    expect((await contributor.api.post('/api/notifications/read', {})).body.unreadCount).toBe(0);
  });

  it('stops showing notifications of a workspace the person has left, and lists many with few lookups', async () => {
    const leaver = await createPerson(server, { name: 'Lea Leaver', country: 'FI', roles: { [workspaceId]: 'contributor' } });
    const documentId = (await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title: 'Mentions', template: 'blank' })).body.document.id;
    const anchor = { kind: 'section' as const, start: encode(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0)), end: encode(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0)), quote: 'Mentions' };
    for (let i = 0; i < 12; i++) {
      expect((await chair.api.post(`/api/documents/${documentId}/threads`, { anchor, sectionTitle: null, body: `@[${leaver.id}] point ${i}` })).status).toBe(201);
    }
    // Listing a dozen notifications costs a fixed number of store reads, not one per item.
    const reads = { comments: 0, documents: 0 };
    const { findComment, findComments } = server.store.threads;
    const { findById, findManyByIds } = server.store.documents;
    server.store.threads.findComment = (id) => (reads.comments++, findComment(id));
    server.store.threads.findComments = (ids) => (reads.comments++, findComments(ids));
    server.store.documents.findById = (id) => (reads.documents++, findById(id));
    server.store.documents.findManyByIds = (ids) => (reads.documents++, findManyByIds(ids));
    try {
      const bell = await leaver.api.get('/api/notifications');
      expect(bell.body.notifications).toHaveLength(12);
      expect(bell.body.notifications[0].excerpt).toBe('@Lea Leaver point 11');
      expect(reads).toEqual({ comments: 1, documents: 1 });
    } finally {
      Object.assign(server.store.threads, { findComment, findComments });
      Object.assign(server.store.documents, { findById, findManyByIds });
    }
    expect((await chair.api.delete(`/api/workspaces/${workspaceId}/members/${leaver.id}`)).status).toBe(204);
    expect((await leaver.api.get('/api/notifications')).body.notifications).toEqual([]);
  });
});

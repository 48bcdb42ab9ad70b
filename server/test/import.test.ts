/**
 * "New draft from file" against a real server: Word files written by pandoc and by
 * LibreOffice, and Markdown, become documents that a stock y-websocket client reads back
 * with their sections (ids and all), nested lists, tables with header cells and links;
 * what could not be kept is reported; hostile and oversized files are refused with a clear
 * message and the server keeps serving; only people who may create documents may import.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSections, type ImportDocumentResponse } from '@jane/shared';
import { connectClient, waitForSync, type TestClient } from './helpers/collab.js';
import { handMadeDocx, libreOfficeDocx, pandocDocx, tinyPng, zipBomb } from './helpers/importFiles.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let workspaceId: string;
let otherWorkspaceId: string;
let contributor: TestPerson;
let observer: TestPerson;
let outsider: TestPerson;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const workspaces = await server.store.workspaces.list();
  workspaceId = workspaces[0]!.id;
  otherWorkspaceId = workspaces[1]!.id;
  contributor = await createPerson(server, { name: 'Carla Contributor', roles: { [workspaceId]: 'contributor' } });
  observer = await createPerson(server, { name: 'Olga Observer', roles: { [workspaceId]: 'observer' } });
  outsider = await createPerson(server, { name: 'Otto Outsider', roles: { [otherWorkspaceId]: 'chair' } });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
});

interface Answer<T = ImportDocumentResponse & { error?: { code: string; message: string } }> {
  status: number;
  body: T;
}

/** Uploads a file as the browser does (multipart/form-data, field `file`, optional `title`). */
async function importAs(person: TestPerson | null, file: Buffer, name: string, options: { title?: string; workspace?: string; field?: string } = {}): Promise<Answer> {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([new Uint8Array(file)]), name);
  if (options.title !== undefined) form.append('title', options.title);
  const headers: Record<string, string> = {};
  if (person?.api.cookie) headers.cookie = person.api.cookie;
  const response = await fetch(`${server.url}/api/workspaces/${options.workspace ?? workspaceId}/documents/import`, { method: 'POST', body: form, headers });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The document's content as a stock y-websocket client receives it. */
async function readBack(documentId: string, person: TestPerson = contributor): Promise<Y.Doc> {
  const client = connectClient(server.url, documentId, person.api.cookie);
  clients.push(client);
  await waitForSync(client);
  return client.doc;
}

const blocks = (doc: Y.Doc) => doc.getXmlFragment(DOCUMENT_FIELD).toArray() as Y.XmlElement[];
const elements = (element: Y.XmlElement) => element.toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
const textIn = (element: Y.XmlElement): string => element.toArray().map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]*>/g, '') : c instanceof Y.XmlElement ? textIn(c) : '')).join('');
/** Every text run in the document with its formatting. */
function runs(element: Y.XmlElement | Y.XmlFragment): { insert: string; attributes?: Record<string, any> }[] {
  return element.toArray().flatMap((c) => (c instanceof Y.XmlText ? (c.toDelta() as { insert: string; attributes?: Record<string, any> }[]) : c instanceof Y.XmlElement ? runs(c) : []));
}

const WORD_MARKDOWN = `# Survivorship network plan

Intro with **bold** and *italic* and a [link](https://jane-project.eu/wp9).

## Scope

- First item
  - Nested one
  - Nested two
- Second item

## Criteria

| Criterion | Weight |
|-----------|--------|
| Quality   | 40     |
| Reach     | 60     |

![A picture](pic.png)
`;

function expectPlan(doc: Y.Doc, title: string): void {
  const sections = documentSections(doc);
  expect(sections.map((s) => [s.title, s.level])).toEqual([
    [title, 1],
    ['Scope', 2],
    ['Criteria', 2],
  ]);
  for (const section of sections) expect(section.id).toEqual(expect.any(String));
  expect(new Set(sections.map((s) => s.id)).size).toBe(3);
  const top = blocks(doc);
  const list = top.find((b) => b.nodeName === 'bulletList')!;
  const [first, second] = elements(list);
  expect(first!.nodeName).toBe('listItem');
  expect(elements(first!).map((e) => e.nodeName)).toEqual(['paragraph', 'bulletList']);
  expect(textIn(elements(first!)[0]!)).toBe('First item');
  expect(elements(elements(first!)[1]!).map(textIn)).toEqual(['Nested one', 'Nested two']);
  expect(textIn(second!)).toBe('Second item');
  const table = top.find((b) => b.nodeName === 'table')!;
  const rows = elements(table);
  expect(rows.map((row) => elements(row).map((cell) => cell.nodeName))).toEqual([
    ['tableHeader', 'tableHeader'],
    ['tableCell', 'tableCell'],
    ...(rows.length === 3 ? [['tableCell', 'tableCell']] : []),
  ]);
  expect(textIn(elements(rows[1]!)[0]!)).toBe('Quality');
  const all = runs(doc.getXmlFragment(DOCUMENT_FIELD));
  expect(all).toContainEqual({ insert: 'bold', attributes: { bold: {} } });
  expect(all).toContainEqual({ insert: 'italic', attributes: { italic: {} } });
  expect(all).toContainEqual({ insert: 'link', attributes: { link: { href: 'https://jane-project.eu/wp9' } } });
}

describe('importing a Word document', () => {
  it('makes a document from a pandoc-written .docx: sections with ids, a nested list, a table with a header row, a link, bold and italic', async () => {
    const answer = await importAs(contributor, pandocDocx(WORD_MARKDOWN, { 'pic.png': tinyPng() }), 'Survivorship plan.docx');
    expect(answer.status).toBe(201);
    expect(answer.body.document).toMatchObject({ workspaceId, title: 'Survivorship network plan', template: 'blank' });
    expect(answer.body.report.kept).toEqual({ headings: 3, paragraphs: 1, lists: 1, tables: 1, links: 1 });
    expect(answer.body.report.dropped).toEqual([{ what: 'image', count: 1 }]);
    expectPlan(await readBack(answer.body.document.id), 'Survivorship network plan');
    // It is a document like any other: listed, with its sections.
    const listed = await contributor.api.get(`/api/workspaces/${workspaceId}/documents`);
    expect(listed.body.documents.map((d: { id: string }) => d.id)).toContain(answer.body.document.id);
    const sections = await contributor.api.get(`/api/documents/${answer.body.document.id}/sections`);
    expect(sections.status).toBe(200);
    expect(sections.body.sections.map((s: { title: string }) => s.title)).toEqual(['Survivorship network plan', 'Scope', 'Criteria']);
  });

  it('makes a document from a LibreOffice-written .docx, with the title given', async () => {
    const docx = libreOfficeDocx(`<html><body>
      <h1>Palliative care plan</h1>
      <p>Intro with <b>bold</b> and <i>italic</i> and a <a href="https://jane-project.eu/wp9">link</a>.</p>
      <h2>Scope</h2>
      <ul><li>First item<ul><li>Nested one</li><li>Nested two</li></ul></li><li>Second item</li></ul>
      <h2>Criteria</h2>
      <table border="1"><thead><tr><th>Criterion</th><th>Weight</th></tr></thead><tbody><tr><td>Quality</td><td>40</td></tr></tbody></table>
    </body></html>`);
    const answer = await importAs(contributor, docx, 'plan.docx', { title: 'Palliative care – draft 1' });
    expect(answer.status).toBe(201);
    expect(answer.body.document.title).toBe('Palliative care – draft 1');
    expectPlan(await readBack(answer.body.document.id), 'Palliative care plan');
  });
});

describe('importing Markdown', () => {
  it('keeps headings, nested lists, a GFM table, emphasis and links; drops inline HTML and keeps a javascript: link as text only', async () => {
    const markdown = `# Omics network charter

Some *emphasis*, **strong** text and a [safe link](https://europa.eu/) — and <script>alert("pwned")</script> an [evil link](javascript:alert(document.cookie)).

## Members

1. Centres
   - Hospitals
   - Laboratories
2. Registries

| Country | Centres |
|---------|---------|
| IT      | 12      |
`;
    const answer = await importAs(contributor, Buffer.from(markdown), 'charter.md');
    expect(answer.status).toBe(201);
    expect(answer.body.document.title).toBe('Omics network charter');
    expect(answer.body.report.kept).toEqual({ headings: 2, paragraphs: 1, lists: 1, tables: 1, links: 1 });
    expect(answer.body.report.dropped).toEqual([{ what: 'unsupported', count: 2, example: 'HTML: <script>' }]);
    const doc = await readBack(answer.body.document.id);
    expect(documentSections(doc).map((s) => [s.title, s.level, typeof s.id])).toEqual([
      ['Omics network charter', 1, 'string'],
      ['Members', 2, 'string'],
    ]);
    const top = blocks(doc);
    expect(top.map((b) => b.nodeName)).toEqual(['heading', 'paragraph', 'heading', 'orderedList', 'table']);
    const paragraph = runs(top[1]!);
    expect(paragraph).toContainEqual({ insert: 'emphasis', attributes: { italic: {} } });
    expect(paragraph).toContainEqual({ insert: 'strong', attributes: { bold: {} } });
    expect(paragraph).toContainEqual({ insert: 'safe link', attributes: { link: { href: 'https://europa.eu/' } } });
    // The javascript: link's text stays, as plain text; the script and its content are gone.
    expect(paragraph.at(-1)).toEqual({ insert: ' — and  an evil link.' });
    const everything = JSON.stringify(doc.getXmlFragment(DOCUMENT_FIELD).toJSON());
    expect(everything).not.toMatch(/javascript|script|pwned/i);
    const [centres] = elements(top[3]!);
    expect(elements(centres!).map((e) => e.nodeName)).toEqual(['paragraph', 'bulletList']);
    expect(elements(elements(centres!)[1]!).map(textIn)).toEqual(['Hospitals', 'Laboratories']);
    expect(elements(elements(top[4]!)[0]!).map((c) => c.nodeName)).toEqual(['tableHeader', 'tableHeader']);
  });
});

describe('hostile and unsuitable files', () => {
  it('refuses a zip bomb and an 11 MB file with a clear message, and the server keeps serving', async () => {
    const bomb = await importAs(contributor, await zipBomb(200), 'report.docx');
    expect(bomb.status).toBe(400);
    expect(bomb.body.error!.message).toMatch(/unpacks to more than 50 MB/);
    const liar = await importAs(contributor, await zipBomb(200, true), 'report.docx');
    expect(liar.status).toBe(400);
    expect(liar.body.error!.message).toMatch(/damaged|compressed far more/);
    const oversized = await importAs(contributor, Buffer.alloc(11 * 1024 * 1024, 'a'), 'big.md');
    expect(oversized.status).toBe(413);
    expect(oversized.body.error!.message).toMatch(/larger than 10 MB/);
    expect((await contributor.api.get('/api/health')).status).toBe(200);
    const normal = await importAs(contributor, handMadeDocx('Still here'), 'after.docx');
    expect(normal.status).toBe(201);
    expect(documentSections(await readBack(normal.body.document.id))).toEqual([]);
  });

  it('refuses files that are neither Word nor Markdown, and uploads without a file', async () => {
    const pdf = await importAs(contributor, Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 0xff, 0xfe, 0x80])]), 'paper.pdf');
    expect(pdf.status).toBe(400);
    expect(pdf.body.error!.message).toBe('This file is not a Word (.docx) or Markdown (.md) file.');
    const wrongField = await importAs(contributor, Buffer.from('# x'), 'x.md', { field: 'upload' });
    expect(wrongField.status).toBe(400);
    const noFile = await contributor.api.post(`/api/workspaces/${workspaceId}/documents/import`, {});
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/Choose a Word/);
  });
});

describe('who may import', () => {
  it('is whoever may create documents: an observer gets 403, an outsider 403/404, nobody signed in 401', async () => {
    const file = Buffer.from('# Not allowed\n');
    const asObserver = await importAs(observer, file, 'x.md');
    expect(asObserver.status).toBe(403);
    const asOutsider = await importAs(outsider, file, 'x.md');
    expect([403, 404]).toContain(asOutsider.status);
    expect((await importAs(null, file, 'x.md')).status).toBe(401);
    const titles = (await server.store.documents.listForWorkspace(workspaceId)).map((d) => d.title);
    expect(titles).not.toContain('Not allowed');
  });
});

/**
 * Export against a real server: a document written into Yjs by a stock client with every
 * node type and mark, exported as DOCX, HTML and Markdown and read back by independent
 * tools — LibreOffice (to PDF, then pdftotext), pandoc (to its JSON AST) and mammoth;
 * hostile content (a javascript: link sent straight through Yjs, a typed <script>, a
 * comment that is a spreadsheet formula) comes out harmless; access, versions, the
 * section status, open comments as Word comments on their passages, and the
 * comment-resolution matrix in document order.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import mammoth from 'mammoth';
import yauzl from 'yauzl';
import { DOCUMENT_FIELD, documentSections } from '@jane/shared';
import { bulletList, heading, orderedList, paragraph, table, text, toYXml, type ContentBlock } from '@jane/shared/content';
import { connectClient, textOf, waitFor, waitForSync, type TestClient } from './helpers/collab.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { docFromState } from '../src/storage/docState.js';

/* ---------------------------------------------------------------- tools */

function requireTool(name: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`The export tests need “${name}” (apt-get install libreoffice-writer-nogui pandoc poppler-utils): it is not installed.`);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-export-'));

function writeFile(name: string, body: Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, body);
  return file;
}

/** LibreOffice's reading of a DOCX: its text, through PDF. */
function libreOfficeText(file: string): string {
  const profile = fs.mkdtempSync(path.join(work, 'lo-'));
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', work, file], { stdio: 'pipe', timeout: 120_000 });
  const pdf = file.replace(/\.docx$/, '.pdf');
  return execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
}

function pandoc(file: string, from: string, to = 'json', extra: string[] = []): string {
  return execFileSync('pandoc', ['-f', from, '-t', to, ...extra, file], { encoding: 'utf8', timeout: 60_000 });
}

/** Every node of a pandoc JSON AST whose `t` is `type`. */
function nodes(ast: unknown, type: string): any[] {
  const found: any[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      if ((value as { t?: string }).t === type) found.push(value);
      Object.values(value).forEach(walk);
    }
  };
  walk(ast);
  return found;
}

/** Plain text of a pandoc AST fragment. */
function astText(value: unknown): string {
  if (Array.isArray(value)) return value.map(astText).join('');
  if (value && typeof value === 'object') {
    const node = value as { t?: string; c?: unknown };
    if (node.t === 'Str') return node.c as string;
    if (node.t === 'Space' || node.t === 'SoftBreak' || node.t === 'LineBreak') return ' ';
    if (node.t === 'Code') return (node.c as [unknown, string])[1];
    return astText(node.c ?? Object.values(node));
  }
  return '';
}

/** Every entry of a zip (a DOCX) as text. */
function unzip(buffer: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, string>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function inOrder(haystack: string, needles: string[]): void {
  let at = -1;
  for (const needle of needles) {
    const next = haystack.indexOf(needle, at + 1);
    expect(next, `“${needle}” after position ${at} in:\n${haystack}`).toBeGreaterThan(at);
    at = next;
  }
}

/* ---------------------------------------------------------------- server */

let server: TestServer;
let workspaceId: string;
let chair: TestPerson;
let lead: TestPerson;
let observer: TestPerson;
let outsider: TestPerson;
const clients: TestClient[] = [];

beforeAll(async () => {
  for (const tool of ['soffice', 'pandoc', 'pdftotext']) requireTool(tool);
  server = await startTestServer();
  workspaceId = (await server.store.workspaces.list())[0]!.id;
  chair = await createPerson(server, { name: 'Chiara Chair', country: 'IT', roles: { [workspaceId]: 'chair' } });
  lead = await createPerson(server, { name: 'Lena Lead', country: 'SE', roles: { [workspaceId]: 'lead' } });
  observer = await createPerson(server, { name: 'Olga Observer', country: 'PL', roles: { [workspaceId]: 'observer' } });
  outsider = await createPerson(server, { name: 'Otto Outsider', country: 'DE' });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

async function download(person: TestPerson, url: string): Promise<{ status: number; headers: Headers; body: Buffer }> {
  const response = await fetch(server.url + url, { headers: person.api.cookie ? { cookie: person.api.cookie } : {} });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

async function exported(person: TestPerson, documentId: string, query: string): Promise<Buffer> {
  const response = await download(person, `/api/documents/${documentId}/export?${query}`);
  expect(response.status, response.body.toString('utf8').slice(0, 300)).toBe(200);
  return response.body;
}

async function stored(documentId: string): Promise<Y.Doc> {
  return docFromState(await server.store.content.load(documentId));
}

async function untilStored(documentId: string, needle: string): Promise<void> {
  await waitFor(async () => textOf(await stored(documentId)).includes(needle), 8_000, `“${needle}” stored`);
}

const t = text;
const marked = (value: string, ...types: string[]) => t(value, ...types.map((type) => ({ type })));
const HOSTILE_HREF = 'javascript:alert(1)';

/** Every node type and mark of the editor schema, plus hostile content. */
function everything(): ContentBlock[] {
  return [
    heading(2, 'Scope and objectives'),
    {
      type: 'paragraph',
      content: [
        t('Plain, '),
        marked('bold words', 'bold'),
        t(' then '),
        marked('italic words', 'italic'),
        t(', '),
        marked('struck words', 'strike'),
        t(', '),
        marked('underlined words', 'underline'),
        t(', '),
        marked('code()', 'code'),
        t(' and '),
        t('the EU portal', { type: 'link', attrs: { href: 'https://europa.eu/' } }),
        t('. Star * underscore _ hash # pipe | and <b>tags</b>.'),
      ],
    },
    paragraph(t('Hostile: '), t('dangerous link', { type: 'link', attrs: { href: HOSTILE_HREF } }), t(' and <script>alert(1)</script> typed.')),
    bulletList([[paragraph('First item'), bulletList([['Nested a'], ['Nested b']])], ['Second item']]),
    orderedList([['Apply online'], ['Be assessed']]),
    heading(3, 'Selection criteria'),
    table(['Criterion', 'Weight'], [['Experience', '40 %'], ['Research | output', '60 %']]),
    { type: 'blockquote', content: [paragraph('A quotation from the regulation.')] },
    { type: 'codeBlock', attrs: { language: 'js' }, content: [t('const weight = 40;\nreturn weight;')] },
    { type: 'horizontalRule' },
    heading(4, 'Level four'),
    paragraph('The end.'),
  ];
}

/** A new document with everything in it, written by a stock Yjs client. */
async function documentWithEverything(title: string): Promise<{ documentId: string; client: TestClient }> {
  const created = await chair.api.post(`/api/workspaces/${workspaceId}/documents`, { title, template: 'blank' });
  expect(created.status).toBe(201);
  const documentId: string = created.body.document.id;
  const client = connectClient(server.url, documentId, chair.api.cookie);
  clients.push(client);
  await waitForSync(client);
  const fragment = client.doc.getXmlFragment(DOCUMENT_FIELD);
  client.doc.transact(() => fragment.insert(fragment.length, toYXml(everything())));
  await untilStored(documentId, 'The end.');
  return { documentId, client };
}

/** The text of the paragraph at `index` of the fragment (its first text node). */
function textAt(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

const encode = (position: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(position)).toString('base64');
function anchorOn(textNode: Y.XmlText, from: number, to: number, kind: 'text' | 'section' = 'text') {
  return { kind, start: encode(Y.createRelativePositionFromTypeIndex(textNode, from, 0)), end: encode(Y.createRelativePositionFromTypeIndex(textNode, to, -1)), quote: textNode.toString().slice(from, to) };
}

/* ---------------------------------------------------------------- tests */

describe('document export', () => {
  let documentId: string;
  let client: TestClient;

  beforeAll(async () => {
    ({ documentId, client } = await documentWithEverything('Call for Survivorship centres'));
  });

  it('writes a DOCX that LibreOffice, pandoc and mammoth read back with its structure', async () => {
    const response = await download(observer, `/api/documents/${documentId}/export?format=docx`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = response.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[a-z0-9-]+-call-for-survivorship-centres-\d{4}-\d{2}-\d{2}\.docx"; filename\*=UTF-8''/);
    const file = writeFile('everything.docx', response.body);

    // LibreOffice: the title page, then every text in order.
    const pdfText = libreOfficeText(file);
    inOrder(pdfText, [
      'Call for Survivorship centres',
      'Current draft',
      'DRAFT',
      'Scope and objectives',
      'bold words',
      'the EU portal',
      'First item',
      'Nested a',
      'Second item',
      'Apply online',
      'Selection criteria',
      'Criterion',
      'Weight',
      'Experience',
      'A quotation from the regulation.',
      'const weight = 40;',
      'Level four',
      'The end.',
    ]);
    expect(pdfText).toMatch(/Page \d of \d/);

    // pandoc: heading levels (Word's Heading styles), lists, table, link, marks.
    const ast = JSON.parse(pandoc(file, 'docx'));
    const headers = nodes(ast, 'Header').map((h) => [h.c[0], astText(h.c[2])]);
    expect(headers).toEqual(expect.arrayContaining([[1, 'Call for Survivorship centres'], [2, 'Scope and objectives'], [3, 'Selection criteria'], [4, 'Level four']]));
    const bullets = nodes(ast, 'BulletList');
    const outer = bullets.find((list) => astText(list).startsWith('First item'));
    expect(outer, JSON.stringify(bullets)).toBeTruthy();
    expect(outer.c).toHaveLength(2);
    const inner = nodes(outer.c[0], 'BulletList')[0];
    expect(inner.c.map(astText)).toEqual(['Nested a', 'Nested b']);
    expect(nodes(ast, 'OrderedList').map(astText)).toContain('Apply onlineBe assessed');
    const tables = nodes(ast, 'Table');
    expect(tables).toHaveLength(1);
    const [, , , head, bodies] = tables[0].c;
    expect(astText(head)).toBe('CriterionWeight');
    expect(astText(bodies)).toContain('Research | output');
    const links = nodes(ast, 'Link').map((l) => [astText(l.c[1]), l.c[2][0]]);
    expect(links).toEqual([['the EU portal', 'https://europa.eu/']]);
    expect(nodes(ast, 'Strong').map(astText)).toContain('bold words');
    expect(nodes(ast, 'Emph').map(astText)).toContain('italic words');
    expect(nodes(ast, 'Strikeout').map(astText)).toContain('struck words');
    expect(nodes(ast, 'Underline').map(astText)).toContain('underlined words');
    expect(nodes(ast, 'Code').map(astText)).toContain('code()');
    expect(nodes(ast, 'CodeBlock').map((c) => c.c[1])).toEqual(['const weight = 40;\nreturn weight;']);
    expect(astText(nodes(ast, 'BlockQuote'))).toBe('A quotation from the regulation.');

    // mammoth: the same document through a third reader.
    const { value: html } = await mammoth.convertToHtml({ buffer: response.body });
    expect(html).toContain('<h2>Scope and objectives</h2>');
    expect(html).toContain('<h4>Level four</h4>');
    expect(html).toMatch(/<ul><li>First item<ul><li>Nested a<\/li><li>Nested b<\/li><\/ul><\/li><li>Second item<\/li><\/ul>/);
    expect(html).toContain('<ol><li>Apply online</li><li>Be assessed</li></ol>');
    expect(html).toContain('<a href="https://europa.eu/">the EU portal</a>');
    expect(html).toContain('<strong>bold words</strong>');
    expect(html).toMatch(/<table>.*Criterion.*Experience.*<\/table>/s);

    // The header row repeats on every page; headings use Word's own styles.
    const parts = await unzip(response.body);
    expect(parts.get('word/document.xml')).toContain('<w:tblHeader');
    expect(parts.get('word/document.xml')).toContain('w:val="Heading2"');
    expect(parts.get('word/numbering.xml')).toMatch(/w:ilvl="1"/);
  }, 120_000);

  it('writes HTML that pandoc reads with its structure: standalone, styled, no scripts', async () => {
    const response = await download(lead, `/api/documents/${documentId}/export?format=html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/filename="[a-z0-9-]+\.html"/);
    const html = response.body.toString('utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*script-src 'none'/);
    expect(html).toContain('<style>');
    const ast = JSON.parse(pandoc(writeFile('everything.html', response.body), 'html'));
    const headers = nodes(ast, 'Header').map((h) => [h.c[0], astText(h.c[2])]);
    expect(headers).toEqual(expect.arrayContaining([[1, 'Call for Survivorship centres'], [2, 'Scope and objectives'], [3, 'Selection criteria'], [4, 'Level four']]));
    const outer = nodes(ast, 'BulletList').find((list) => astText(list).startsWith('First item'));
    expect(nodes(outer.c[0], 'BulletList')[0].c.map(astText)).toEqual(['Nested a', 'Nested b']);
    const [, , , head, bodies] = nodes(ast, 'Table')[0].c;
    expect(astText(head)).toBe('CriterionWeight');
    expect(astText(bodies)).toContain('Research | output');
    expect(nodes(ast, 'Link').map((l) => [astText(l.c[1]), l.c[2][0]])).toEqual([['the EU portal', 'https://europa.eu/']]);
    expect(nodes(ast, 'Code').map(astText)).toContain('code()');
    expect(nodes(ast, 'CodeBlock').map((c) => c.c[1])).toEqual(['const weight = 40;\nreturn weight;']);
    expect(astText(nodes(ast, 'BlockQuote'))).toBe('A quotation from the regulation.');
  }, 60_000);

  it('writes Markdown that pandoc reads as GFM with its structure, and no text turned into markup', async () => {
    const response = await download(lead, `/api/documents/${documentId}/export?format=md`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const markdown = response.body.toString('utf8');
    expect(markdown).toContain('## Scope and objectives');
    expect(markdown).toContain('  - Nested a');
    const ast = JSON.parse(pandoc(writeFile('everything.md', response.body), 'gfm'));
    const headers = nodes(ast, 'Header').map((h) => [h.c[0], astText(h.c[2])]);
    expect(headers).toEqual([[1, 'Call for Survivorship centres'], [2, 'Scope and objectives'], [3, 'Selection criteria'], [4, 'Level four']]);
    const outer = nodes(ast, 'BulletList').find((list) => astText(list).startsWith('First item'));
    expect(nodes(outer.c[0], 'BulletList')[0].c.map(astText)).toEqual(['Nested a', 'Nested b']);
    const [, , , head, bodies] = nodes(ast, 'Table')[0].c;
    expect(astText(head)).toBe('CriterionWeight');
    expect(astText(bodies)).toContain('Research | output');
    expect(nodes(ast, 'Link').map((l) => [astText(l.c[1]), l.c[2][0]])).toEqual([['the EU portal', 'https://europa.eu/']]);
    expect(nodes(ast, 'Strong').map(astText)).toEqual(['bold words']);
    // (Emphasis also sets off the header line and section statuses.)
    expect(nodes(ast, 'Emph').map(astText)).toContain('italic words');
    expect(nodes(ast, 'Emph').map(astText)).not.toContain('bold words');
    expect(nodes(ast, 'Strikeout').map(astText)).toEqual(['struck words']);
    expect(nodes(ast, 'Code').map(astText)).toEqual(['code()']);
    expect(nodes(ast, 'CodeBlock').map((c) => c.c[1])).toEqual(['const weight = 40;\nreturn weight;']);
    expect(astText(nodes(ast, 'BlockQuote'))).toBe('A quotation from the regulation.');
    expect(nodes(ast, 'HorizontalRule')).toHaveLength(1);
    // The typed specials stay text.
    expect(astText(ast.blocks)).toContain('Star * underscore _ hash # pipe | and <b>tags</b>.');
    expect(nodes(ast, 'RawInline')).toEqual([]);
    expect(nodes(ast, 'RawBlock')).toEqual([]);
  }, 60_000);

  it('lets nothing hostile through: no javascript: link, no script, in any format', async () => {
    const html = (await exported(lead, documentId, 'format=html')).toString('utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('dangerous link');

    const markdown = (await exported(lead, documentId, 'format=md')).toString('utf8');
    expect(markdown).not.toMatch(/javascript:/i);
    expect(markdown).toContain('dangerous link');
    const mdAst = JSON.parse(pandoc(writeFile('hostile.md', Buffer.from(markdown)), 'gfm'));
    expect(nodes(mdAst, 'Link').some((l) => /javascript/i.test(l.c[2][0]))).toBe(false);
    expect(astText(mdAst.blocks)).toContain('<script>alert(1)</script> typed.');

    const docx = await exported(lead, documentId, 'format=docx');
    for (const [name, content] of await unzip(docx)) expect(content, name).not.toMatch(/javascript:/i);
    const docxAst = JSON.parse(pandoc(writeFile('hostile.docx', docx), 'docx'));
    expect(astText(docxAst.blocks)).toContain('Hostile: dangerous link and <script>alert(1)</script> typed.');
    expect(nodes(docxAst, 'Link').some((l) => /javascript/i.test(l.c[2][0]))).toBe(false);
  }, 60_000);

  it('adds each section’s status and owner with status=1', async () => {
    const doc = await stored(documentId);
    const scope = documentSections(doc).find((s) => s.title === 'Scope and objectives')!;
    expect((await chair.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { ownerId: lead.id })).status).toBe(200);
    expect((await lead.api.patch(`/api/documents/${documentId}/sections/${scope.id}`, { status: 'in-review' })).status).toBe(200);
    const markdown = (await exported(observer, documentId, 'format=md&status=1')).toString('utf8');
    inOrder(markdown, ['## Scope and objectives', 'Status: In review · Owner: Lena Lead (SE)', '### Selection criteria', 'Status: Draft · Owner: none']);
    // Not on the document's title.
    expect(markdown.split('\n').slice(0, 5).join('\n')).not.toContain('Status:');
    const pdfText = libreOfficeText(writeFile('status.docx', await exported(observer, documentId, 'format=docx&status=1')));
    inOrder(pdfText, ['Scope and objectives', 'Status: In review · Owner: Lena Lead (SE)', 'Selection criteria', 'Status: Draft · Owner: none']);
    expect(pdfText.match(/Status:/g)).toHaveLength(3);
  }, 120_000);

  it('exports a version’s text with &version=, and 404 for an unknown version', async () => {
    const version = await chair.api.post(`/api/documents/${documentId}/versions`, { name: 'Sent to the board' });
    expect(version.status).toBe(201);
    textAt(client.doc, client.doc.getXmlFragment(DOCUMENT_FIELD).length - 1).insert(0, 'Added after the version. ');
    await untilStored(documentId, 'Added after the version.');
    const current = (await exported(lead, documentId, 'format=md')).toString('utf8');
    expect(current).toContain('Added after the version.');
    const atVersion = (await exported(lead, documentId, `format=md&version=${version.body.version.id}`)).toString('utf8');
    expect(atVersion).not.toContain('Added after the version.');
    expect(atVersion).toContain('The end.');
    expect(atVersion).toContain('Sent to the board');
    const html = (await exported(lead, documentId, `format=html&version=${version.body.version.id}`)).toString('utf8');
    expect(html).toContain('Sent to the board');
    expect((await download(lead, `/api/documents/${documentId}/export?format=md&version=V${'x'.repeat(20)}`)).status).toBe(404);
  }, 60_000);

  it('refuses outsiders (403), unknown documents (404) and unknown formats (400); observers may export', async () => {
    expect((await download(outsider, `/api/documents/${documentId}/export?format=docx`)).status).toBe(403);
    expect((await download(outsider, `/api/documents/${documentId}/comment-matrix?format=csv`)).status).toBe(403);
    expect((await download(lead, `/api/documents/Dunknown0000000000000/export?format=docx`)).status).toBe(404);
    expect((await download(lead, `/api/documents/${documentId}/export?format=pdf`)).status).toBe(400);
    expect((await download(lead, `/api/documents/${documentId}/export`)).status).toBe(400);
    expect((await download(lead, `/api/documents/${documentId}/comment-matrix?format=md`)).status).toBe(400);
    for (const format of ['docx', 'html', 'md']) expect((await download(observer, `/api/documents/${documentId}/export?format=${format}`)).status).toBe(200);
    expect((await download(observer, `/api/documents/${documentId}/comment-matrix?format=docx`)).status).toBe(200);
    const anonymous = await fetch(`${server.url}/api/documents/${documentId}/export?format=md`);
    expect(anonymous.status).toBe(401);
  });
});

describe('comments in the export and the comment-resolution matrix', () => {
  let documentId: string;
  let client: TestClient;
  let threads: { onBold: string; onScope: string; formula: string; orphan: string };

  beforeAll(async () => {
    ({ documentId, client } = await documentWithEverything('Network plan with comments'));
    const doc = client.doc;
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    const blocks = fragment.toArray() as Y.XmlElement[];
    const scopeIndex = blocks.findIndex((b) => b.nodeName === 'heading' && b.toArray().map(String).join('') === 'Scope and objectives');
    const paragraphText = textAt(doc, scopeIndex + 1);
    const plain = (paragraphText.toDelta() as { insert: string }[]).map((op) => op.insert).join('');
    const boldFrom = plain.indexOf('bold words');
    const scopeHeading = textAt(doc, scopeIndex);
    const sectionId = blocks[scopeIndex]!.getAttribute('sectionId') as string;
    const post = async (person: TestPerson, body: object) => {
      const response = await person.api.post(`/api/documents/${documentId}/threads`, body);
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body.thread.id as string;
    };
    // Created in another order than the document's: the matrix sorts by position.
    const onBold = await post(lead, { anchor: { ...anchorOn(paragraphText, boldFrom, boldFrom + 'bold words'.length), quote: 'bold words' }, sectionId, sectionTitle: 'Scope and objectives', body: 'Are bold words too strong?' });
    const formula = await post(chair, { anchor: anchorOn(paragraphText, 0, 5), sectionId, sectionTitle: 'Scope and objectives', body: '=HYPERLINK("http://evil.example/","click")' });
    const onScope = await post(chair, { anchor: anchorOn(scopeHeading, 0, scopeHeading.length, 'section'), sectionId, sectionTitle: 'Scope and objectives', body: 'Is the scope too wide?' });
    expect((await lead.api.post(`/api/threads/${onScope}/comments`, { body: 'No, it matches the call.' })).status).toBe(201);
    // A passage deleted after the thread was started: an orphan.
    const endIndex = fragment.length - 1;
    const endText = textAt(doc, endIndex);
    const orphan = await post(lead, { anchor: anchorOn(endText, 0, endText.length), sectionId: null, sectionTitle: 'Level four', body: 'Remove the ending?' });
    endText.delete(0, endText.length);
    endText.insert(0, 'A new ending.');
    await untilStored(documentId, 'A new ending.');
    expect((await chair.api.post(`/api/threads/${formula}/resolve`, {})).status).toBe(200);
    threads = { onBold, onScope, formula, orphan };
  }, 60_000);

  it('puts open threads as Word comments on their passages, with the author and the replies', async () => {
    const docx = await exported(observer, documentId, 'format=docx&comments=1');
    const file = writeFile('comments.docx', docx);
    const markdown = pandoc(file, 'docx', 'markdown', ['--track-changes=all', '--wrap=none']);
    const comments = [...markdown.matchAll(/\[((?:[^\[\]]|\[[^\]]*\])*)\]\{\.comment-start id="(\d+)" author="([^"]*)"[^}]*\}([\s\S]*?)\[\]\{\.comment-end id="\2"\}/g)].map((m) => ({
      body: m[1]!.replace(/\s+/g, ' '),
      author: m[3],
      passage: m[4]!.replace(/[*#]/g, '').replace(/\s+/g, ' ').trim(),
    }));
    const byBody = new Map(comments.map((c) => [c.body.split(/ ¶ | \*\*/)[0], c]));
    expect(byBody.get('Is the scope too wide?')).toMatchObject({ author: 'Chiara Chair (IT)', passage: 'Scope and objectives' });
    expect(byBody.get('Is the scope too wide?')!.body).toMatch(/Lena Lead \(SE\), \d+ \w+ \d{4}:\*\* No, it matches the call\./);
    expect(byBody.get('Are bold words too strong?')).toMatchObject({ author: 'Lena Lead (SE)', passage: 'bold words' });
    // Resolved threads and orphans are not comments in the document.
    expect(comments, markdown).toHaveLength(2);
    expect(markdown).not.toContain('HYPERLINK');
    // Without comments=1, no comments.
    const plain = await exported(observer, documentId, 'format=docx');
    expect((await unzip(plain)).has('word/comments.xml')).toBe(false);
    // LibreOffice opens it.
    expect(libreOfficeText(file)).toContain('bold words');
  }, 120_000);

  it('lists every thread in document order, orphans last, as formula-safe CSV', async () => {
    const response = await download(observer, `/api/documents/${documentId}/comment-matrix?format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/filename="[a-z0-9-]+-network-plan-with-comments-comments-\d{4}-\d{2}-\d{2}\.csv"/);
    const csv = response.body.toString('utf8');
    const json = JSON.parse(pandoc(writeFile('matrix.csv', Buffer.from(csv.replace(/^\ufeff/, ''))), 'csv'));
    const [, , , head, bodies] = nodes(json, 'Table')[0].c;
    expect(astText(head)).toContain('Quoted passage');
    const rows = bodies[0][3].map((row: any) => row[1].map((cell: any) => astText(cell[4])));
    expect(rows.map((r: string[]) => r[6])).toEqual(['Is the scope too wide?', `'=HYPERLINK("http://evil.example/","click")`, 'Are bold words too strong?', 'Remove the ending?']);
    expect(rows[0].slice(1, 6)).toEqual(['Scope and objectives', 'Scope and objectives', 'Chiara Chair', 'IT', expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)]);
    expect(rows[0][7]).toMatch(/^Lena Lead \(SE\), \d{4}-\d{2}-\d{2}: No, it matches the call\.$/);
    expect(rows[1].slice(8, 10)).toEqual(['resolved', 'Chiara Chair (IT)']);
    expect(rows[0][8]).toBe('open');
    expect(rows[3][2]).toContain('passage no longer in the document');
    expect(csv).not.toMatch(/(^|,)"?=HYPERLINK/m);
  }, 60_000);

  it('writes the matrix as a landscape DOCX table with a header row', async () => {
    const response = await download(lead, `/api/documents/${documentId}/comment-matrix?format=docx`);
    expect(response.status).toBe(200);
    const parts = await unzip(response.body);
    expect(parts.get('word/document.xml')).toContain('w:orient="landscape"');
    expect(parts.get('word/document.xml')).toContain('<w:tblHeader');
    const ast = JSON.parse(pandoc(writeFile('matrix.docx', response.body), 'docx'));
    const [, , , head, bodies] = nodes(ast, 'Table')[0].c;
    expect(astText(head)).toBe('No.SectionQuoted passageCommentRepliesStatusResolved');
    const text = astText(bodies);
    inOrder(text, ['Is the scope too wide?', 'No, it matches the call.', '=HYPERLINK', 'Are bold words too strong?', 'Remove the ending?']);
    const pdfText = libreOfficeText(writeFile('matrix-lo.docx', response.body));
    expect(pdfText).toContain('Comment-resolution matrix');
    void threads;
  }, 120_000);
});

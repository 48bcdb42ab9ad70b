/**
 * Importing files without a server: Markdown and real Word documents (written by pandoc)
 * become content the editor's own schema accepts — headings with section ids, nested
 * lists, tables with header cells, marks and safe links — and the report says what was
 * kept and what was left out. Hostile archives are refused before mammoth reads them.
 */
import { describe, expect, it } from 'vitest';
import type { ContentBlock } from '@jane/shared/content';
import { buildZip, deflatedEntry, documentXml, handMadeDocx, longMarkdown, minimalDocxParts, pandocDocx, tinyPng, zipBomb } from '../../test/helpers/importFiles.js';
import { parseHtml } from './html.js';
import { importFile } from './importFile.js';
import { ImportRefusedError, NOT_A_DOCUMENT } from './limits.js';

/**
 * The editor's schema, from the editor's own extensions and shared's Tiptap (the server has
 * no Tiptap of its own). Loaded at run time: those modules are typed against the DOM,
 * which the server's compiler does not know.
 */
interface SchemaNode {
  check(): void;
  child(index: number): any;
  textContent: string;
}
const EDITOR_MODULE = '@jane/shared/editor';
const TIPTAP_MODULE = new URL('../../../shared/node_modules/@tiptap/core/dist/index.js', import.meta.url).href;
const { editorExtensions } = await import(/* @vite-ignore */ EDITOR_MODULE);
const { getSchema } = await import(/* @vite-ignore */ TIPTAP_MODULE);
const schema: { nodeFromJSON(json: unknown): SchemaNode } = getSchema(editorExtensions());

/** The blocks as a document of the editor's schema (throws on anything it does not allow). */
function checked(blocks: ContentBlock[]) {
  const doc = schema.nodeFromJSON({ type: 'doc', content: blocks });
  doc.check();
  return doc;
}

async function refusal(promise: Promise<unknown>): Promise<ImportRefusedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportRefusedError);
  return error as ImportRefusedError;
}

const SAMPLE_MARKDOWN = `# Call for expressions of interest

Intro with **bold**, *italic*, ~~struck~~, \`code\` and a [link](https://jane-project.eu/wp9).

A second line<br>and <script>alert("x")</script> more text.

## Scope

- First item
  - Nested one with [a bad link](javascript:alert(1))
  - Nested two
- Second item

3. Third
4. Fourth

| Criterion | Weight |
|-----------|--------|
| Quality   | **40** |
| Reach     | 60     |

##### Deep heading

> Quoted text
> # heading in a quote

\`\`\`js
const x = 1 < 2;
\`\`\`

---

![A picture](pic.png)

<div onclick="evil()">block html</div>
`;

describe('the schema check', () => {
  it('refuses what the editor would not hold (so that passing it means something)', () => {
    expect(() => checked([{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'code' }, { type: 'bold' }] }] }])).toThrow();
    expect(() => checked([{ type: 'listItem', content: [] }])).toThrow();
    expect(() => checked([{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] }] }] }])).toThrow();
  });
});

describe('Markdown import', () => {
  it('keeps headings, nested lists, tables, marks and safe links, in the editor schema', async () => {
    const { blocks, report, suggestedTitle, kind } = await importFile(Buffer.from(SAMPLE_MARKDOWN), 'call.md');
    expect(kind).toBe('markdown');
    const doc = checked(blocks);
    expect(suggestedTitle).toBe('Call for expressions of interest');
    const types = blocks.map((b) => b.type);
    expect(types).toEqual(['heading', 'paragraph', 'paragraph', 'heading', 'bulletList', 'orderedList', 'table', 'heading', 'blockquote', 'codeBlock', 'horizontalRule']);
    const headings = blocks.filter((b) => b.type === 'heading');
    expect(headings.map((h) => h.attrs!.level)).toEqual([1, 2, 4]);
    expect(new Set(headings.map((h) => h.attrs!.sectionId)).size).toBe(3);
    expect(doc.child(1).toJSON().content).toEqual([
      { type: 'text', text: 'Intro with ' },
      { type: 'text', text: 'bold', marks: [{ type: 'bold' }] },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'italic', marks: [{ type: 'italic' }] },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'struck', marks: [{ type: 'strike' }] },
      { type: 'text', text: ', ' },
      { type: 'text', text: 'code', marks: [{ type: 'code' }] },
      { type: 'text', text: ' and a ' },
      { type: 'text', text: 'link', marks: [{ type: 'link', attrs: expect.objectContaining({ href: 'https://jane-project.eu/wp9' }) }] },
      { type: 'text', text: '.' },
    ]);
    // Inline HTML is gone, a script's content with it; an HTML line break is a line break.
    expect(doc.child(2).toJSON().content).toEqual([{ type: 'text', text: 'A second line' }, { type: 'hardBreak' }, { type: 'text', text: 'and  more text.' }]);
    const list = doc.child(4);
    expect(list.child(0).childCount).toBe(2);
    expect(list.child(0).child(1).type.name).toBe('bulletList');
    expect(list.child(0).child(1).child(0).textContent).toBe('Nested one with a bad link');
    // The javascript: link keeps its text, not its target.
    expect(JSON.stringify(list.toJSON())).not.toContain('javascript');
    expect(doc.child(5).attrs.start).toBe(3);
    const table = doc.child(6);
    expect([table.childCount, table.child(0).childCount]).toEqual([3, 2]);
    expect(table.child(0).child(0).type.name).toBe('tableHeader');
    expect(table.child(1).child(0).type.name).toBe('tableCell');
    expect(table.child(1).child(1).textContent).toBe('40');
    // A heading inside a quote is not a section: bold text.
    expect(doc.child(8).child(1).type.name).toBe('paragraph');
    expect(doc.child(9).attrs.language).toBe('js');
    expect(doc.child(9).textContent).toBe('const x = 1 < 2;');
    // Body paragraphs: the two at the top and the two in the quote.
    expect(report.kept).toEqual({ headings: 3, paragraphs: 4, lists: 2, tables: 1, links: 1 });
    expect(report.dropped).toEqual([
      { what: 'image', count: 1, example: 'A picture' },
      { what: 'unsupported', count: 3, example: 'HTML: <script>' },
    ]);
  });

  it('reports raw HTML and unsafe links by what they were', async () => {
    const { report, blocks } = await importFile(Buffer.from('Text <script>steal()</script> and [x](javascript:alert(1)).\n'), 'x.md');
    checked(blocks);
    expect(JSON.stringify(blocks)).not.toMatch(/steal|javascript|script/);
    expect(report.dropped).toEqual([{ what: 'unsupported', count: 2, example: 'HTML: <script>' }]);
  });

  it('keeps a hard break and caps headings at level 4', async () => {
    const { blocks } = await importFile(Buffer.from('###### Six\n\nline one  \nline two\n'), 'x.md');
    const doc = checked(blocks);
    expect(doc.child(0).attrs.level).toBe(4);
    expect(doc.child(1).toJSON().content.map((n: { type: string }) => n.type)).toEqual(['text', 'hardBreak', 'text']);
  });

  it('takes the file name as title when there is no heading', async () => {
    const { suggestedTitle } = await importFile(Buffer.from('Just text.\n'), 'My notes.md');
    expect(suggestedTitle).toBe('My notes');
  });

  it('refuses what is not Markdown or Word, empty files and oversized tables', async () => {
    expect((await refusal(importFile(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0xfe]), 'x.pdf'))).message).toBe(NOT_A_DOCUMENT);
    expect((await refusal(importFile(Buffer.from([0xc3, 0x28, 0x41]), 'x.md'))).message).toBe(NOT_A_DOCUMENT);
    expect((await refusal(importFile(Buffer.from('   \n\n'), 'x.md'))).message).toMatch(/no text/);
    const longTable = ['| a |', '|---|', ...Array.from({ length: 1_001 }, (_, i) => `| ${i} |`)].join('\n');
    expect((await refusal(importFile(Buffer.from(longTable), 'x.md'))).message).toMatch(/more than 1,000 rows/);
    const wide = Array.from({ length: 51 }, (_, i) => `c${i}`);
    const wideTable = [`| ${wide.join(' | ')} |`, `|${wide.map(() => '---').join('|')}|`].join('\n');
    expect((await refusal(importFile(Buffer.from(wideTable), 'x.md'))).message).toMatch(/more than 50 columns/);
  });
});

describe('Word import', () => {
  it('reads a pandoc-made document: headings, nested lists, a table with a header row, a link, bold and italic; drops images and footnotes', async () => {
    const docx = pandocDocx(
      `# Survivorship network plan

Intro with **bold** and *italic* and a [link](https://jane-project.eu/wp9), and a footnote[^1].

## Scope

- First item
  - Nested one
  - Nested two
- Second item

1. One
2. Two

| Criterion | Weight |
|-----------|--------|
| Quality   | 40     |
| Reach     | 60     |

##### Deep heading

![An image](pic.png)

[^1]: The footnote text.
`,
      { 'pic.png': tinyPng() },
    );
    const { blocks, report, suggestedTitle, kind } = await importFile(docx, 'plan.docx');
    expect(kind).toBe('docx');
    const doc = checked(blocks);
    expect(suggestedTitle).toBe('Survivorship network plan');
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'heading', 'bulletList', 'orderedList', 'table', 'heading']);
    expect(blocks.filter((b) => b.type === 'heading').map((h) => [h.attrs!.level, typeof h.attrs!.sectionId])).toEqual([
      [1, 'string'],
      [2, 'string'],
      [4, 'string'],
    ]);
    const intro = doc.child(1).toJSON().content;
    expect(intro).toContainEqual({ type: 'text', text: 'bold', marks: [{ type: 'bold' }] });
    expect(intro).toContainEqual({ type: 'text', text: 'italic', marks: [{ type: 'italic' }] });
    expect(intro).toContainEqual({ type: 'text', text: 'link', marks: [{ type: 'link', attrs: expect.objectContaining({ href: 'https://jane-project.eu/wp9' }) }] });
    expect(doc.child(1).textContent).toBe('Intro with bold and italic and a link, and a footnote.');
    const list = doc.child(3);
    expect(list.childCount).toBe(2);
    expect(list.child(0).child(0).textContent).toBe('First item');
    expect(list.child(0).child(1).type.name).toBe('bulletList');
    expect(list.child(0).child(1).childCount).toBe(2);
    const table = doc.child(5);
    expect(table.child(0).child(0).type.name).toBe('tableHeader');
    expect(table.child(0).textContent).toBe('CriterionWeight');
    expect(table.child(2).child(0).type.name).toBe('tableCell');
    expect(report.kept).toEqual({ headings: 3, paragraphs: 1, lists: 2, tables: 1, links: 1 });
    expect(report.dropped).toEqual([
      { what: 'image', count: 1 },
      { what: 'footnote', count: 1, example: 'a footnote' },
    ]);
  });

  it('reads a minimal hand-made document', async () => {
    const { blocks, suggestedTitle } = await importFile(handMadeDocx('Hello'), 'Letter.docx');
    expect(checked(blocks).textContent).toBe('Hello');
    expect(suggestedTitle).toBe('Letter');
  });

  it('refuses a zip bomb, sizes that lie, too many entries, DOCTYPE tricks and zips that are no Word document', async () => {
    expect((await refusal(importFile(await zipBomb(200), 'bomb.docx'))).message).toMatch(/unpacks to more than 50 MB/);
    expect((await refusal(importFile(await zipBomb(20), 'bomb.docx'))).message).toMatch(/compressed far more than any real document/);
    expect((await refusal(importFile(await zipBomb(60, true), 'liar.docx'))).message).toMatch(/damaged/);
    const many = buildZip([...minimalDocxParts(), deflatedEntry('word/document.xml', documentXml('')), ...Array.from({ length: 2_000 }, (_, i) => deflatedEntry(`x/${i}.bin`, 'x'))]);
    expect((await refusal(importFile(many, 'many.docx'))).message).toMatch(/more than 2,000 parts/);
    const laughs = documentXml('<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>').replace('?>', '?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;">]>');
    expect((await refusal(importFile(buildZip([...minimalDocxParts(), deflatedEntry('word/document.xml', laughs)]), 'laughs.docx'))).message).toMatch(/DOCTYPE or ENTITY/);
    const notWord = buildZip([deflatedEntry('xl/workbook.xml', '<workbook/>')]);
    expect((await refusal(importFile(notWord, 'sheet.docx'))).message).toBe(NOT_A_DOCUMENT);
    expect((await refusal(importFile(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]), 'broken.docx'))).message).toMatch(/damaged/);
  });

  it('imports a 50-page document (25,000 words) in under 2 seconds', async () => {
    const docx = pandocDocx(longMarkdown(25_000));
    const started = performance.now();
    const { blocks, report } = await importFile(docx, 'long.docx');
    const ms = performance.now() - started;
    console.log(`import of a 25,000-word DOCX (${Math.round(docx.length / 1024)} KB, ${blocks.length} blocks, ${report.kept.headings} headings): ${ms.toFixed(0)} ms`);
    checked(blocks);
    expect(report.kept.headings).toBeGreaterThan(50);
    expect(ms).toBeLessThan(2_000);
  });
});

describe('the HTML reader for mammoth', () => {
  it('reads elements, attributes and entities, and survives stray tags', () => {
    const root = parseHtml('<p>a &amp; b &lt;c&gt; &#233;&#x1F600; &bogus;</p></div><a href="https://x.eu/?a=1&amp;b=2">l</a><br /><p>unclosed');
    expect(root.children.map((c) => (c.kind === 'element' ? c.tag : 'text'))).toEqual(['p', 'a', 'br', 'p']);
    const p = root.children[0]!;
    expect(p.kind === 'element' && p.children[0]).toEqual({ kind: 'text', text: 'a & b <c> é😀 &bogus;' });
    const a = root.children[1]!;
    expect(a.kind === 'element' && a.attrs.href).toBe('https://x.eu/?a=1&b=2');
  });
});

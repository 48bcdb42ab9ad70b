/** The renderers without a server: Markdown escaping and emphasis, HTML escaping, file names. */
import { describe, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from '@jane/shared';
import { appendContent, heading, paragraph, text, type ContentBlock } from '@jane/shared/content';
import { contentDisposition, exportDocument, exportFileName, slug, unicodeFileName, type ExportMeta } from './index.js';

const meta: ExportMeta = { workspaceTitle: 'Réseau européen: “Survivorship”', documentTitle: 'Plan 2026 / draft', versionName: null, date: new Date('2026-03-14T09:00:00Z') };
const markdownIt = new MarkdownIt('commonmark').enable(['table', 'strikethrough']);

async function markdownOf(blocks: ContentBlock[]): Promise<string> {
  const doc = new Y.Doc();
  appendContent(doc, blocks);
  const file = await exportDocument(doc, meta, 'md');
  // Without the header line.
  return file.body.toString('utf8').split('\n\n').slice(1).join('\n\n');
}

const m = (value: string, ...types: string[]) => text(value, ...types.map((type) => ({ type })));

describe('Markdown', () => {
  it('keeps typed specials as text: nothing becomes a list, heading, quote, table, link or HTML', async () => {
    const lines = ['1. not a list', '- not a list', '+ nor this', '# not a heading', '> not a quote', '| a | b |', '[x](https://e.eu)', '<img src=x onerror=alert(1)>', '***', 'a*b*c _d_ ~~e~~ `f` &amp; \\ end', '    four spaces'];
    const md = await markdownOf(lines.map((line) => paragraph(line)));
    const html = markdownIt.render(md);
    expect(html.match(/<p>/g)).toHaveLength(lines.length);
    expect(html).not.toMatch(/<(ol|ul|h1|blockquote|table|a|img|em|strong|s|code|hr|pre)\b/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('a*b*c _d_ ~~e~~ `f` &amp;amp; \\ end');
  });

  it('writes emphasis that reads back the same, also where marks touch', async () => {
    const md = await markdownOf([
      { type: 'paragraph', content: [m('italic', 'italic'), m('bold', 'bold'), text(' '), m('bold', 'bold'), m('both', 'bold', 'italic'), text(' x'), m('in', 'bold'), text('word '), m('strike', 'strike'), m(' spaced ', 'bold'), text('end')] },
    ]);
    expect(markdownIt.renderInline(md.trim())).toBe('<em>italic</em><strong>bold</strong> <strong>bold<em>both</em></strong> x<strong>in</strong>word <s>strike</s> <strong>spaced</strong> end');
  });

  it('writes code spans around backticks, and links only to safe targets', async () => {
    const md = await markdownOf([
      paragraph(m('a `tick`', 'code'), text(' '), text('wiki', { type: 'link', attrs: { href: 'https://en.wikipedia.org/wiki/Cancer_(disease)' } }), text(' '), text('bad', { type: 'link', attrs: { href: ' JaVaScRiPt:alert(1)' } }), text(' '), text('data', { type: 'link', attrs: { href: 'data:text/html,<script>alert(1)</script>' } })),
    ]);
    const html = markdownIt.renderInline(md.trim());
    expect(html).toBe('<code>a `tick`</code> <a href="https://en.wikipedia.org/wiki/Cancer_%28disease%29">wiki</a> bad data');
  });

  it('puts two lists of the same kind in a row apart', async () => {
    const list = { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph('one')] }] };
    const html = markdownIt.render(await markdownOf([list, list]));
    expect(html.match(/<ul>/g)).toHaveLength(2);
  });
});

describe('HTML', () => {
  it('escapes titles and text, and links only to safe targets', async () => {
    const doc = new Y.Doc();
    appendContent(doc, [heading(1, '<img src=x onerror=alert(1)>'), paragraph(text('x', { type: 'link', attrs: { href: 'javascript:alert(1)' } }), text('"quoted" & <b>'))]);
    const html = (await exportDocument(doc, { ...meta, documentTitle: '</title><script>alert(1)</script>' }, 'html')).body.toString('utf8');
    expect(html).not.toMatch(/<script|<img|javascript:/i);
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
    expect(doc.getXmlFragment(DOCUMENT_FIELD).length).toBe(2);
  });
});

describe('file names', () => {
  it('are ASCII slugs with the date, and the typed name in filename*', () => {
    expect(slug('Réseau européen: “Survivorship”')).toBe('reseau-europeen-survivorship');
    expect(exportFileName(meta, 'docx')).toBe('reseau-europeen-survivorship-plan-2026-draft-2026-03-14.docx');
    expect(exportFileName({ ...meta, documentTitle: '!!!' }, 'md')).toBe('reseau-europeen-survivorship-document-2026-03-14.md');
    const unicode = unicodeFileName(meta, 'docx');
    expect(unicode).toBe('Réseau européen “Survivorship” - Plan 2026 draft - 2026-03-14.docx');
    const header = contentDisposition(exportFileName(meta, 'docx'), unicode);
    expect(header).toBe(`attachment; filename="reseau-europeen-survivorship-plan-2026-draft-2026-03-14.docx"; filename*=UTF-8''${encodeURIComponent(unicode)}`);
    expect(header).not.toMatch(/[\r\n]/);
  });
});

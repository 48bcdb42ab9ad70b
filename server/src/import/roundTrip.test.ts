/** Markdown out and back in: what the editor holds survives an export to Markdown and an import of that file, structure and marks alike. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from '@jane/shared';
import { appendContent, bulletList, fromYXml, heading, link, orderedList, paragraph, table, text, type ContentBlock, type ContentNode } from '@jane/shared/content';
import { exportDocument } from '../export/document/index.js';
import { importFile } from './importFile.js';

const mark = (type: string) => ({ type });

/** The structure a reader sees: node types, heading levels, list nesting, texts and marks — not ids or cell spans. */
function shape(nodes: readonly ContentNode[]): unknown[] {
  return nodes.map((node) => {
    if (node.type === 'text') {
      const t = node as { text: string; marks?: { type: string; attrs?: Record<string, unknown> }[] };
      return { text: t.text, marks: (t.marks ?? []).map((m) => (m.type === 'link' ? `link:${String(m.attrs?.href)}` : m.type)).sort() };
    }
    const block = node as ContentBlock;
    return { type: block.type, ...(block.type === 'heading' ? { level: block.attrs?.level } : {}), content: shape(block.content ?? []) };
  });
}

describe('Markdown round trip', () => {
  it('imports an exported Markdown file to the same structure: headings, nested lists, a table, a quote, code and every mark', async () => {
    const blocks: ContentBlock[] = [
      heading(1, 'Call for expressions of interest'),
      heading(2, 'Scope'),
      { type: 'paragraph', content: [text('Networks '), text('must', mark('bold')), text(' share '), text('data', mark('italic')), text(' and '), text('old', mark('strike')), text(' '), text('code', mark('code')), text(' — see '), text('the mission', link('https://europa.eu/mission'))] },
      bulletList([[paragraph('Hospitals'), bulletList([['University hospitals'], ['Regional centres']])], ['Registries']]),
      orderedList([['Apply'], ['Wait for the assessment']]),
      table(['Criterion', 'Weight'], [['Experience', '40 %'], ['Research', '30 %']]),
      { type: 'blockquote', content: [paragraph('Quoted guidance.')] },
      { type: 'codeBlock', content: [text('const x = 1;')] },
      heading(3, 'Details'),
      paragraph('The end.'),
    ];
    const doc = new Y.Doc();
    appendContent(doc, blocks);
    const expected = shape(fromYXml(doc.getXmlFragment(DOCUMENT_FIELD)));
    const markdown = await exportDocument(doc, { workspaceTitle: 'OMICS', documentTitle: 'Call for expressions of interest', versionName: null, date: new Date('2026-03-14T09:00:00Z') }, 'md');
    const imported = await importFile(markdown.body, markdown.fileName);
    expect(imported.kind).toBe('markdown');
    // The export starts with one line saying what it is (workspace, title, version, date); the rest is the document.
    const [header, ...rest] = imported.blocks;
    expect(shape([header!])).toEqual([{ type: 'paragraph', content: [{ text: expect.stringContaining('OMICS · Call for expressions of interest · Current draft'), marks: ['italic'] }] }]);
    expect(shape(rest)).toEqual(expected);
    expect(imported.report.dropped).toEqual([]);
  });
});

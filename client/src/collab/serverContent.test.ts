/**
 * What the server writes into documents (templates, minutes, imports: @jane/shared/content)
 * must be what the editor reads: built as Yjs, read back by the editor's own binding
 * (y-tiptap) against the editor's schema, it is a valid document with the same text,
 * marks, lists and tables — not content the editor would drop or refuse.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { editorExtensions } from '@jane/shared/editor';
import { DOCUMENT_FIELD, buildTemplateUpdate, documentSections } from '@jane/shared/core';
import { bold, bulletList, contentUpdate, heading, link, orderedList, paragraph, table, text } from '@jane/shared/content';

const schema = getSchema(editorExtensions());

function asEditorReadsIt(update: Uint8Array) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  const root = yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(DOCUMENT_FIELD), schema);
  root.check(); // throws on content the schema does not allow
  return { doc, root };
}

describe('content the server writes', () => {
  it('is read by the editor as the same headings, marks, lists and tables', () => {
    const { doc, root } = asEditorReadsIt(
      contentUpdate([
        heading(1, 'Minutes – Monthly call'),
        paragraph(text('Meeting: ', bold), 'Monthly call < plenary'),
        orderedList([['Selection criteria', ' — ', text('Call › Criteria', link('https://jane.example/d/abc?section=s1'))], ['AOB']]),
        heading(2, 'Decisions'),
        bulletList([[]]),
        table(['Action', 'Owner', 'Due date'], [['', '', '']]),
        paragraph(),
      ]),
    );
    expect(root.childCount).toBe(7);
    expect(root.child(0).toJSON()).toMatchObject({ type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Minutes – Monthly call' }] });
    expect(root.child(0).attrs.sectionId).toEqual(expect.any(String));
    expect(root.child(1).toJSON().content).toEqual([
      { type: 'text', text: 'Meeting: ', marks: [{ type: 'bold' }] },
      { type: 'text', text: 'Monthly call < plenary' },
    ]);
    const list = root.child(2);
    expect(list.type.name).toBe('orderedList');
    expect(list.childCount).toBe(2);
    const linked = list.child(0).child(0).lastChild!;
    expect(list.child(0).textContent).toBe('Selection criteria — Call › Criteria');
    expect(linked.text).toBe('Call › Criteria');
    expect(linked.marks.map((m) => [m.type.name, m.attrs.href])).toEqual([['link', 'https://jane.example/d/abc?section=s1']]);
    expect(root.child(4).type.name).toBe('bulletList');
    const grid = root.child(5);
    expect(grid.type.name).toBe('table');
    expect([grid.childCount, grid.child(0).childCount]).toEqual([2, 3]);
    expect(grid.child(0).child(1).type.name).toBe('tableHeader');
    expect(grid.child(0).child(1).textContent).toBe('Owner');
    expect(grid.child(1).child(0).type.name).toBe('tableCell');
    // Sections are read from the same structure, "<" and all.
    expect(documentSections(doc).map((s) => s.title)).toEqual(['Minutes – Monthly call', 'Decisions']);
  });

  it('reads every template as a valid document with one id per section', () => {
    for (const template of ['blank', 'call-for-expressions-of-interest', 'network-plan', 'meeting-minutes'] as const) {
      const { root } = asEditorReadsIt(buildTemplateUpdate(template, 'Draft'));
      const ids: string[] = [];
      root.forEach((node) => {
        if (node.type.name === 'heading') ids.push(node.attrs.sectionId);
      });
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    }
  });
});

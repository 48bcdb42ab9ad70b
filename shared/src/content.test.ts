import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { fromYXml, toYXml, type ContentBlock } from './content.js';
import { editorExtensions } from './editor/index.js';
import { DOCUMENT_FIELD } from './protocol/collab.js';

const t = (text: string, ...marks: { type: string; attrs?: Record<string, unknown> }[]) => ({ type: 'text' as const, text, ...(marks.length ? { marks } : {}) });
const p = (...content: ReturnType<typeof t>[]): ContentBlock => ({ type: 'paragraph', content });
const item = (...content: ContentBlock[]): ContentBlock => ({ type: 'listItem', content });
const cell = (type: 'tableHeader' | 'tableCell', text: string, colspan = 1): ContentBlock => ({ type, attrs: { colspan, rowspan: 1 }, content: [p(t(text))] });

/** Every node type and mark the editor schema has. */
const EVERYTHING: ContentBlock[] = [
  { type: 'heading', attrs: { level: 1, sectionId: 'title-1' }, content: [t('Call for Survivorship centres')] },
  { type: 'heading', attrs: { level: 2, sectionId: 'scope-2' }, content: [t('Scope')] },
  p(
    t('Plain, '),
    t('bold', { type: 'bold' }),
    t(' '),
    t('italic', { type: 'italic' }),
    t(' '),
    t('struck', { type: 'strike' }),
    t(' '),
    t('under', { type: 'underline' }),
    t(' '),
    t('code()', { type: 'code' }),
    t(' '),
    t('bold italic', { type: 'bold' }, { type: 'italic' }),
    t(' and a '),
    t('link', { type: 'link', attrs: { href: 'https://europa.eu/', target: '_blank' } }),
    t('.'),
  ),
  { type: 'paragraph', content: [t('line one'), { type: 'hardBreak' } as never, t('line two')] },
  { type: 'paragraph' },
  {
    type: 'bulletList',
    content: [item(p(t('first')), { type: 'bulletList', content: [item(p(t('nested a'))), item(p(t('nested b')))] }), item(p(t('second')))],
  },
  { type: 'orderedList', attrs: { start: 3 }, content: [item(p(t('three')), { type: 'orderedList', attrs: { start: 1 }, content: [item(p(t('three.one')))] })] },
  { type: 'blockquote', content: [p(t('A quotation.'))] },
  { type: 'codeBlock', attrs: { language: 'js' }, content: [t('const a = 1 < 2;\nreturn a;')] },
  { type: 'horizontalRule' },
  {
    type: 'table',
    content: [
      { type: 'tableRow', content: [cell('tableHeader', 'Criterion'), cell('tableHeader', 'Weight')] },
      { type: 'tableRow', content: [cell('tableCell', 'Experience'), cell('tableCell', '40 %')] },
      { type: 'tableRow', content: [cell('tableCell', 'Spanning', 2)] },
    ],
  },
];

describe('fromYXml', () => {
  it('reads back every node type, attribute and mark that toYXml wrote', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    fragment.insert(0, toYXml(EVERYTHING));
    const back = fromYXml(fragment);
    // An empty textblock keeps its (empty) text in Yjs, and reads back as no content.
    expect(back).toEqual(EVERYTHING);
  });

  it('gives JSON the editor schema accepts', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    fragment.insert(0, toYXml(EVERYTHING));
    const schema = getSchema(editorExtensions());
    const node = ProseMirrorNode.fromJSON(schema, { type: 'doc', content: fromYXml(fragment) });
    expect(() => node.check()).not.toThrow();
    expect(node.textContent).toContain('three.one');
  });

  it('keeps text typed into an existing text with marks applied later, split at the mark boundaries', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    fragment.insert(0, [paragraph]);
    text.insert(0, 'Hello brave world');
    text.format(6, 5, { bold: {} });
    expect(fromYXml(fragment)).toEqual([p(t('Hello '), t('brave', { type: 'bold' }), t(' world'))]);
  });
});

/**
 * Document content written by the server (templates, minutes, imports) as ProseMirror's
 * JSON — `{ type, attrs, content }` blocks with `{ type: 'text', text, marks }` inside —
 * and turned into the Yjs structure y-prosemirror reads: one `Y.XmlElement` per block
 * node, named after the node type, with the node's attributes; the text of a textblock
 * in one `Y.XmlText` whose formatting attributes are the marks (`{ bold: {} }`,
 * `{ link: { href } }`).
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from './protocol/collab.js';
import { newSectionId, SECTION_ID_ATTRIBUTE } from './sections.js';

export interface ContentMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface ContentText {
  type: 'text';
  text: string;
  marks?: ContentMark[];
}

export interface ContentBlock {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ContentNode[];
}

export type ContentNode = ContentBlock | ContentText;

const isText = (node: ContentNode): node is ContentText => node.type === 'text';

/* ---------------------------------------------------------------- builders */

export const text = (value: string, ...marks: ContentMark[]): ContentText => ({ type: 'text', text: value, ...(marks.length > 0 ? { marks } : {}) });
export const bold: ContentMark = { type: 'bold' };
export const link = (href: string): ContentMark => ({ type: 'link', attrs: { href } });

type Inline = string | ContentText;
const inline = (parts: Inline[]): ContentText[] => parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? text(p) : p));

/** A heading that starts a section: it gets a section id of its own. */
export const heading = (level: number, ...parts: Inline[]): ContentBlock => ({
  type: 'heading',
  attrs: { level, [SECTION_ID_ATTRIBUTE]: newSectionId() },
  content: inline(parts),
});
export const paragraph = (...parts: Inline[]): ContentBlock => ({ type: 'paragraph', content: inline(parts) });
const listItem = (item: Inline[] | ContentBlock[]): ContentBlock => ({
  type: 'listItem',
  content: item.length > 0 && typeof item[0] !== 'string' && !isText(item[0] as ContentNode) ? (item as ContentBlock[]) : [paragraph(...(item as Inline[]))],
});
export const bulletList = (items: (Inline[] | ContentBlock[])[]): ContentBlock => ({ type: 'bulletList', content: items.map(listItem) });
export const orderedList = (items: (Inline[] | ContentBlock[])[]): ContentBlock => ({ type: 'orderedList', attrs: { start: 1 }, content: items.map(listItem) });

/** A table with a header row: every cell holds one paragraph. */
export function table(header: string[], rows: Inline[][]): ContentBlock {
  const cell = (type: 'tableHeader' | 'tableCell', parts: Inline[]): ContentBlock => ({ type, attrs: { colspan: 1, rowspan: 1 }, content: [paragraph(...parts)] });
  return {
    type: 'table',
    content: [
      { type: 'tableRow', content: header.map((h) => cell('tableHeader', [h])) },
      ...rows.map((row) => ({ type: 'tableRow', content: row.map((value) => cell('tableCell', [value])) })),
    ],
  };
}

/* ---------------------------------------------------------------- to Yjs */

const TEXTBLOCKS = new Set(['paragraph', 'heading', 'codeBlock']);

function marksToAttributes(marks: ContentMark[] | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const mark of marks ?? []) attributes[mark.type] = mark.attrs ?? {};
  return attributes;
}

/** The Yjs elements for these blocks (not yet in a document). */
export function toYXml(blocks: readonly ContentBlock[]): Y.XmlElement[] {
  return blocks.map((block) => {
    const element = new Y.XmlElement(block.type);
    for (const [key, value] of Object.entries(block.attrs ?? {})) {
      if (value !== undefined && value !== null) element.setAttribute(key, value as string);
    }
    const children: (Y.XmlElement | Y.XmlText)[] = [];
    let run: Y.XmlText | null = null;
    let runLength = 0; // a text not yet in a document cannot be asked its length
    for (const node of block.content ?? []) {
      if (isText(node)) {
        if (!run) {
          children.push((run = new Y.XmlText()));
          runLength = 0;
        }
        run.insert(runLength, node.text, marksToAttributes(node.marks));
        runLength += node.text.length;
      } else {
        run = null;
        children.push(...toYXml([node]));
      }
    }
    // An empty textblock still holds an (empty) text, as the editor writes it.
    if (children.length === 0 && TEXTBLOCKS.has(block.type)) children.push(new Y.XmlText());
    element.insert(0, children);
    return element;
  });
}

/** Appends these blocks at the end of the document. */
export function appendContent(doc: Y.Doc, blocks: readonly ContentBlock[]): void {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  fragment.insert(fragment.length, toYXml(blocks));
}

/** The blocks as one Yjs update of a new document. */
export function contentUpdate(blocks: readonly ContentBlock[]): Uint8Array {
  const doc = new Y.Doc();
  appendContent(doc, blocks);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/* ---------------------------------------------------------------- from Yjs */

function attributesToMarks(attributes: Record<string, unknown> | undefined): ContentMark[] | undefined {
  if (!attributes) return undefined;
  const marks: ContentMark[] = [];
  for (const [type, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    const attrs = typeof value === 'object' && Object.keys(value as object).length > 0 ? { ...(value as Record<string, unknown>) } : undefined;
    marks.push(attrs ? { type, attrs } : { type });
  }
  return marks.length > 0 ? marks : undefined;
}

function textNodes(text: Y.XmlText): ContentText[] {
  const nodes: ContentText[] = [];
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const marks = attributesToMarks(op.attributes);
    nodes.push({ type: 'text', text: op.insert, ...(marks ? { marks } : {}) });
  }
  return nodes;
}

function fromElement(element: Y.XmlElement): ContentBlock {
  const attrs = element.getAttributes() as Record<string, unknown>;
  const content: ContentNode[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) content.push(...textNodes(child));
    else if (child instanceof Y.XmlElement) content.push(fromElement(child));
  }
  return {
    type: element.nodeName,
    ...(Object.keys(attrs).length > 0 ? { attrs: { ...attrs } } : {}),
    ...(content.length > 0 ? { content } : {}),
  };
}

/**
 * The inverse of {@link toYXml}: the ProseMirror JSON of a Yjs document fragment (what
 * the editor shows), text with its marks, every block with its attributes. Exports work
 * from this.
 */
export function fromYXml(fragment: Y.XmlFragment | Y.XmlElement): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) blocks.push(fromElement(child));
  }
  return blocks;
}

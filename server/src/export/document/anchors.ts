/**
 * Thread passages in the exported document. Anchors are Yjs relative positions
 * (base64), normally inside a `Y.XmlText`; here they become offsets into the document's
 * text counted the way the renderers count it: every text node of `fromYXml`'s JSON in
 * document order. A passage whose text is gone (or a position that cannot be read) is
 * null — an orphan; a section thread falls back to its heading.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD, SECTION_ID_ATTRIBUTE } from '@jane/shared';

export interface TextIndex {
  /** Where each live text starts in the document's text. */
  starts: Map<Y.XmlText, number>;
  /** The text range of each section heading, by section id. */
  headings: Map<string, { start: number; end: number }>;
  length: number;
}

const textLength = (text: Y.XmlText): number =>
  (text.toDelta() as { insert: unknown }[]).reduce((sum, op) => sum + (typeof op.insert === 'string' ? op.insert.length : 0), 0);

/** Offsets of every live text of the document, in document order. */
export function indexText(doc: Y.Doc): TextIndex {
  const starts = new Map<Y.XmlText, number>();
  const headings = new Map<string, { start: number; end: number }>();
  let offset = 0;
  const walk = (parent: Y.XmlFragment | Y.XmlElement): void => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) {
        starts.set(child, offset);
        offset += textLength(child);
      } else if (child instanceof Y.XmlElement) {
        const begin = offset;
        walk(child);
        const id = child.nodeName === 'heading' ? child.getAttribute(SECTION_ID_ATTRIBUTE) : undefined;
        if (typeof id === 'string' && id && !headings.has(id)) headings.set(id, { start: begin, end: offset });
      }
    }
  };
  walk(doc.getXmlFragment(DOCUMENT_FIELD));
  return { starts, headings, length: offset };
}

function resolve(doc: Y.Doc, index: TextIndex, encoded: string): number | null {
  try {
    const relative = Y.decodeRelativePosition(Buffer.from(encoded, 'base64'));
    const absolute = Y.createAbsolutePositionFromRelativePosition(relative, doc);
    if (!absolute || !(absolute.type instanceof Y.XmlText)) return null;
    const start = index.starts.get(absolute.type);
    return start === undefined ? null : start + absolute.index;
  } catch {
    return null;
  }
}

/** The passage of an anchor as text offsets, or null if it is gone. */
export function passageRange(
  doc: Y.Doc,
  index: TextIndex,
  thread: { anchor: { kind: 'section' | 'text'; start: string; end: string }; sectionId: string | null },
): { start: number; end: number } | null {
  const start = resolve(doc, index, thread.anchor.start);
  const end = resolve(doc, index, thread.anchor.end);
  if (start !== null && end !== null && end > start) return { start, end };
  if (thread.anchor.kind === 'section' && thread.sectionId) {
    const heading = index.headings.get(thread.sectionId);
    if (heading) return heading;
  }
  return null;
}

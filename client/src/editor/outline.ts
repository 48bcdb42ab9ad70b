/** The outline of a draft: its headings, in order, with their positions in the editor. */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

export interface OutlineItem {
  /** Position of the heading node (its opening token) in the document. */
  pos: number;
  level: number;
  text: string;
  /** The section's stable id (the heading's `sectionId` attribute), null until the server has given it one. */
  sectionId: string | null;
}

export function outlineOf(doc: ProseMirrorNode): OutlineItem[] {
  const items: OutlineItem[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'heading') {
      const level = typeof node.attrs.level === 'number' ? node.attrs.level : 1;
      const sectionId = typeof node.attrs.sectionId === 'string' ? node.attrs.sectionId : null;
      items.push({ pos, level, text: node.textContent.trim(), sectionId });
      return false;
    }
    // Headings are blocks: no need to walk the text inside paragraphs.
    return !node.isTextblock;
  });
  return items;
}

/**
 * Whether two outlines list the same headings (level, text, section id), wherever they
 * are: then only positions moved, and what shows the outline need not change.
 */
export function sameHeadings(a: readonly OutlineItem[], b: readonly OutlineItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item.level === b[i]!.level && item.text === b[i]!.text && item.sectionId === b[i]!.sectionId);
}

/** Index of the heading a position falls under (the last heading at or before it), or -1. */
export function headingIndexAt(items: OutlineItem[], pos: number): number {
  let index = -1;
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.pos <= pos) index = i;
    else break;
  }
  return index;
}

/**
 * Sections of a draft, read from its Yjs structure (the same one y-prosemirror writes):
 * every heading starts a section, which runs to the next heading of the same or a higher
 * level. A section's identity is the `sectionId` attribute of its heading (the shared
 * editor schema keeps it on the heading node), so it survives renames, moves and
 * undo; its title is only a label. Threads, presence, agendas, follow-the-chair,
 * versions and exports all point at sections by this id.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from './protocol/collab.js';

export const SECTION_ID_ATTRIBUTE = 'sectionId';

/** One section: its heading and the top-level blocks `[start, end)` it spans (heading included). */
export interface SectionBlock {
  id: string | null;
  title: string;
  level: number;
  heading: Y.XmlElement;
  start: number;
  end: number;
}

/** The plain text of a block (its text nodes, in order). */
export function blockText(element: Y.XmlElement): string {
  let text = '';
  for (const child of element.toArray()) {
    // The delta, not toString(): that writes formatting as tags and would mangle a typed "<".
    if (child instanceof Y.XmlText) text += (child.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
    else if (child instanceof Y.XmlElement) text += blockText(child);
  }
  return text;
}

export function headingLevel(element: Y.XmlElement): number {
  const level = Number(element.getAttribute('level'));
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1;
}

/** The sections of a document fragment, in document order (subsections inside their parents' ranges). */
export function sectionsOf(fragment: Y.XmlFragment): SectionBlock[] {
  const blocks = fragment.toArray();
  const sections: SectionBlock[] = [];
  blocks.forEach((block, index) => {
    if (!(block instanceof Y.XmlElement) || block.nodeName !== 'heading') return;
    const level = headingLevel(block);
    let end = index + 1;
    while (end < blocks.length) {
      const next = blocks[end];
      if (next instanceof Y.XmlElement && next.nodeName === 'heading' && headingLevel(next) <= level) break;
      end++;
    }
    const id = block.getAttribute(SECTION_ID_ATTRIBUTE);
    sections.push({ id: typeof id === 'string' && id ? id : null, title: blockText(block).trim(), level, heading: block, start: index, end });
  });
  return sections;
}

/**
 * The sections that are units of work: all of them but the document's title — a lone
 * level-1 heading at the very top, as every template starts.
 */
export function workSections<S extends { level: number }>(sections: readonly S[]): S[] {
  const titles = sections.filter((s) => s.level === 1);
  return titles.length === 1 && sections[0] === titles[0] ? sections.slice(1) : [...sections];
}

/** Sections of a whole document. */
export function documentSections(doc: Y.Doc): SectionBlock[] {
  return sectionsOf(doc.getXmlFragment(DOCUMENT_FIELD));
}

/**
 * The id a heading gets when it has none (or shares one): derived from the heading's own
 * Yjs item, so that two servers fixing the same document at once write the same value.
 */
export function derivedSectionId(heading: Y.XmlElement): string {
  const item = heading._item;
  if (!item) throw new Error('the heading is not in a document');
  return `s${item.id.client.toString(36)}-${item.id.clock.toString(36)}`;
}

/** A fresh random section id (templates, imports, the editor). */
export function newSectionId(): string {
  const bytes = new Uint8Array(9);
  globalThis.crypto.getRandomValues(bytes);
  return `s${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('')}`;
}

/**
 * Headings whose id is missing or taken by an earlier heading, with the id each should
 * get. `keep` says which of several headings sharing an id keeps it (the one the id was
 * first given to); by default the first in document order does, so a split heading's
 * second half gets a new id.
 */
export function sectionIdRepairs(doc: Y.Doc, keep: (id: string, headings: Y.XmlElement[]) => Y.XmlElement = (_id, headings) => headings[0]!): { heading: Y.XmlElement; id: string }[] {
  const byId = new Map<string, Y.XmlElement[]>();
  const repairs: { heading: Y.XmlElement; id: string }[] = [];
  for (const section of documentSections(doc)) {
    if (!section.id) {
      repairs.push({ heading: section.heading, id: derivedSectionId(section.heading) });
      continue;
    }
    const list = byId.get(section.id) ?? [];
    list.push(section.heading);
    byId.set(section.id, list);
  }
  for (const [id, headings] of byId) {
    if (headings.length < 2) continue;
    const keeper = keep(id, headings);
    for (const heading of headings) if (heading !== keeper) repairs.push({ heading, id: derivedSectionId(heading) });
  }
  return repairs;
}

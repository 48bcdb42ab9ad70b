/**
 * Who changed what between two points of a document's history, by section.
 *
 * The document at the later point is rebuilt without garbage collection (so text deleted
 * in between is still there to show), from the earlier point's content plus the authored
 * updates in between, exactly as the server accepted them. Every Yjs item carries the id
 * (client, clock) it was created with, and every update names what it deleted, so:
 * - text is *inserted* when its item was created after the earlier point — by the account
 *   whose update first carried it;
 * - text is *deleted* when it existed at the earlier point and an update in between
 *   deleted it — by the account whose update did (not whoever wrote it);
 * - text inserted and deleted in between never shows.
 * Attribution is the server's: the account comes from the history entry, never from
 * awareness or anything the client says.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD, SECTION_ID_ATTRIBUTE, headingLevel } from '@jane/shared';
import type { ChangeSegment, ChangedBlock, ChangedText, SectionChangesView } from '@jane/shared';

export interface AuthoredUpdate {
  userId: string;
  data: Uint8Array;
}

/** Clock ranges per client, each with the account it belongs to; first recorded wins. */
class AuthorRanges {
  private readonly byClient = new Map<number, { from: number; to: number; userId: string }[]>();
  private sorted = true;

  add(client: number, clock: number, length: number, userId: string): void {
    if (length <= 0) return;
    let list = this.byClient.get(client);
    if (!list) this.byClient.set(client, (list = []));
    list.push({ from: clock, to: clock + length, userId });
    this.sorted = false;
  }

  private sort(): void {
    if (this.sorted) return;
    // Stable: of two ranges covering a clock, the earlier recorded stays first.
    for (const list of this.byClient.values()) list.sort((a, b) => a.from - b.from);
    this.sorted = true;
  }

  /** The account of `clock`, or null. */
  find(client: number, clock: number): string | null {
    this.sort();
    const list = this.byClient.get(client);
    if (!list) return null;
    // The last range starting at or before `clock`, then look back for one that covers it.
    let lo = 0;
    let hi = list.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.from <= clock) {
        at = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    let found: string | null = null;
    for (let i = at; i >= 0; i--) {
      const range = list[i]!;
      if (range.to > clock) found = range.userId; // keep going: an earlier-recorded one wins
      if (i < at - 64) break; // ranges rarely overlap; do not scan far
    }
    return found;
  }

  /** Whether any range of `client` overlaps [from, to). */
  overlaps(client: number, from: number, to: number): boolean {
    this.sort();
    const list = this.byClient.get(client);
    if (!list) return false;
    return list.some((r) => r.from < to && r.to > from);
  }
}

type Kind = 'inserted' | 'deleted' | null;

interface Piece {
  text: string;
  change: Kind;
  userId: string | null;
}

interface SectionAcc {
  sectionId: string | null;
  title: string;
  blocks: ChangedBlock[];
}

/**
 * The changes from the state `base` + `before` (the earlier point) to that plus `window`
 * (the later point), per section of the later document, sections without changes left out.
 */
export function changesBetween(base: Uint8Array | null, before: readonly Uint8Array[], window: readonly AuthoredUpdate[]): SectionChangesView[] {
  const doc = new Y.Doc({ gc: false });
  try {
    doc.transact(() => {
      if (base) Y.applyUpdate(doc, base);
      for (const update of before) Y.applyUpdate(doc, update);
    });
    const earlier = Y.snapshot(doc);

    const inserts = new AuthorRanges();
    const deletes = new AuthorRanges();
    for (const entry of window) {
      const { structs, ds } = Y.decodeUpdate(entry.data);
      for (const struct of structs) {
        if (struct instanceof Y.Item) inserts.add(struct.id.client, struct.id.clock, struct.length, entry.userId);
      }
      for (const [client, items] of ds.clients) for (const item of items) deletes.add(client, item.clock, item.len, entry.userId);
    }
    doc.transact(() => {
      for (const entry of window) Y.applyUpdate(doc, entry.data);
    });

    const context: Context = { since: earlier.sv, earlierDs: earlier.ds, inserts, deletes };
    const sections: SectionAcc[] = [];
    let current: SectionAcc = { sectionId: null, title: '', blocks: [] };
    const pushCurrent = () => {
      if (current.blocks.length > 0) sections.push(current);
    };

    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    for (let item = fragment._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentType)) continue;
      const element = item.content.type;
      if (!(element instanceof Y.XmlElement)) continue;
      if (element.nodeName === 'heading' && !item.deleted) {
        pushCurrent();
        const id = element.getAttribute(SECTION_ID_ATTRIBUTE);
        current = { sectionId: typeof id === 'string' && id ? id : null, title: '', blocks: [] };
      }
      const pieces: Piece[] = [];
      collectPieces(element, context, pieces);
      if (element.nodeName === 'heading' && !item.deleted) {
        current.title = pieces.filter((p) => p.change !== 'deleted').map((p) => p.text).join('').trim();
      }
      const changed = pieces.some((p) => p.change !== null);
      if (changed) {
        current.blocks.push({
          type: element.nodeName,
          level: element.nodeName === 'heading' ? headingLevel(element) : null,
          segments: merge(pieces),
        });
      }
    }
    pushCurrent();

    return sections.map((section) => {
      const inserted: ChangedText[] = [];
      const deleted: ChangedText[] = [];
      for (const block of section.blocks) {
        for (const segment of block.segments) {
          if (segment.change === 'inserted') inserted.push({ text: segment.text, userId: segment.userId! });
          if (segment.change === 'deleted') deleted.push({ text: segment.text, userId: segment.userId! });
        }
      }
      return { sectionId: section.sectionId, title: section.title, inserted, deleted, blocks: section.blocks };
    }).filter((section) => section.inserted.length > 0 || section.deleted.length > 0);
  } finally {
    doc.destroy();
  }
}

interface Context {
  /** The earlier point: what existed (state vector) and what was deleted by then. */
  since: Map<number, number>;
  earlierDs: Y.Snapshot["ds"];
  inserts: AuthorRanges;
  deletes: AuthorRanges;
}

/** Whether the char at (client, clock) was inserted or deleted in between, unchanged, or shows in neither point ('skip'). */
function classify({ since, earlierDs, deletes }: Context, client: number, clock: number): Kind | 'skip' {
  const isNew = clock >= (since.get(client) ?? 0);
  const deletedSince = deletes.find(client, clock) !== null;
  if (isNew) return deletedSince ? 'skip' : 'inserted';
  if (Y.isDeleted(earlierDs, Y.createID(client, clock))) return 'skip'; // gone before
  return deletedSince ? 'deleted' : null;
}

/** The text of an element and its descendants, char by char classified and attributed. */
function collectPieces(type: Y.XmlElement | Y.XmlText, context: Context, out: Piece[]): void {
  for (let item = type._start; item !== null; item = item.right) {
    const content = item.content;
    if (content instanceof Y.ContentType) {
      const child = content.type;
      if (child instanceof Y.XmlElement || child instanceof Y.XmlText) {
        if (out.length > 0 && child instanceof Y.XmlElement) out.push({ text: ' ', change: null, userId: null });
        collectPieces(child, context, out);
      }
      continue;
    }
    if (!(content instanceof Y.ContentString)) continue;
    const { client, clock } = item.id;
    const end = clock + item.length;
    // Fast path: text that existed before and nobody deleted since.
    if (end <= (context.since.get(client) ?? 0) && !context.deletes.overlaps(client, clock, end)) {
      if (!item.deleted) out.push({ text: content.str, change: null, userId: null });
      continue;
    }
    for (let i = 0; i < item.length; i++) {
      const kind = classify(context, client, clock + i);
      if (kind === 'skip') continue;
      const userId = kind === 'inserted' ? context.inserts.find(client, clock + i) : kind === 'deleted' ? context.deletes.find(client, clock + i) : null;
      out.push({ text: content.str[i]!, change: kind, userId });
    }
  }
}

/** Joins neighbouring pieces of the same kind and author. */
function merge(pieces: readonly Piece[]): ChangeSegment[] {
  const segments: ChangeSegment[] = [];
  for (const piece of pieces) {
    const last = segments[segments.length - 1];
    if (last && last.change === piece.change && last.userId === piece.userId) last.text += piece.text;
    else segments.push({ ...piece });
  }
  return segments;
}

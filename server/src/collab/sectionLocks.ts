/**
 * Agreed text stays agreed: a change to a locked section (agreed, and the sender may not
 * reopen it) does not stand, whatever client sent it.
 *
 * A CRDT update cannot be refused after the fact — the sender already shows its change,
 * and later updates build on it. So the update is applied, and in a second transaction
 * exactly the parts of it that touch locked sections are undone: what it inserted there
 * is deleted, what it deleted there is put back (Yjs' UndoManager does both precisely,
 * keeping formatting and the positions comments are anchored to). Parts outside locked
 * sections stand. The caller sends everyone — the sender too — the net result of both
 * transactions, in which the refused insertions are already garbage-collected: nothing
 * of the refused text is stored or shown.
 *
 * What counts as inside a section: its heading and every block up to the next heading of
 * the same or a higher level, and anything nested in them; a new block inserted among
 * them. A heading inserted right after a section's last block starts a new section and
 * is allowed.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD, sectionsOf } from '@jane/shared';

/** DeleteSet is not exported by Yjs; `createDeleteSet()` gives one, with `clients: Map<client, {clock, len}[]>`. */
interface DeleteSetLike {
  clients: Map<number, { clock: number; len: number }[]>;
}

interface StackItemLike {
  insertions: DeleteSetLike;
  deletions: DeleteSetLike;
}

function addRange(set: DeleteSetLike, client: number, clock: number, len: number): void {
  let list = set.clients.get(client);
  if (!list) set.clients.set(client, (list = []));
  list.push({ clock, len });
}

/** Sorted and merged, as Yjs' binary searches expect. */
function normalize(set: DeleteSetLike): void {
  for (const [client, list] of set.clients) {
    list.sort((a, b) => a.clock - b.clock);
    const merged: { clock: number; len: number }[] = [];
    for (const range of list) {
      const last = merged.at(-1);
      if (last && last.clock + last.len >= range.clock) last.len = Math.max(last.len, range.clock + range.len - last.clock);
      else merged.push({ ...range });
    }
    set.clients.set(client, merged);
  }
}

function contains(set: DeleteSetLike, id: Y.ID): boolean {
  return (set.clients.get(id.client) ?? []).some((range) => range.clock <= id.clock && id.clock < range.clock + range.len);
}

/** The top-level block (an item whose parent is the fragment) that holds `item`, or null. */
function topLevelBlock(item: Y.Item, fragment: Y.XmlFragment): Y.Item | null {
  let current: Y.Item | null = item;
  while (current) {
    if (current.parent === fragment) return current;
    const parent = current.parent as Y.AbstractType<unknown> | null;
    current = parent?._item ?? null;
  }
  return null;
}

function isHeadingItem(item: Y.Item): number | null {
  const content = item.content as unknown;
  if (!(content instanceof Y.ContentType)) return null;
  const type = content.type;
  if (!(type instanceof Y.XmlElement) || type.nodeName !== 'heading') return null;
  const level = Number(type.getAttribute('level'));
  return Number.isInteger(level) ? level : 1;
}

/**
 * Applies `update` (origin `origin`) to `doc`, then undoes whatever part of it touches a
 * section whose id is in `locked`. Returns whether anything was undone.
 */
export function applyRespectingLocks(doc: Y.Doc, update: Uint8Array, origin: unknown, locked: ReadonlySet<string>): { refused: boolean } {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  // The locked blocks as they are before the update.
  const lockedBlocks = new Set<Y.Item>();
  /** For each locked section's last block: the lowest heading level that may start a new section after it. */
  const endsOfLocked = new Map<Y.Item, number>();
  const blocks = fragment.toArray();
  for (const section of sectionsOf(fragment)) {
    if (!section.id || !locked.has(section.id)) continue;
    for (let i = section.start; i < section.end; i++) {
      const item = (blocks[i] as Y.XmlElement | Y.XmlText)._item;
      if (item) lockedBlocks.add(item);
    }
    const last = (blocks[section.end - 1] as Y.XmlElement)._item;
    if (last) endsOfLocked.set(last, Math.min(endsOfLocked.get(last) ?? Infinity, section.level));
  }

  const undo = new Y.UndoManager(fragment, { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  try {
    Y.applyUpdate(doc, update, origin);
    const stackItem = undo.undoStack[0] as unknown as StackItemLike | undefined;
    if (!stackItem || lockedBlocks.size === 0) return { refused: false };

    const refusedInsertions = Y.createDeleteSet() as unknown as DeleteSetLike;
    const refusedDeletions = Y.createDeleteSet() as unknown as DeleteSetLike;
    const isNew = (item: Y.Item) => contains(stackItem.insertions, item.id);

    /** Whether a block the update inserted at the top level lands inside a locked section. */
    const newBlockIsInside = (block: Y.Item): boolean => {
      let headingLevel = isHeadingItem(block) ?? Infinity;
      let left = block.left;
      // Walk past what this update inserted, and blocks deleted before it (not part of any section now).
      while (left && (isNew(left) || (left.deleted && !lockedBlocks.has(left)))) {
        if (isNew(left) && !left.deleted) headingLevel = Math.min(headingLevel, isHeadingItem(left) ?? Infinity);
        left = left.left;
      }
      if (!left || !lockedBlocks.has(left)) return false;
      const sectionLevel = endsOfLocked.get(left);
      // After the last block of a locked section, a heading of its level or higher starts a new one.
      return sectionLevel === undefined || headingLevel > sectionLevel;
    };

    const inspect = (set: DeleteSetLike, target: DeleteSetLike, refuse: (item: Y.Item) => boolean) => {
      doc.transact((transaction) => {
        Y.iterateDeletedStructs(transaction, set as never, (struct) => {
          if (struct instanceof Y.Item && refuse(struct)) addRange(target, struct.id.client, struct.id.clock, struct.length);
        });
      }, 'section lock check');
    };
    inspect(stackItem.insertions, refusedInsertions, (item) => {
      const block = topLevelBlock(item, fragment);
      if (!block) return false;
      return isNew(block) ? newBlockIsInside(block) : lockedBlocks.has(block);
    });
    inspect(stackItem.deletions, refusedDeletions, (item) => {
      if (isNew(item)) return false;
      const block = topLevelBlock(item, fragment);
      return block !== null && lockedBlocks.has(block);
    });
    if (refusedInsertions.clients.size === 0 && refusedDeletions.clients.size === 0) return { refused: false };
    normalize(refusedInsertions);
    normalize(refusedDeletions);
    // Undo only the refused parts.
    stackItem.insertions = refusedInsertions;
    stackItem.deletions = refusedDeletions;
    undo.undo();
    // The refused insertions are deleted now; their text must not linger in memory or in
    // what is stored (the undo manager keeps deleted items for a redo we will never do).
    doc.transact((transaction) => {
      Y.iterateDeletedStructs(transaction, refusedInsertions as never, (struct) => {
        if (struct instanceof Y.Item && struct.deleted) {
          struct.keep = false;
          struct.gc(doc.store, false);
        }
      });
    }, 'section lock check');
    return { refused: true };
  } finally {
    undo.destroy();
  }
}

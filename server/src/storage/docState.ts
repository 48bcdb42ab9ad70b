/**
 * Document content is Yjs (ARCHITECTURE.md decision 5): the store keeps a snapshot and
 * the updates appended after it. These two functions turn that into a `Y.Doc` or fold
 * it into a new snapshot; adapters use the second for compaction.
 */
import * as Y from 'yjs';
import type { StoredDocState } from './port.js';

/** Builds a document from its stored state in one transaction. */
export function docFromState(state: StoredDocState): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
    for (const update of state.updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/** Folds a stored state into a single update: the next snapshot. */
export function foldDocState(state: StoredDocState): Uint8Array {
  const doc = docFromState(state);
  const folded = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return folded;
}

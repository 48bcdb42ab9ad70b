/**
 * History for documents written before it was kept: their current content becomes the
 * first entry of their history (`HistoryRepository.ensureBaseline`), so that every later
 * change has something to be compared against. Run at start-up, before serving.
 */
import { foldDocState } from './docState.js';
import type { Store } from './port.js';

/**
 * Records a baseline for each document that has content but no history; returns how many
 * it wrote. The baseline's time is the document's last update (when its content became
 * what the baseline holds), or now for content without a document record.
 */
export async function recordHistoryBaselines(store: Store, now: () => string = () => new Date().toISOString()): Promise<number> {
  let written = 0;
  for (const docId of await store.history.documentsWithoutHistory()) {
    const state = foldDocState(await store.content.load(docId));
    const at = (await store.documents.findById(docId))?.updatedAt ?? now();
    if (await store.history.ensureBaseline(docId, state, at)) written++;
  }
  return written;
}

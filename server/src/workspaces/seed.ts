import { JANE_WORKSPACES } from '@jane/shared';
import { newId } from '../ids.js';
import type { Store } from '../storage/port.js';

/** Creates the twelve JANE workspaces on an empty install; later starts change nothing. */
export async function seedJaneWorkspaces(store: Store): Promise<void> {
  if ((await store.workspaces.count()) > 0) return;
  const base = Date.now();
  for (const [index, workspace] of JANE_WORKSPACES.entries()) {
    // Distinct creation times keep the PRODUCT.md order when listing.
    await store.workspaces.create({ id: newId(), ...workspace, createdAt: new Date(base + index).toISOString() });
  }
}

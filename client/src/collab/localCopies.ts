/**
 * Copies of documents kept on this device (IndexedDB, for offline editing) are removed
 * when the person signs out — shared hospital and office computers should not keep
 * drafts — except copies holding changes the server has not confirmed yet: those stay
 * until they are saved, because nothing typed may be lost.
 *
 * A small registry in localStorage remembers which documents have a copy, whose it is
 * and whether it holds unconfirmed changes.
 */
const REGISTRY_KEY = 'jane.localCopies';

interface LocalCopy {
  userId: string;
  /** Holds changes the server has not acknowledged as saved. */
  pending: boolean;
}

export function localCopyDatabase(documentId: string): string {
  return `jane-doc-${documentId}`;
}

function readRegistry(): Record<string, LocalCopy> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(REGISTRY_KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, LocalCopy>) : {};
  } catch {
    return {};
  }
}

function writeRegistry(registry: Record<string, LocalCopy>): void {
  try {
    localStorage.setItem(REGISTRY_KEY, JSON.stringify(registry));
  } catch {
    // storage unavailable (private mode): nothing to clean later either
  }
}

/** Records that this device holds a copy of the document, and whether it has unsaved changes. */
export function recordLocalCopy(documentId: string, userId: string, pending: boolean): void {
  // A copy of someone else's with unsaved changes stays theirs until saved.
  const registry = readRegistry();
  const current = registry[documentId];
  if (current && current.userId === userId && current.pending === pending) return;
  if (current && current.userId !== userId && current.pending && pending) return;
  registry[documentId] = { userId, pending };
  writeRegistry(registry);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
    // Blocked while the document page still has it open: it goes once the page closes.
    request.onblocked = () => resolve();
  });
}

/**
 * Deletes the saved copies of everyone but `keepUserId` (all of them at sign-out) and
 * returns how many copies were kept because they hold unsaved changes.
 */
export async function clearLocalCopies(keepUserId: string | null = null): Promise<number> {
  const registry = readRegistry();
  let kept = 0;
  const deletions: Promise<void>[] = [];
  for (const [documentId, copy] of Object.entries(registry)) {
    if (copy.userId === keepUserId) continue;
    if (copy.pending) {
      kept++;
      continue;
    }
    delete registry[documentId];
    deletions.push(deleteDatabase(localCopyDatabase(documentId)));
  }
  writeRegistry(registry);
  await Promise.all(deletions);
  return kept;
}

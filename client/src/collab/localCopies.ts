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

/**
 * "Saved" is recorded once the copy has stayed saved this long: while someone types, the
 * status goes saving → saved with every keystroke, and localStorage is written in the
 * middle of typing. "Has unsaved changes" is always recorded at once (and a late "saved"
 * only makes sign-out keep a copy a little longer, never lose one).
 */
const SAVED_RECORD_DELAY_MS = 3000;
const savedLater = new Map<string, { userId: string; timer: ReturnType<typeof setTimeout> }>();

/** This device holds a copy of the document (someone opened it here and has not signed out). */
export function hasLocalCopy(documentId: string): boolean {
  return Object.hasOwn(readRegistry(), documentId);
}

/** What {@link openLocalCopyDatabaseEarly} read of a copy: its stored updates, in order. */
export interface EarlyCopyRead {
  documentId: string;
  updates: Uint8Array[];
  /** Key of the last record read (y-indexeddb reads on after it). */
  lastKey: number;
}

let earlyRead: EarlyCopyRead | null = null;
/** Who waits for the read still under way (earlyLocalCopy.ts): the document and a callback. */
let earlyReader: { documentId: string; take: (read: EarlyCopyRead) => void } | null = null;

/**
 * Opens the copy's database while the page's code is still loading, and reads the
 * copy's updates at once: opening an IndexedDB database takes the browser 100–150 ms on
 * a busy machine, and the editor's code (Yjs, y-indexeddb) arrives later than this
 * entry; read only then, the copy came in after the editor was built, and the editor
 * showed an empty draft first. The bytes wait here for earlyLocalCopy.ts. The database
 * stays open a few seconds, so the editor's copy opens it again at once. Never creates
 * one: if the copy's database has gone (the browser cleared it), the opening is
 * abandoned and the page makes it as usual.
 */
export function openLocalCopyDatabaseEarly(documentId: string): void {
  earlyRead = null;
  earlyReader = null;
  if (typeof indexedDB === 'undefined') return;
  try {
    const request = indexedDB.open(localCopyDatabase(documentId));
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onerror = (event) => event.preventDefault();
    request.onsuccess = () => {
      const db = request.result;
      // Closed at once when another tab needs a new version or deletes it (sign-out).
      const close = () => {
        db.close();
        if (earlyRead?.documentId === documentId) earlyRead = null;
        if (earlyReader?.documentId === documentId) earlyReader = null;
      };
      db.onversionchange = close;
      setTimeout(close, EARLY_OPEN_MS);
      readUpdates(db, documentId);
    };
  } catch {
    // no IndexedDB here: the page opens without a copy
  }
}
const EARLY_OPEN_MS = 5000;
/** y-indexeddb's object store of a copy's updates. */
export const UPDATES_STORE = 'updates';

function readUpdates(db: IDBDatabase, documentId: string): void {
  if (!db.objectStoreNames.contains(UPDATES_STORE)) return;
  const store = db.transaction([UPDATES_STORE], 'readonly').objectStore(UPDATES_STORE);
  const values = store.getAll();
  const keys = store.getAllKeys();
  keys.onsuccess = () => {
    const updates = values.result as unknown[];
    const lastKey = keys.result.at(-1);
    if (typeof lastKey !== 'number' || !updates.every((update) => update instanceof Uint8Array)) return;
    const read = { documentId, updates: updates as Uint8Array[], lastKey };
    const reader = earlyReader?.documentId === documentId ? earlyReader : null;
    earlyReader = null;
    if (reader) reader.take(read);
    else earlyRead = read;
  };
}

/**
 * Hands the updates read early for this document to `take`, once: now if they are here,
 * or when they arrive. Nothing is handed over if no read of this document was started.
 */
export function takeEarlyCopyRead(documentId: string, take: (read: EarlyCopyRead) => void): void {
  const read = earlyRead?.documentId === documentId ? earlyRead : null;
  earlyRead = null;
  if (read) take(read);
  else earlyReader = { documentId, take };
}

/** Records that this device holds a copy of the document, and whether it has unsaved changes. */
export function recordLocalCopy(documentId: string, userId: string, pending: boolean): void {
  const later = savedLater.get(documentId);
  if (!pending) {
    if (later?.userId === userId) return;
    if (later) clearTimeout(later.timer);
    const timer = setTimeout(() => {
      savedLater.delete(documentId);
      writeLocalCopy(documentId, userId, false);
    }, SAVED_RECORD_DELAY_MS);
    savedLater.set(documentId, { userId, timer });
    return;
  }
  if (later) {
    clearTimeout(later.timer);
    savedLater.delete(documentId);
  }
  writeLocalCopy(documentId, userId, true);
}

/** Writes the "saved" records still waiting (a document page closes, someone signs out). */
export function flushLocalCopyRecords(documentId?: string): void {
  for (const [id, { userId, timer }] of [...savedLater]) {
    if (documentId !== undefined && id !== documentId) continue;
    clearTimeout(timer);
    savedLater.delete(id);
    writeLocalCopy(id, userId, false);
  }
}

function writeLocalCopy(documentId: string, userId: string, pending: boolean): void {
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
  flushLocalCopyRecords();
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

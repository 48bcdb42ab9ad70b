/**
 * What the server last said about a document this person opened here (title, workspace,
 * role, whether they may edit), so the document page can open offline over the copy kept
 * in IndexedDB. Bounded to the most recent documents; removed at sign-out. Only used
 * while the server is unreachable — its answer replaces this one whenever it comes.
 * An answer kept by another build of the app is not used: its shape may have changed.
 */
import type { DocumentResponse } from '../api';

const KEY = 'jane.documentAccess';
const MAX_DOCUMENTS = 50;

interface StoredAccess {
  userId: string;
  build: string;
  savedAt: number;
  response: DocumentResponse;
}

function read(): Record<string, StoredAccess> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, StoredAccess>) : {};
  } catch {
    return {};
  }
}

function write(entries: Record<string, StoredAccess>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(entries));
  } catch {
    // storage full or unavailable: the document just will not open offline
  }
}

export function rememberDocumentAccess(userId: string, response: DocumentResponse): void {
  const entries = read();
  entries[response.document.id] = { userId, build: __JANE_BUILD__, savedAt: Date.now(), response };
  const newestFirst = Object.entries(entries).sort(([, a], [, b]) => b.savedAt - a.savedAt);
  write(Object.fromEntries(newestFirst.slice(0, MAX_DOCUMENTS)));
}

/** The last known access of `userId` to the document, if this device has one. */
export function rememberedDocumentAccess(userId: string, documentId: string): DocumentResponse | null {
  const entry = read()[documentId];
  return entry && entry.userId === userId && entry.build === __JANE_BUILD__ ? entry.response : null;
}

export function forgetDocumentAccess(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

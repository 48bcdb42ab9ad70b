/**
 * Opening a document page asks the server for the document (who may do what, its
 * workspace) as soon as the address is known, while the session is still being checked
 * and the page's code is still loading; the page then takes that answer instead of
 * asking again. An answer not taken within a few seconds is dropped.
 */
import { api, ApiError, type DocumentResponse } from './index';

const KEEP_MS = 5000;
let prefetched: { documentId: string; response: Promise<DocumentResponse>; at: number } | null = null;

export function prefetchDocument(documentId: string): void {
  if (prefetched?.documentId === documentId && performance.now() - prefetched.at < KEEP_MS) return;
  // Not reported as "session ended" from here: the session is still being checked.
  const response = api.document(documentId, { allowUnauthorized: true });
  response.catch(() => undefined); // whoever takes it handles the error
  prefetched = { documentId, response, at: performance.now() };
}

/** The prefetched answer for this document, once; otherwise (or after a 401) a new request. */
export function fetchDocument(documentId: string): Promise<DocumentResponse> {
  const found = prefetched;
  prefetched = null;
  if (found?.documentId !== documentId || performance.now() - found.at >= KEEP_MS) return api.document(documentId);
  return found.response.catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return api.document(documentId);
    throw error;
  });
}

/** Creating a document, and documents as a person sees them: shared by the documents API and the minutes of a meeting. */
import * as Y from 'yjs';
import { documentAbilities, type Actor, type DocumentMeta, type DocumentTemplate } from '@jane/shared';
import type { LiveDocuments } from '../collab/liveDocuments.js';
import { newId } from '../ids.js';
import type { DocumentRecord, Store } from '../storage/port.js';

/** Documents as `actor` sees them, with what they may do with each. */
export async function presentDocuments(store: Store, records: DocumentRecord[], actor: Actor): Promise<DocumentMeta[]> {
  const editorIds = [...new Set(records.map((r) => r.updatedBy).filter((id): id is string => id !== null))];
  const names = new Map((await store.users.findManyByIds(editorIds)).map((u) => [u.id, u.name]));
  return records.map(({ updatedBy, ...rest }) => ({
    ...rest,
    updatedByName: updatedBy ? (names.get(updatedBy) ?? null) : null,
    abilities: documentAbilities(actor, rest),
  }));
}

/**
 * Creates a document with its starting content (one Yjs update), written through the
 * write path first: a document row never exists without its content.
 */
export async function createDocument(
  store: Store,
  documents: LiveDocuments,
  by: string,
  fields: { workspaceId: string; title: string; template: DocumentTemplate; id?: string },
  content: Uint8Array,
): Promise<DocumentRecord> {
  const now = new Date().toISOString();
  const document: DocumentRecord = {
    id: fields.id ?? newId(),
    workspaceId: fields.workspaceId,
    title: fields.title,
    template: fields.template,
    archived: false,
    createdAt: now,
    createdBy: by,
    updatedAt: now,
    updatedBy: by,
  };
  await documents.change(document.id, by, (doc) => Y.applyUpdate(doc, content));
  await store.documents.create(document);
  return document;
}

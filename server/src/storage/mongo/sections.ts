import type { Db } from 'mongodb';
import type { SectionEventRecord, SectionRecord, SectionRepository } from '../port.js';
import { records } from './records.js';

export const SECTIONS = records<SectionRecord>('sections', { key: (section) => `${section.documentId}:${section.sectionId}` });
export const SECTION_EVENTS = records<SectionEventRecord>('sectionEvents', { key: (event) => event.id });

/**
 * Without transactions: the event is written first, then the state. A crash between the
 * two leaves an event whose state was not applied — the history says what was asked;
 * the state is what the next change starts from.
 */
export async function mongoSections(db: Db): Promise<SectionRepository> {
  const sections = SECTIONS.on(db);
  const events = SECTION_EVENTS.on(db);
  await Promise.all([
    sections.collection.createIndex({ documentId: 1 }),
    sections.collection.createIndex({ ownerId: 1 }),
    events.collection.createIndex({ documentId: 1, sectionId: 1, at: 1 }),
  ]);
  return {
    listForDocument: (documentId) => sections.find({ documentId }),
    async listForDocuments(documentIds) {
      if (documentIds.length === 0) return [];
      return sections.find({ documentId: { $in: [...documentIds] } });
    },
    listOwnedBy: (ownerId) => sections.find({ ownerId }),
    find: (documentId, sectionId) => sections.findById(`${documentId}:${sectionId}`),
    async save(record, event) {
      await events.insert(event);
      await sections.collection.replaceOne({ _id: `${record.documentId}:${record.sectionId}` }, SECTIONS.toDoc(record), { upsert: true });
    },
    events: (documentId, sectionId) => events.find(sectionId === undefined ? { documentId } : { documentId, sectionId }, { at: 1, _id: 1 }),
  };
}

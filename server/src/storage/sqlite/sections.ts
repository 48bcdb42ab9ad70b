import type { SectionStatus } from '@jane/shared';
import type { SectionEventRecord, SectionRecord, SectionRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection } from './util.js';

export const SECTIONS = table<SectionRecord>('sections', {
  documentId: text('document_id'),
  sectionId: text('section_id'),
  ownerId: text.nullable('owner_id'),
  status: text<SectionStatus>(),
  updatedAt: text('updated_at'),
  updatedBy: text('updated_by'),
});

export const SECTION_EVENTS = table<SectionEventRecord>('section_events', {
  id: text,
  documentId: text('document_id'),
  sectionId: text('section_id'),
  kind: text<SectionEventRecord['kind']>(),
  from: text.nullable('from_value'),
  to: text.nullable('to_value'),
  at: text,
  by: text,
});

export function sqliteSections({ db, statement }: Connection): SectionRepository {
  const sections = SECTIONS.on(statement);
  const events = SECTION_EVENTS.on(statement);
  const save = db.transaction((record: SectionRecord, event: SectionEventRecord) => {
    sections.insert(record, 'ON CONFLICT (document_id, section_id) DO UPDATE SET owner_id = excluded.owner_id, status = excluded.status, updated_at = excluded.updated_at, updated_by = excluded.updated_by');
    events.insert(event);
  });
  return {
    async listForDocument(documentId) {
      return sections.all('SELECT * FROM sections WHERE document_id = ?', documentId);
    },
    async listForDocuments(documentIds) {
      if (documentIds.length === 0) return [];
      return sections.all('SELECT * FROM sections WHERE document_id IN (SELECT value FROM json_each(?))', JSON.stringify(documentIds));
    },
    async listOwnedBy(userId) {
      return sections.all('SELECT * FROM sections WHERE owner_id = ?', userId);
    },
    async find(documentId, sectionId) {
      return sections.get('SELECT * FROM sections WHERE document_id = ? AND section_id = ?', documentId, sectionId);
    },
    async save(record, event) {
      save(record, event);
    },
    async events(documentId, sectionId) {
      return sectionId === undefined
        ? events.all('SELECT * FROM section_events WHERE document_id = ? ORDER BY at, id', documentId)
        : events.all('SELECT * FROM section_events WHERE document_id = ? AND section_id = ? ORDER BY at, id', documentId, sectionId);
    },
  };
}

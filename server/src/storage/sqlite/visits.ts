/** Up to where each person has seen each document (`doc_visits`): one row per document and person. */
import type { VisitRecord, VisitRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection } from './util.js';

export const VISITS = table<VisitRecord>('doc_visits', {
  docId: text('doc_id'),
  userId: text('user_id'),
  cursor: text.nullable('history_cursor'),
  at: text,
});

export function sqliteVisits({ statement }: Connection): VisitRepository {
  const visits = VISITS.on(statement);
  return {
    async record(visit) {
      visits.insert(visit, 'ON CONFLICT (doc_id, user_id) DO UPDATE SET history_cursor = excluded.history_cursor, at = excluded.at');
    },
    async find(docId, userId) {
      return visits.get('SELECT * FROM doc_visits WHERE doc_id = ? AND user_id = ?', docId, userId);
    },
  };
}

/** Up to where each person has seen each document (`docVisits`): one record per document and person. */
import type { Db } from 'mongodb';
import type { VisitRecord, VisitRepository } from '../port.js';
import { records } from './records.js';

const visitKey = (docId: string, userId: string) => `${docId}:${userId}`;

export const VISITS = records<VisitRecord>('docVisits', { key: (visit) => visitKey(visit.docId, visit.userId) });

export async function mongoVisits(db: Db): Promise<VisitRepository> {
  const visits = VISITS.on(db);
  return {
    async record(visit) {
      await visits.collection.replaceOne({ _id: VISITS.key(visit) }, VISITS.toDoc(visit), { upsert: true });
    },
    find: (docId, userId) => visits.findById(visitKey(docId, userId)),
  };
}

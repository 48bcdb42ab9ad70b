/**
 * Records written before sections had ids pointed at them by title: threads
 * (`sectionTitle`) and meeting agenda items. Once, at start, each one that still has no
 * section id is pointed at the section of its document with that title (the first, if
 * several share it); one that matches none keeps its title as a label. Idempotent: a
 * record with an id is never touched again.
 */
import type { Logger } from 'pino';
import type { LiveDocuments } from '../collab/liveDocuments.js';
import type { Store } from '../storage/port.js';
import { currentSections } from './service.js';

export async function migrateSectionReferences(store: Store, documents: LiveDocuments, logger: Logger): Promise<{ threads: number; agendaItems: number }> {
  const counts = { threads: 0, agendaItems: 0 };
  const sectionsOf = new Map<string, Map<string, string>>();
  /** Section id by title in a document (first wins), loaded once per document. */
  const idFor = async (documentId: string, title: string): Promise<string | null> => {
    let byTitle = sectionsOf.get(documentId);
    if (!byTitle) {
      byTitle = new Map();
      for (const section of await currentSections(documents, documentId).catch(() => [])) if (!byTitle.has(section.title)) byTitle.set(section.title, section.id);
      sectionsOf.set(documentId, byTitle);
    }
    return byTitle.get(title.trim()) ?? null;
  };
  for (const workspace of await store.workspaces.list()) {
    for (const thread of await store.threads.listForWorkspace(workspace.id)) {
      if (thread.sectionId || !thread.sectionTitle) continue;
      const sectionId = await idFor(thread.documentId, thread.sectionTitle);
      if (!sectionId) continue;
      await store.threads.setSectionId(thread.id, sectionId);
      counts.threads++;
    }
    for (const meeting of await store.meetings.listForWorkspace(workspace.id)) {
      let changed = false;
      const agenda = [];
      for (const item of meeting.agenda) {
        if (item.sectionId || !item.documentId || !item.sectionTitle) {
          agenda.push({ ...item, sectionId: item.sectionId ?? null });
          continue;
        }
        const sectionId = await idFor(item.documentId, item.sectionTitle);
        if (sectionId) {
          changed = true;
          counts.agendaItems++;
        }
        agenda.push({ ...item, sectionId });
      }
      if (changed) await store.meetings.update(meeting.id, { agenda });
    }
  }
  if (counts.threads + counts.agendaItems > 0) logger.info(counts, 'pointed threads and agenda items at sections by id');
  return counts;
}

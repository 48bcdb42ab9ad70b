/**
 * Sections as units of work: the document's headings (their ids and titles come from the
 * live document) merged with their owner and workflow status (from the store, where no
 * client can forge them), and the changes to those: who may make them is the policy's;
 * every change is recorded; locks, lists and bells follow at once on every instance.
 */
import * as Y from 'yjs';
import {
  documentSections,
  workSections,
  isSectionTransition,
  can,
  sectionAbilities,
  SECTION_TRANSITIONS,
  type Actor,
  type MySectionView,
  type OpenSectionView,
  type SectionEventView,
  type SectionProgressView,
  type SectionStatus,
  type SectionView,
  type UpdateSectionRequest,
} from '@jane/shared';
import type { AccessEvents } from '../context.js';
import type { LiveDocuments } from '../collab/liveDocuments.js';
import { personRef } from '../comments/present.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import type { NotificationService } from '../notifications/service.js';
import { authorize, requireDocumentAccess, requireWorkspaceAccess } from '../policies/authorize.js';
import type { SectionEventRecord, SectionRecord, Store, UserRecord } from '../storage/port.js';

/** The headings of a document as it is now, in order: id, title, level. */
export async function currentSections(documents: LiveDocuments, documentId: string): Promise<{ id: string; title: string; level: number }[]> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, await documents.currentState(documentId));
    return documentSections(doc).flatMap((s) => (s.id ? [{ id: s.id, title: s.title, level: s.level }] : []));
  } finally {
    doc.destroy();
  }
}

function openView(section: { id: string; title: string }, record: SectionRecord | undefined, owners: Map<string, UserRecord>): OpenSectionView {
  const ownerId = record?.ownerId ?? null;
  return { id: section.id, title: section.title, status: record?.status ?? 'draft', owner: ownerId ? personRef(owners.get(ownerId), ownerId) : null };
}

export class SectionService {
  constructor(
    private readonly store: Store,
    private readonly documents: LiveDocuments,
    private readonly events: AccessEvents,
    private readonly notifications: NotificationService,
  ) {}

  private view(actor: Actor, section: { id: string; title: string; level: number }, record: SectionRecord | undefined): SectionView {
    const ownerId = record?.ownerId ?? null;
    const status = record?.status ?? 'draft';
    return {
      id: section.id,
      title: section.title,
      level: section.level,
      ownerId,
      status,
      updatedAt: record?.updatedAt ?? null,
      updatedBy: record?.updatedBy ?? null,
      abilities: sectionAbilities(actor, { ownerId, status }, SECTION_TRANSITIONS),
    };
  }

  /** The document's sections in document order, as the person sees them. */
  async list(user: UserRecord, documentId: string): Promise<SectionView[]> {
    const { actor } = await requireDocumentAccess(this.store, user, documentId);
    const [sections, records] = await Promise.all([currentSections(this.documents, documentId), this.store.sections.listForDocument(documentId)]);
    const byId = new Map(records.map((r) => [r.sectionId, r]));
    return sections.map((section) => this.view(actor, section, byId.get(section.id)));
  }

  /** Changes a section's owner and/or status (each change recorded); 403, 404 or 400 otherwise. */
  async update(user: UserRecord, documentId: string, sectionId: string, request: UpdateSectionRequest): Promise<SectionView> {
    const { actor, document } = await requireDocumentAccess(this.store, user, documentId);
    const section = (await currentSections(this.documents, documentId)).find((s) => s.id === sectionId);
    if (!section) throw new NotFoundError('This section is not in the document (any more).');
    let record: SectionRecord = (await this.store.sections.find(documentId, sectionId)) ?? {
      documentId,
      sectionId,
      ownerId: null,
      status: 'draft',
      updatedAt: new Date(0).toISOString(),
      updatedBy: user.id,
    };
    const at = new Date().toISOString();
    const changes: { next: SectionRecord; event: SectionEventRecord }[] = [];
    if (request.ownerId !== undefined && request.ownerId !== record.ownerId) {
      authorize(actor, 'section.setOwner', { ownerId: record.ownerId });
      if (request.ownerId !== null) {
        const [membership, owner] = await Promise.all([this.store.memberships.find(document.workspaceId, request.ownerId), this.store.users.findById(request.ownerId)]);
        if (!membership || !owner?.active || !can({ userId: owner.id, isAdmin: false, role: membership.role }, 'section.own')) {
          throw new BadRequestError('The owner must be a member of this workspace who may edit drafts.');
        }
      }
      const next = { ...record, ownerId: request.ownerId, updatedAt: at, updatedBy: user.id };
      changes.push({ next, event: { id: newId(), documentId, sectionId, kind: 'owner', from: record.ownerId, to: request.ownerId, at, by: user.id } });
      record = next;
    }
    if (request.status !== undefined && request.status !== record.status) {
      if (!isSectionTransition(record.status, request.status)) {
        throw new BadRequestError(`A section cannot go from ${record.status} straight to ${request.status}.`);
      }
      authorize(actor, 'section.setStatus', { ownerId: record.ownerId, from: record.status, to: request.status });
      const next = { ...record, status: request.status, updatedAt: at, updatedBy: user.id };
      changes.push({ next, event: { id: newId(), documentId, sectionId, kind: 'status', from: record.status, to: request.status, at, by: user.id } });
      record = next;
    }
    for (const change of changes) await this.store.sections.save(change.next, change.event);
    if (changes.length > 0) this.events.emit('sectionsChanged', { documentId, workspaceId: document.workspaceId });
    for (const { event } of changes) {
      if (event.kind !== 'status') continue;
      await this.notifications.sectionStatusChanged({
        workspaceId: document.workspaceId,
        documentId,
        sectionId,
        sectionTitle: section.title,
        ownerId: record.ownerId,
        from: event.from as SectionStatus,
        to: event.to as SectionStatus,
        actorId: user.id,
        at,
      });
    }
    return this.view(actor, section, record);
  }

  /**
   * How far each document of the workspace has come (archived ones left out): sections
   * agreed of all sections (the title heading not counted), and the open ones with owners.
   */
  async workspaceProgress(user: UserRecord, workspaceId: string): Promise<SectionProgressView[]> {
    await requireWorkspaceAccess(this.store, user, workspaceId);
    const documents = (await this.store.documents.listForWorkspace(workspaceId)).filter((d) => !d.archived);
    const [records, sections] = await Promise.all([
      this.store.sections.listForDocuments(documents.map((d) => d.id)),
      Promise.all(documents.map((d) => currentSections(this.documents, d.id).catch(() => []))),
    ]);
    const owners = await this.people(records.map((r) => r.ownerId));
    const byKey = new Map(records.map((r) => [`${r.documentId}:${r.sectionId}`, r]));
    return documents.map((document, index) => {
      const work = workSections(sections[index]!).map((section) => ({ section, record: byKey.get(`${document.id}:${section.id}`) }));
      const statusOf = (record: SectionRecord | undefined) => record?.status ?? 'draft';
      return {
        documentId: document.id,
        total: work.length,
        agreed: work.filter((w) => statusOf(w.record) === 'agreed').length,
        inReview: work.filter((w) => statusOf(w.record) === 'in-review').length,
        open: work.filter((w) => statusOf(w.record) !== 'agreed').map((w) => openView(w.section, w.record, owners)),
      };
    });
  }

  /**
   * The home page's sections: `mine` — the ones the person owns that are not agreed yet;
   * `waitingForMe` — the ones in review that they may agree (in workspaces they chair,
   * or their own as a lead), longest waiting first.
   */
  async mine(user: UserRecord): Promise<{ mine: MySectionView[]; waitingForMe: MySectionView[] }> {
    const memberships = await this.store.memberships.listForUser(user.id);
    const roles = new Map(memberships.map((m) => [m.workspaceId, m.role]));
    // Workspaces where the person agrees anyone's sections (chairs).
    const chaired = memberships
      .filter((m) => can({ userId: user.id, isAdmin: user.isAdmin, role: m.role }, 'section.setStatus', { ownerId: null, from: 'in-review', to: 'agreed' }))
      .map((m) => m.workspaceId);
    const chairedDocuments = (await Promise.all(chaired.map((id) => this.store.documents.listForWorkspace(id)))).flat();
    const [owned, inChaired] = await Promise.all([
      this.store.sections.listOwnedBy(user.id),
      this.store.sections.listForDocuments(chairedDocuments.map((d) => d.id)),
    ]);
    const wanted = [...owned.filter((r) => r.status !== 'agreed'), ...inChaired.filter((r) => r.status === 'in-review')];
    const documents = new Map(
      (await this.store.documents.findManyByIds([...new Set(wanted.map((r) => r.documentId))])).filter((d) => !d.archived && roles.has(d.workspaceId)).map((d) => [d.id, d]),
    );
    const workspaces = new Map((await this.store.workspaces.list()).map((w) => [w.id, w.title]));
    const titles = new Map<string, Map<string, string>>();
    for (const id of documents.keys()) titles.set(id, new Map((await currentSections(this.documents, id).catch(() => [])).map((s) => [s.id, s.title])));
    const owners = await this.people(wanted.map((r) => r.ownerId));
    const view = (record: SectionRecord): MySectionView[] => {
      const document = documents.get(record.documentId);
      const title = titles.get(record.documentId)?.get(record.sectionId);
      if (!document || title === undefined) return []; // archived, left, or the heading is gone
      return [
        {
          ...openView({ id: record.sectionId, title }, record, owners),
          workspaceId: document.workspaceId,
          workspaceTitle: workspaces.get(document.workspaceId) ?? '',
          documentId: document.id,
          documentTitle: document.title,
          updatedAt: record.updatedAt,
        },
      ];
    };
    const mayAgree = (record: SectionRecord) => {
      const role = roles.get(documents.get(record.documentId)?.workspaceId ?? '') ?? null;
      return role !== null && can({ userId: user.id, isAdmin: user.isAdmin, role }, 'section.setStatus', { ownerId: record.ownerId, from: 'in-review', to: 'agreed' });
    };
    const waiting = [...new Map(wanted.filter((r) => r.status === 'in-review' && mayAgree(r)).map((r) => [`${r.documentId}:${r.sectionId}`, r])).values()];
    return {
      mine: owned.filter((r) => r.status !== 'agreed').flatMap(view).sort((a, b) => a.documentTitle.localeCompare(b.documentTitle)),
      waitingForMe: waiting.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).flatMap(view),
    };
  }

  private async people(ids: (string | null)[]): Promise<Map<string, UserRecord>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    return new Map((await this.store.users.findManyByIds(wanted)).map((u) => [u.id, u]));
  }

  /** Who changed the section's owner and status, and when (oldest first). */
  async activity(user: UserRecord, documentId: string, sectionId: string): Promise<SectionEventView[]> {
    await requireDocumentAccess(this.store, user, documentId);
    const events = await this.store.sections.events(documentId, sectionId);
    const users = new Map((await this.store.users.findManyByIds([...new Set(events.map((e) => e.by))])).map((u) => [u.id, u]));
    return events.map((e) => ({ kind: e.kind, from: e.from, to: e.to, at: e.at, by: personRef(users.get(e.by), e.by) }));
  }
}

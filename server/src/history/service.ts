/**
 * Version history of documents: versions (automatic after a pause in editing, at the
 * start and end of meetings, named by people, and one for every restore), the changes
 * between two points with who made them (from the authored history the store keeps, see
 * storage/port.ts `HistoryRepository`), "since my last visit", and restoring a version or
 * one section of it through the server write path.
 *
 * A version is a cursor into the history plus the document's content at that cursor
 * (built from the previous version's content and the entries in between, never from the
 * live document, which may hold changes not stored yet). Who may do what: policy.ts
 * (`version.create`, `version.restore`, `version.restoreSection`).
 */
import * as Y from 'yjs';
import type { Logger } from 'pino';
import { can, sectionsOf, DOCUMENT_FIELD, type ChangesView, type HistoryPerson, type VersionView } from '@jane/shared';
import type { LiveDocuments } from '../collab/liveDocuments.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { idFrom, newId } from '../ids.js';
import { authorize, requireDocumentAccess, type DocumentAccess } from '../policies/authorize.js';
import { SERVER_AUTHOR, type HistoryEntry, type MeetingRecord, type Store, type UserRecord, type VersionKind, type VersionRecord } from '../storage/port.js';
import { changesBetween } from './changes.js';
import { restoreBlocks, SectionNotInVersionError } from './restore.js';

/** Orders two history cursors: decimal sequence numbers (SQLite) or ObjectId hex (MongoDB). */
export function compareCursors(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : 1);
  return a < b ? -1 : 1;
}

export interface HistoryOptions {
  /** Quiet time after edits before an automatic version is taken. */
  pauseMs: number;
}

interface VersionInput {
  kind: VersionKind;
  name: string;
  note?: string | null;
  createdBy: string;
  meetingId?: string | null;
  /** Skip when nothing was stored since the latest version (automatic versions). */
  onlyIfChanged?: boolean;
}

export class HistoryService {
  /** Documents waiting for their quiet time before an automatic version. */
  private readonly quiet = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly live: LiveDocuments,
    private readonly log: Logger,
    private readonly options: HistoryOptions,
  ) {}

  /* ------------------------------------------------------------------ reading */

  async list(user: UserRecord, documentId: string): Promise<VersionView[]> {
    await requireDocumentAccess(this.store, user, documentId);
    const versions = await this.store.versions.list(documentId);
    const people = await this.people(versions.flatMap((v) => [v.createdBy, ...v.authors]));
    return versions.map((v) => present(v, people));
  }

  /**
   * The changes from `from` (a version id, `last-visit`, or `start`) to `to` (a version id
   * or `current`), per section, attributed to the accounts that made them.
   */
  async changes(user: UserRecord, documentId: string, from: string, to: string): Promise<ChangesView> {
    await requireDocumentAccess(this.store, user, documentId);
    const end = to === 'current' ? { cursor: await this.store.history.latest(documentId), version: null } : await this.versionPoint(documentId, to, 'to');
    let start: { cursor: string | null; version: VersionRecord | null; kind: ChangesView['from']['kind']; at: string | null };
    if (from === 'last-visit') {
      const visit = await this.store.visits.find(documentId, user.id);
      start = { cursor: visit?.cursor ?? null, version: null, kind: visit ? 'last-visit' : 'start', at: visit?.at ?? null };
    } else if (from === 'start') {
      start = { cursor: null, version: null, kind: 'start', at: null };
    } else {
      const point = await this.versionPoint(documentId, from, 'from');
      start = { ...point, kind: 'version', at: point.version.createdAt };
    }
    if (compareCursors(start.cursor, end.cursor) > 0) throw new BadRequestError('“from” must come before “to”: compare an older version with a newer one.');

    // The earlier point: the latest version at or before it, plus the entries up to it.
    const base = start.version ?? (await this.versionAtOrBefore(documentId, start.cursor));
    const baseState = base ? await this.store.versions.state(documentId, base.id) : null;
    const before = start.cursor === null ? [] : await this.store.history.list(documentId, { after: base?.cursor ?? null, upTo: start.cursor });
    // `late`: entries stored behind the earlier point's cursor after it was taken are changes
    // too; those the earlier point held already show as nothing (changes.ts classifies by item).
    const window = await this.store.history.list(documentId, { after: start.cursor, upTo: end.cursor, late: true });
    const sections = changesBetween(
      start.cursor === null ? null : baseState,
      before.map((e) => e.data),
      window.map((e) => ({ userId: e.userId, data: e.data })),
    );
    const ids = sections.flatMap((s) => [...s.inserted, ...s.deleted].map((c) => c.userId));
    const people = await this.people(ids);
    return {
      sections,
      people: [...people.values()],
      from: { kind: start.kind, versionId: start.version?.id ?? null, at: start.at },
      to: { kind: end.version ? 'version' : 'current', versionId: end.version?.id ?? null },
    };
  }

  /** Remembers up to where the person has seen the document (their visit ended). */
  async recordVisit(documentId: string, userId: string): Promise<void> {
    const cursor = await this.store.history.latest(documentId);
    await this.store.visits.record({ docId: documentId, userId, cursor, at: new Date().toISOString() });
  }

  /* ------------------------------------------------------------------ versions */

  /** A version named by a person ("Sent to the ERN board"). */
  async createNamed(user: UserRecord, documentId: string, name: string, note: string | null): Promise<VersionView> {
    const access = await requireDocumentAccess(this.store, user, documentId);
    authorize(access.actor, 'version.create', access.document);
    const version = await this.createVersion(documentId, { kind: 'named', name, note, createdBy: user.id });
    return this.presentOne(version!);
  }

  /**
   * Takes a version of the document as stored now. With `onlyIfChanged`, returns null
   * when nothing was stored since the latest version.
   */
  async createVersion(documentId: string, input: VersionInput): Promise<VersionRecord | null> {
    const cursor = await this.store.history.latest(documentId);
    const previous = await this.versionAtOrBefore(documentId, cursor);
    if (input.onlyIfChanged && (cursor === null || (previous && compareCursors(previous.cursor, cursor) === 0))) return null;
    // `late`: an entry another instance stored behind the previous version's cursor after
    // that version was taken belongs in this one (see HistoryRange.late).
    const listed = await this.store.history.list(documentId, { after: previous?.cursor ?? null, upTo: cursor, late: true });
    const doc = new Y.Doc();
    let state: Uint8Array;
    let entries: HistoryEntry[];
    try {
      const base = previous ? await this.store.versions.state(documentId, previous.id) : null;
      if (base) Y.applyUpdate(doc, base);
      entries = applyEntries(doc, listed, previous?.cursor ?? null);
      state = Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
    const version: VersionRecord = {
      // An automatic version of a point is the same on every instance: when two instances
      // that both stored edits finish their quiet time together, one of them takes it.
      id: input.onlyIfChanged ? idFrom('auto', documentId, cursor ?? '') : newId(),
      docId: documentId,
      kind: input.kind,
      name: input.name,
      note: input.note ?? null,
      createdAt: new Date().toISOString(),
      createdBy: input.createdBy,
      cursor,
      meetingId: input.meetingId ?? null,
      authors: authorsOf(entries),
    };
    try {
      await this.store.versions.create(version, state);
    } catch (error) {
      if (input.onlyIfChanged && (await this.store.versions.find(documentId, version.id))) return null;
      throw error;
    }
    return version;
  }

  /* ------------------------------------------------------------------ restore */

  /**
   * Restores a version, or one section of it, as a new change by `user` (through the
   * write path: live for everyone, merged by offline copies), then records a `restore`
   * version. Chairs restore whole versions; leads their own sections; agreed text only
   * by those who may change it.
   */
  async restore(user: UserRecord, documentId: string, versionId: string, sectionId?: string): Promise<{ version: VersionView; changed: boolean }> {
    const access = await requireDocumentAccess(this.store, user, documentId);
    const source = await this.store.versions.find(documentId, versionId);
    if (!source) throw new NotFoundError('This version does not exist.');
    const sourceState = await this.store.versions.state(documentId, versionId);
    if (!sourceState) throw new NotFoundError('This version does not exist.');
    const records = await this.store.sections.listForDocument(documentId);
    const recordOf = (id: string) => records.find((r) => r.sectionId === id);
    if (sectionId) {
      authorize(access.actor, 'version.restoreSection', { archived: access.document.archived, ownerId: recordOf(sectionId)?.ownerId ?? null });
    } else {
      authorize(access.actor, 'version.restore', access.document);
    }

    const versionDoc = new Y.Doc();
    Y.applyUpdate(versionDoc, sourceState);
    try {
      // Agreed text stays agreed: a restore that would change it needs the right to change it.
      const current = new Y.Doc();
      try {
        Y.applyUpdate(current, await this.live.currentState(documentId));
        this.checkAgreed(access, current, versionDoc, records, sectionId);
      } finally {
        current.destroy();
      }
      let changed = false;
      try {
        ({ changed } = await this.live.change(documentId, user.id, (doc) => {
          restoreBlocks(doc, versionDoc, sectionId);
        }));
      } catch (error) {
        if (error instanceof SectionNotInVersionError) throw new BadRequestError(error.message);
        throw error;
      }
      const sectionTitle = sectionId ? sectionsOf(versionDoc.getXmlFragment(DOCUMENT_FIELD)).find((s) => s.id === sectionId)?.title : null;
      const version = await this.createVersion(documentId, {
        kind: 'restore',
        name: sectionTitle ? `Restored “${sectionTitle}” from “${source.name}”` : `Restored “${source.name}”`,
        createdBy: user.id,
      });
      return { version: await this.presentOne(version!), changed };
    } finally {
      versionDoc.destroy();
    }
  }

  private checkAgreed(access: DocumentAccess, current: Y.Doc, version: Y.Doc, records: Awaited<ReturnType<Store['sections']['listForDocument']>>, only?: string): void {
    const now = sectionsOf(current.getXmlFragment(DOCUMENT_FIELD));
    const then = sectionsOf(version.getXmlFragment(DOCUMENT_FIELD));
    const text = (doc: Y.Doc, s: { start: number; end: number }) =>
      doc
        .getXmlFragment(DOCUMENT_FIELD)
        .toArray()
        .slice(s.start, s.end)
        .map((b) => b.toString())
        .join('');
    for (const record of records) {
      if (record.status !== 'agreed' || (only && record.sectionId !== only)) continue;
      if (can(access.actor, 'section.editAgreed', { ownerId: record.ownerId })) continue;
      const a = now.find((s) => s.id === record.sectionId);
      if (!a) continue;
      const b = then.find((s) => s.id === record.sectionId);
      if (!b || text(current, a) !== text(version, b)) authorize(access.actor, 'section.editAgreed', { ownerId: record.ownerId });
    }
  }

  /* ------------------------------------------------------------------ automatic versions */

  /** Versions "Before meeting …" for the agenda's documents; "After meeting …" for those and every document edited during it. */
  async meetingVersions(meeting: MeetingRecord, moment: 'start' | 'end', by: string): Promise<void> {
    const agendaDocs = new Set(meeting.agenda.flatMap((item) => (item.documentId ? [item.documentId] : [])));
    if (moment === 'end') {
      for (const document of await this.store.documents.listForWorkspace(meeting.workspaceId)) {
        if (!document.archived && document.updatedAt > meeting.startedAt) agendaDocs.add(document.id);
      }
    }
    const name = `${moment === 'start' ? 'Before' : 'After'} meeting “${meeting.title}”`;
    for (const documentId of agendaDocs) {
      await this.createVersion(documentId, { kind: 'meeting', name, createdBy: by, meetingId: meeting.id }).catch((error: unknown) =>
        this.log.warn({ err: error, documentId }, 'meeting version failed'),
      );
    }
  }

  /**
   * A document this instance just stored people's changes for: an automatic version is
   * taken once it has been quiet for `pauseMs` (each new change starts the wait again).
   * Only the instances that store a document's changes wait on it — no sweep over every
   * document — and one that finds the latest version already at the latest change skips.
   */
  noteEdited(documentId: string): void {
    this.waitForQuiet(documentId, this.options.pauseMs);
  }

  private waitForQuiet(documentId: string, ms: number): void {
    if (this.stopped) return;
    const pending = this.quiet.get(documentId);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      this.quiet.delete(documentId);
      void this.takeAutomaticVersion(documentId).catch((error: unknown) => this.log.warn({ err: error, documentId }, 'automatic version failed'));
    }, ms);
    timer.unref();
    this.quiet.set(documentId, timer);
  }

  /**
   * The wait is over here — but another instance may have stored edits meanwhile (its
   * people, or a restart's resumed wait): the document must have been quiet for
   * `pauseMs` by its `updatedAt`, or the wait goes on for the rest.
   */
  private async takeAutomaticVersion(documentId: string): Promise<void> {
    const document = await this.store.documents.findById(documentId);
    if (!document || document.archived) return;
    const quietFor = Date.now() - Date.parse(document.updatedAt);
    if (quietFor < this.options.pauseMs) {
      this.waitForQuiet(documentId, this.options.pauseMs - quietFor);
      return;
    }
    await this.createVersion(documentId, { kind: 'auto', name: 'Automatic version', createdBy: SERVER_AUTHOR, onlyIfChanged: true });
  }

  /**
   * At start-up: documents changed since their latest version whose quiet time a stop or a
   * crash cut short wait again, so the automatic version they were due is still taken
   * (`pauseMs` from now; skipped if someone took a version meanwhile). Returns how many.
   */
  async resumeAutomaticVersions(): Promise<number> {
    let waiting = 0;
    for (const workspace of await this.store.workspaces.list()) {
      for (const document of await this.store.documents.listForWorkspace(workspace.id)) {
        if (document.archived) continue;
        const cursor = await this.store.history.latest(document.id);
        if (cursor === null) continue;
        const versions = await this.store.versions.list(document.id);
        if (versions.some((v) => compareCursors(v.cursor, cursor) >= 0)) continue;
        this.noteEdited(document.id);
        waiting++;
      }
    }
    return waiting;
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.quiet.values()) clearTimeout(timer);
    this.quiet.clear();
  }

  /* ------------------------------------------------------------------ helpers */

  private async versionPoint(documentId: string, versionId: string, which: 'from' | 'to'): Promise<{ cursor: string | null; version: VersionRecord }> {
    const version = await this.store.versions.find(documentId, versionId);
    if (!version) throw new NotFoundError(`The “${which}” version does not exist.`);
    return { cursor: version.cursor, version };
  }

  /** The latest version whose cursor is at or before `cursor`. */
  private async versionAtOrBefore(documentId: string, cursor: string | null): Promise<VersionRecord | null> {
    if (cursor === null) return null;
    let best: VersionRecord | null = null;
    for (const version of await this.store.versions.list(documentId)) {
      if (version.cursor === null || compareCursors(version.cursor, cursor) > 0) continue;
      if (!best || compareCursors(version.cursor, best.cursor) > 0) best = version;
    }
    return best;
  }

  private async people(ids: readonly string[]): Promise<Map<string, HistoryPerson>> {
    const wanted = [...new Set(ids)].filter((id) => id !== SERVER_AUTHOR);
    const users = await this.store.users.findManyByIds(wanted);
    return new Map(users.map((u) => [u.id, { userId: u.id, name: u.name, country: u.country }]));
  }

  private async presentOne(version: VersionRecord): Promise<VersionView> {
    return present(version, await this.people([version.createdBy, ...version.authors]));
  }
}

/**
 * Applies `entries` to `doc` (which holds the content at `cursor`) and returns those that
 * count: all after `cursor`, and of those at or before it (late ones, see
 * HistoryRange.late) the ones that changed something — an entry the document held
 * already credits nobody. Late ones go one by one, to tell; the rest in one transaction.
 */
function applyEntries(doc: Y.Doc, entries: readonly HistoryEntry[], cursor: string | null): HistoryEntry[] {
  const after = entries.filter((entry) => compareCursors(entry.cursor, cursor) > 0);
  const late: HistoryEntry[] = [];
  let changed = false;
  const mark = () => (changed = true);
  doc.on('update', mark);
  try {
    for (const entry of entries) {
      if (compareCursors(entry.cursor, cursor) > 0) continue;
      changed = false;
      Y.applyUpdate(doc, entry.data);
      if (changed) late.push(entry);
    }
  } finally {
    doc.off('update', mark);
  }
  doc.transact(() => {
    for (const entry of after) Y.applyUpdate(doc, entry.data);
  });
  return [...late, ...after];
}

/** Accounts in the order of their first entry (the server's own fixes left out). */
function authorsOf(entries: readonly HistoryEntry[]): string[] {
  return [...new Set(entries.map((e) => e.userId))].filter((id) => id !== SERVER_AUTHOR);
}

function present(version: VersionRecord, people: Map<string, HistoryPerson>): VersionView {
  return {
    id: version.id,
    name: version.name,
    note: version.note,
    kind: version.kind,
    createdAt: version.createdAt,
    createdBy: people.get(version.createdBy) ?? null,
    authors: version.authors.flatMap((id) => {
      const person = people.get(id);
      return person ? [person] : [];
    }),
    meetingId: version.meetingId,
  };
}

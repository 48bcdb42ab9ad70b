/**
 * The storage port: everything the server keeps durably goes through this interface.
 * Two adapters implement it (`sqlite/`, `mongo/`) and pass the same contract suite
 * (`contract.test.ts`). Records are plain data; times are ISO-8601 strings in UTC.
 */
import type { AgendaItem, DocumentTemplate, NotificationKind, Role, SectionStatus, ThreadAnchor, WorkspaceKind } from '@jane/shared';

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  country: string;
  organisation: string;
  passwordHash: string;
  isAdmin: boolean;
  active: boolean;
  createdAt: string;
}

export type UserPatch = Partial<Pick<UserRecord, 'email' | 'name' | 'country' | 'organisation' | 'passwordHash' | 'isAdmin' | 'active'>>;

export interface SessionRecord {
  /** SHA-256 of the cookie token: a stolen database does not yield usable cookies. */
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface InvitationRecord {
  id: string;
  /** SHA-256 of the secret in the link. */
  tokenHash: string;
  email: string;
  name: string;
  memberships: { workspaceId: string; role: Role }[];
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export interface WorkspaceRecord {
  id: string;
  kind: WorkspaceKind;
  title: string;
  createdAt: string;
}

export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: Role;
  createdAt: string;
}

export interface DocumentRecord {
  id: string;
  workspaceId: string;
  title: string;
  template: DocumentTemplate;
  archived: boolean;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string | null;
}

export type DocumentPatch = Partial<Pick<DocumentRecord, 'title' | 'archived'>>;

/**
 * The author of changes the server makes on its own (section ids for headings that lack
 * one): stored like anyone's, but not shown as "last edited by".
 */
export const SERVER_AUTHOR = 'jane-server';

/** One accepted Yjs update, as the collaboration server hands it to the store. */
export interface PendingUpdate {
  docId: string;
  data: Uint8Array;
  /** Who made the change (shown as "last edited by"). */
  userId: string;
}

/** The stored state of one document: a snapshot plus the updates appended after it. */
export interface StoredDocState {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

export interface CompactionResult {
  /** How many log entries were folded into the new snapshot (0: nothing to do). */
  foldedUpdates: number;
  snapshotBytes: number;
}

export class DuplicateKeyError extends Error {
  constructor(readonly key: string) {
    super(`Duplicate ${key}`);
    this.name = 'DuplicateKeyError';
  }
}

export interface UserRepository {
  count(): Promise<number>;
  /** Throws {@link DuplicateKeyError}('email') when the email is taken. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findManyByIds(ids: readonly string[]): Promise<UserRecord[]>;
  list(): Promise<UserRecord[]>;
  update(id: string, patch: UserPatch): Promise<UserRecord | null>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  find(tokenHash: string): Promise<SessionRecord | null>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(now: string): Promise<number>;
}

export interface InvitationRepository {
  create(invitation: InvitationRecord): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<InvitationRecord | null>;
  list(): Promise<InvitationRecord[]>;
  /** Marks it accepted unless it already was; returns whether this call did it. */
  markAccepted(id: string, at: string): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

export interface WorkspaceRepository {
  count(): Promise<number>;
  create(workspace: WorkspaceRecord): Promise<void>;
  findById(id: string): Promise<WorkspaceRecord | null>;
  list(): Promise<WorkspaceRecord[]>;
  update(id: string, patch: Partial<Pick<WorkspaceRecord, 'kind' | 'title'>>): Promise<WorkspaceRecord | null>;
}

export interface MembershipRepository {
  /** Adds the member or changes their role. */
  upsert(membership: MembershipRecord): Promise<void>;
  remove(workspaceId: string, userId: string): Promise<boolean>;
  find(workspaceId: string, userId: string): Promise<MembershipRecord | null>;
  listForWorkspace(workspaceId: string): Promise<MembershipRecord[]>;
  listForUser(userId: string): Promise<MembershipRecord[]>;
  countByWorkspace(): Promise<Map<string, number>>;
}

export interface DocumentRepository {
  create(document: DocumentRecord): Promise<void>;
  findById(id: string): Promise<DocumentRecord | null>;
  findManyByIds(ids: readonly string[]): Promise<DocumentRecord[]>;
  listForWorkspace(workspaceId: string): Promise<DocumentRecord[]>;
  countByWorkspace(): Promise<Map<string, number>>;
  update(id: string, patch: DocumentPatch): Promise<DocumentRecord | null>;
}

/**
 * The Yjs content of documents: an append-only update log plus a snapshot per document
 * (ARCHITECTURE.md decision 5).
 */
export interface DocumentContentRepository {
  /**
   * Durably appends a batch of updates (possibly for several documents) in as few
   * writes as the backend allows — this is the group commit. Resolves only once the
   * data is durable; rejects without partial visibility guarantees being needed,
   * because Yjs updates are idempotent and a retry may append them again.
   * Also records `updatedAt`/`updatedBy` on each document, and appends every update to
   * the document's history (`HistoryRepository`) with its author and `at`.
   */
  append(batch: readonly PendingUpdate[], at: string): Promise<void>;
  /** Snapshot and the updates after it. Never invents an empty state on failure: it throws. */
  load(docId: string): Promise<StoredDocState>;
  /** Number of log entries after the snapshot (cheap; used to decide on compaction). */
  countUpdates(docId: string): Promise<number>;
  /**
   * Folds the snapshot and the current log into a new snapshot (`foldDocState`) and
   * deletes exactly the folded log entries. Safe against concurrent appends and
   * concurrent compactions (from the same base one of two gives up; either way every
   * log entry is folded, and counted in `foldedUpdates`, exactly once).
   */
  compact(docId: string): Promise<CompactionResult>;
}

export interface MeetingRecord {
  id: string;
  workspaceId: string;
  title: string;
  agenda: AgendaItem[];
  quorumCountries: number | null;
  startedAt: string;
  startedBy: string;
  endedAt: string | null;
  /** The minutes written from this meeting, once someone has created them. */
  minutesDocumentId: string | null;
}

export type MeetingPatch = Partial<Pick<MeetingRecord, 'title' | 'agenda' | 'quorumCountries'>>;

/** Who attended, as they were when they first joined (names and roles may change later). */
export interface AttendeeRecord {
  meetingId: string;
  userId: string;
  name: string;
  email: string;
  country: string;
  organisation: string;
  role: Role;
  firstJoinedAt: string;
}

/** One stretch of presence in a meeting; `leftAt` is null while it lasts. */
export interface IntervalRecord {
  meetingId: string;
  userId: string;
  joinedAt: string;
  leftAt: string | null;
  /**
   * While open: when the person's last connection went (they may still come back within
   * the grace period). A meeting that ends meanwhile closes the interval at this time,
   * not at its end: someone who closed the tab was not present at the end.
   */
  disconnectedAt: string | null;
}

export interface MeetingRepository {
  /** Throws {@link DuplicateKeyError}('running meeting') when the workspace already has one running. */
  start(meeting: MeetingRecord): Promise<void>;
  findById(id: string): Promise<MeetingRecord | null>;
  findRunning(workspaceId: string): Promise<MeetingRecord | null>;
  listRunning(): Promise<MeetingRecord[]>;
  /** Newest first. */
  listForWorkspace(workspaceId: string): Promise<MeetingRecord[]>;
  update(id: string, patch: MeetingPatch): Promise<MeetingRecord | null>;
  /** Records the meeting's minutes document unless it has one; returns whether it did. */
  setMinutes(id: string, documentId: string): Promise<boolean>;
  /** Ends a running meeting: every open interval is closed at its `disconnectedAt`, or else at `at`; false if it was not running. */
  end(id: string, at: string): Promise<boolean>;
  /**
   * Opens an interval unless one is open (a reconnect: then it is no longer marked
   * disconnected); keeps the first-join snapshot. Returns whether it opened one.
   */
  recordJoin(attendee: AttendeeRecord, at: string): Promise<boolean>;
  /** Marks the open interval as disconnected at `at` (unless already marked); returns whether it did. */
  recordDisconnect(meetingId: string, userId: string, at: string): Promise<boolean>;
  /** Clears the disconnection mark of the open interval (the person is back). */
  recordReconnect(meetingId: string, userId: string): Promise<void>;
  /** Closes the open interval, if any; returns whether it closed one. */
  recordLeave(meetingId: string, userId: string, at: string): Promise<boolean>;
  attendance(meetingId: string): Promise<{ attendees: AttendeeRecord[]; intervals: IntervalRecord[] }>;
  /**
   * Retention: for meetings that ended before `endedBefore`, deletes the per-person
   * intervals and blanks the attendees' emails (who came, from where, in which role stays:
   * the counts). Returns how many intervals and attendee emails it removed.
   */
  pruneAttendanceDetails(endedBefore: string): Promise<number>;
  /** Replaces the name and email kept in every attendance record of the person and clears the organisation (anonymisation); returns how many. */
  renameAttendee(userId: string, name: string, email: string): Promise<number>;
}

export interface ThreadRecord {
  id: string;
  workspaceId: string;
  documentId: string;
  anchor: ThreadAnchor;
  /** The section the thread belongs to (null: none, or a thread from before section ids, until migrated). */
  sectionId: string | null;
  /** The section's title when the thread was started (a label only). */
  sectionTitle: string | null;
  createdBy: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** Time of the latest comment or status change. */
  lastActivityAt: string;
}

export interface CommentRecord {
  id: string;
  threadId: string;
  authorId: string;
  body: string;
  /** Members mentioned in the body (already checked). */
  mentions: string[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export type CommentPatch = Partial<Pick<CommentRecord, 'body' | 'mentions' | 'editedAt' | 'deletedAt'>>;

export interface ThreadRepository {
  /** Stores a new thread with its first comment. */
  create(thread: ThreadRecord, first: CommentRecord): Promise<void>;
  findById(id: string): Promise<ThreadRecord | null>;
  listForDocument(documentId: string): Promise<ThreadRecord[]>;
  /** Oldest first; `resolved` filters by status when given. */
  listForWorkspace(workspaceId: string, resolved?: boolean): Promise<ThreadRecord[]>;
  /** The same over several workspaces at once, oldest first. */
  listForWorkspaces(workspaceIds: readonly string[], resolved?: boolean): Promise<ThreadRecord[]>;
  /** Resolves (`resolvedAt` set) or reopens (null) a thread. */
  setResolved(id: string, resolvedAt: string | null, resolvedBy: string | null): Promise<ThreadRecord | null>;
  /** Points the thread at a section (migrating threads that knew only a section's title). */
  setSectionId(id: string, sectionId: string): Promise<void>;
  delete(id: string): Promise<void>;
  addComment(comment: CommentRecord): Promise<void>;
  findComment(id: string): Promise<CommentRecord | null>;
  findComments(ids: readonly string[]): Promise<CommentRecord[]>;
  updateComment(id: string, patch: CommentPatch): Promise<CommentRecord | null>;
  /** Comments of these threads, oldest first. */
  listComments(threadIds: readonly string[]): Promise<CommentRecord[]>;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  kind: NotificationKind;
  workspaceId: string;
  documentId: string;
  /** Null for a notification about a section's status. */
  threadId: string | null;
  commentId: string | null;
  sectionId: string | null;
  /** The section's title when it happened (a label: the id is what it points at). */
  sectionTitle: string | null;
  actorId: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationRepository {
  createMany(notifications: readonly NotificationRecord[]): Promise<void>;
  /** Newest first. */
  listForUser(userId: string, limit: number): Promise<NotificationRecord[]>;
  countUnread(userId: string): Promise<number>;
  /** Marks the given notifications (or all, when `ids` is null) of the user read. */
  markRead(userId: string, ids: readonly string[] | null, at: string): Promise<number>;
  /** Retention: deletes notifications created before `before`; returns how many. */
  deleteCreatedBefore(before: string): Promise<number>;
}

/**
 * What the store knows about a section beyond its text (which is in the Yjs document,
 * where any writer could forge it): who owns it and where it is in the workflow. A
 * section with no record is a draft without an owner.
 */
export interface SectionRecord {
  documentId: string;
  sectionId: string;
  ownerId: string | null;
  status: SectionStatus;
  updatedAt: string;
  updatedBy: string;
}

/** One change of a section's owner or status: who, when, from, to. */
export interface SectionEventRecord {
  id: string;
  documentId: string;
  sectionId: string;
  kind: 'owner' | 'status';
  from: string | null;
  to: string | null;
  at: string;
  by: string;
}

export interface SectionRepository {
  listForDocument(documentId: string): Promise<SectionRecord[]>;
  listForDocuments(documentIds: readonly string[]): Promise<SectionRecord[]>;
  /** Sections owned by a person, across documents. */
  listOwnedBy(userId: string): Promise<SectionRecord[]>;
  /** Agreed sections of documents, for the collaboration server's locks. */
  find(documentId: string, sectionId: string): Promise<SectionRecord | null>;
  /** Writes the section's new state and the event that led to it, together. */
  save(record: SectionRecord, event: SectionEventRecord): Promise<void>;
  /** The section's (or the whole document's) events, oldest first. */
  events(documentId: string, sectionId?: string): Promise<SectionEventRecord[]>;
}

/**
 * One authored change in a document's history: exactly the update the server accepted
 * (what the update log got too), who sent it — from the server's session, never from the
 * client — and when. History is kept apart from the load path: compaction folds the
 * update log into the snapshot but never touches it.
 */
export interface HistoryEntry {
  /** The entry's place in the document's history; opaque, ordered by the store. */
  cursor: string;
  docId: string;
  /** The account that sent it (`SERVER_AUTHOR` for the server's own fixes and for the baseline). */
  userId: string;
  at: string;
  data: Uint8Array;
}

export interface HistoryRange {
  /** Entries after this cursor (null or absent: from the first). */
  after?: string | null;
  /** Entries up to and including this cursor (null or absent: to the latest). */
  upTo?: string | null;
  /**
   * Also the entries ordered at or before `after` that may have been stored only after
   * `after` was handed out. With one writer (SQLite) entries are ordered as they are
   * stored, so there are none. With several server instances on one MongoDB, an entry's
   * place is its id, given just before the write by the instance that writes it: an
   * instance whose ids sort lower in the same second, or a slow write, can put an entry
   * behind a cursor someone already read (`latest`). With `late`, the store adds every
   * entry that could have landed there (mongo/history.ts `LATE_WINDOW_SECONDS`). Yjs
   * updates are idempotent, so callers apply them all and ignore those that change nothing.
   */
  late?: boolean;
}

export interface HistoryRepository {
  /** The entries of `range`, oldest first. (Entries are appended by `content.append`, in the same durable write.) */
  list(docId: string, range?: HistoryRange): Promise<HistoryEntry[]>;
  /** The cursor of the latest entry; null when the document has no history yet. */
  latest(docId: string): Promise<string | null>;
  /**
   * For documents written before history was kept: records their current content as the
   * first entry (by `SERVER_AUTHOR`), ordered before anything appended later. Does
   * nothing when the document has history already. Returns whether it wrote.
   */
  ensureBaseline(docId: string, state: Uint8Array, at: string): Promise<boolean>;
  /** Documents whose content exists but whose history is empty (for the baseline at start-up). */
  documentsWithoutHistory(): Promise<string[]>;
  /** Bytes the document's history takes (the entries' data), for the benchmark. */
  bytes(docId: string): Promise<number>;
}

export type VersionKind = 'auto' | 'named' | 'meeting' | 'restore';

/** A point in a document's history that people can return to and compare against. */
export interface VersionRecord {
  id: string;
  docId: string;
  kind: VersionKind;
  name: string;
  note: string | null;
  createdAt: string;
  /** Who named it, restored, or ran the meeting; `SERVER_AUTHOR` for automatic versions. */
  createdBy: string;
  /** The last history entry it includes (null: the document had no history). */
  cursor: string | null;
  meetingId: string | null;
  /** Accounts whose changes it holds since the version before it, in order of first change. */
  authors: string[];
}

export interface VersionRepository {
  /** Stores the version and the document's content at it (`state`: a Yjs update of the whole document, chunked under 16 MB where needed). */
  create(version: VersionRecord, state: Uint8Array): Promise<void>;
  /** The document's versions, newest first, without their content. */
  list(docId: string): Promise<VersionRecord[]>;
  find(docId: string, id: string): Promise<VersionRecord | null>;
  /** The content at a version (as given to `create`); null for an unknown version. */
  state(docId: string, id: string): Promise<Uint8Array | null>;
  /**
   * Housekeeping: deletes stored content no version points at (a create that died between
   * writing the content and its record), written before `writtenBefore` — a younger one
   * may belong to a create still under way. Returns how many pieces it deleted.
   */
  deleteUnreferencedContent(writtenBefore: string): Promise<number>;
}

/** Up to where a person has seen a document: the history cursor when they last left it. */
export interface VisitRecord {
  docId: string;
  userId: string;
  cursor: string | null;
  at: string;
}

export interface VisitRepository {
  /** Records (replaces) the person's last visit of the document. */
  record(visit: VisitRecord): Promise<void>;
  find(docId: string, userId: string): Promise<VisitRecord | null>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly invitations: InvitationRepository;
  readonly workspaces: WorkspaceRepository;
  readonly memberships: MembershipRepository;
  readonly documents: DocumentRepository;
  readonly content: DocumentContentRepository;
  readonly meetings: MeetingRepository;
  readonly threads: ThreadRepository;
  readonly notifications: NotificationRepository;
  readonly sections: SectionRepository;
  readonly history: HistoryRepository;
  readonly versions: VersionRepository;
  readonly visits: VisitRepository;
  /** Liveness probe for /api/health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Who may do what — the one place (PRODUCT.md, "Roles"). Everything else asks `can()`:
 * the server's `authorize()` before every route, socket handler and `/collab` upgrade,
 * and the presenters that send each entity with its `abilities`, which is all the
 * client reads.
 *
 * | role        | edit drafts | comment | resolve threads | archive documents | manage members | run meetings |
 * |-------------|-------------|---------|-----------------|-------------------|----------------|--------------|
 * | chair       | yes         | yes     | yes             | yes               | yes            | yes          |
 * | lead        | yes         | yes     | yes             | yes               | no             | no           |
 * | contributor | yes         | yes     | own threads     | no                | no             | no           |
 * | observer    | no          | yes     | own threads     | no                | no             | no           |
 *
 * An administrator acts as chair in every workspace where they are not a member; only
 * administrators manage accounts and workspaces themselves.
 */
import type { Role } from '../domain/roles.js';
import type { SectionStatus } from '../domain/sections.js';

/** Who is asking: the account and, for a workspace's things, their role there. */
export interface Actor {
  userId: string;
  isAdmin: boolean;
  /** The role in the subject's workspace (an administrator who is not a member: chair); null outside it. */
  role: Role | null;
}

interface DocumentSubject {
  archived: boolean;
}
interface ThreadSubject {
  createdBy: string;
}
interface CommentSubject {
  authorId: string;
}
interface MemberSubject {
  userId: string;
}
/** A member as the subject of member abilities: the account and their role in the workspace. */
interface MemberOfWorkspace extends MemberSubject {
  role: Role;
}
interface SectionSubject {
  ownerId: string | null;
}
interface SectionMove extends SectionSubject {
  from: SectionStatus;
  to: SectionStatus;
}

/** Every action with the subject it is judged on. */
export interface ActionSubjects {
  'workspace.view': null;
  'workspace.manageMembers': null;
  'workspace.createDocument': null;
  'workspace.runMeetings': null;
  'member.change': MemberSubject;
  'document.view': null;
  'document.edit': DocumentSubject;
  'document.rename': DocumentSubject;
  'document.archive': DocumentSubject;
  'document.comment': DocumentSubject;
  'section.setOwner': SectionSubject;
  'section.own': null;
  'section.setStatus': SectionMove;
  'section.editAgreed': SectionSubject;
  'version.create': DocumentSubject;
  'version.restore': DocumentSubject;
  'version.restoreSection': DocumentSubject & SectionSubject;
  'thread.resolve': ThreadSubject;
  'comment.edit': CommentSubject;
  'comment.delete': CommentSubject;
  'meeting.join': null;
  'meeting.run': null;
  'meeting.exportAttendance': null;
  'meeting.writeMinutes': null;
  'people.browse': null;
  'admin.accounts': null;
  'admin.workspaces': null;
}

export type Action = keyof ActionSubjects;

type Rule<A extends Action> = (actor: Actor, subject: ActionSubjects[A]) => boolean;

const isMember = (actor: Actor) => actor.role !== null;
const isChair = (actor: Actor) => actor.role === 'chair';
const edits = (actor: Actor) => actor.role === 'chair' || actor.role === 'lead' || actor.role === 'contributor';
const archives = (actor: Actor) => actor.role === 'chair' || actor.role === 'lead';

const RULES: { [A in Action]: Rule<A> } = {
  'workspace.view': isMember,
  'workspace.manageMembers': isChair,
  'workspace.createDocument': edits,
  'workspace.runMeetings': isChair,
  // A chair changes others; only an administrator may change themselves.
  'member.change': (actor, member) => isChair(actor) && (member.userId !== actor.userId || actor.isAdmin),
  'document.view': isMember,
  'document.edit': (actor, document) => edits(actor) && !document.archived,
  // Once archived, a document is the chairs' and leads' (who may restore it).
  'document.rename': (actor, document) => edits(actor) && (!document.archived || archives(actor)),
  'document.archive': archives,
  'document.comment': (actor, document) => isMember(actor) && (!document.archived || archives(actor)),
  // Chairs run every section; a lead or contributor owning one sends it to review and back.
  'section.setOwner': isChair,
  // Who may be made a section's owner (the actor is the candidate): those who edit drafts.
  'section.own': edits,
  'section.setStatus': (actor, move) => {
    if (isChair(actor)) return true;
    const owns = edits(actor) && move.ownerId === actor.userId;
    if (!owns) return false;
    // Agreeing and reopening: chairs, and the owner if a lead.
    if (move.to === 'agreed' || move.from === 'agreed') return actor.role === 'lead';
    return true;
  },
  // Agreed text is changed only by those who may reopen the section.
  'section.editAgreed': (actor, section) => isChair(actor) || (actor.role === 'lead' && section.ownerId === actor.userId),
  // Naming a version is for those who edit; restoring rewrites others' work: chairs, and leads for their own sections.
  'version.create': (actor, document) => edits(actor) && !document.archived,
  'version.restore': (actor, document) => isChair(actor) && !document.archived,
  'version.restoreSection': (actor, subject) => !subject.archived && (isChair(actor) || (actor.role === 'lead' && subject.ownerId === actor.userId)),
  'thread.resolve': (actor, thread) => isMember(actor) && (thread.createdBy === actor.userId || archives(actor)),
  'comment.edit': (actor, comment) => isMember(actor) && comment.authorId === actor.userId,
  'comment.delete': (actor, comment) => isMember(actor) && comment.authorId === actor.userId,
  'meeting.join': isMember,
  'meeting.run': isChair,
  'meeting.exportAttendance': isChair,
  // The minutes start from the attendance record, which is the chairs'.
  'meeting.writeMinutes': isChair,
  // The directory of accounts, for adding members: whoever manages members somewhere (`role`: their best role).
  'people.browse': (actor) => actor.isAdmin || isChair(actor),
  'admin.accounts': (actor) => actor.isAdmin,
  'admin.workspaces': (actor) => actor.isAdmin,
};

/** Whether `actor` may do `action` with `subject`. */
export function can<A extends Action>(actor: Actor, action: A, ...subject: ActionSubjects[A] extends null ? [] : [ActionSubjects[A]]): boolean {
  const rule = RULES[action] as Rule<A>;
  return rule(actor, (subject[0] ?? null) as ActionSubjects[A]);
}

/** The actions of the policy, for the table-driven test and documentation. */
export const ACTIONS = Object.keys(RULES) as Action[];

/* ------------------------------------------------------------- abilities */

/** What the person may do in a workspace, sent with it. */
export interface WorkspaceAbilities {
  createDocuments: boolean;
  manageMembers: boolean;
  runMeetings: boolean;
  comment: boolean;
  /** Agree anyone's sections (what "Waiting for me" on the home page is for). */
  agreeSections: boolean;
}

export function workspaceAbilities(actor: Actor): WorkspaceAbilities {
  return {
    createDocuments: can(actor, 'workspace.createDocument'),
    manageMembers: can(actor, 'workspace.manageMembers'),
    runMeetings: can(actor, 'workspace.runMeetings'),
    comment: isMember(actor),
    agreeSections: can(actor, 'section.setStatus', { ownerId: null, from: 'in-review', to: 'agreed' }),
  };
}

/** What the person may do with a document. */
export interface DocumentAbilities {
  /** Change its content (not an observer, not archived). */
  edit: boolean;
  rename: boolean;
  /** Archive it, or restore it when archived. */
  archive: boolean;
  /** Start threads and reply (on an archived document: only those who may restore it). */
  comment: boolean;
  /** Resolve and reopen anyone's threads here (chairs, leads). */
  resolveAnyThread: boolean;
  /** Resolve and reopen the threads one started. */
  resolveOwnThreads: boolean;
  /** Restore a whole version of it (chairs, not archived). */
  restoreVersions: boolean;
}

export function documentAbilities(actor: Actor, document: DocumentSubject): DocumentAbilities {
  return {
    edit: can(actor, 'document.edit', document),
    rename: can(actor, 'document.rename', document),
    archive: can(actor, 'document.archive', document),
    comment: can(actor, 'document.comment', document),
    resolveAnyThread: can(actor, 'thread.resolve', { createdBy: NOBODY }),
    resolveOwnThreads: can(actor, 'thread.resolve', { createdBy: actor.userId }),
    restoreVersions: can(actor, 'version.restore', document),
  };
}

/** A thread author nobody is: "may resolve anyone's thread" is asked with it. */
const NOBODY = '\u0000nobody';

/** What the person may do with a thread. */
export interface ThreadAbilities {
  resolve: boolean;
  reply: boolean;
}

export function threadAbilities(actor: Actor, thread: ThreadSubject, document: DocumentSubject): ThreadAbilities {
  return { resolve: can(actor, 'thread.resolve', thread), reply: can(actor, 'document.comment', document) };
}

/** What the person may do with one comment. */
export interface CommentAbilities {
  edit: boolean;
  delete: boolean;
}

export function commentAbilities(actor: Actor, comment: CommentSubject): CommentAbilities {
  return { edit: can(actor, 'comment.edit', comment), delete: can(actor, 'comment.delete', comment) };
}

/** What the person may do with a member of a workspace. */
export interface MemberAbilities {
  changeRole: boolean;
  remove: boolean;
  /** The member may be made a section's owner (their role edits drafts). */
  ownSections: boolean;
}

export function memberAbilities(actor: Actor, member: MemberOfWorkspace): MemberAbilities {
  const allowed = can(actor, 'member.change', member);
  return { changeRole: allowed, remove: allowed, ownSections: can({ userId: member.userId, isAdmin: false, role: member.role }, 'section.own') };
}

/** What the person may do with a section (sent with it). */
export interface SectionAbilities {
  setOwner: boolean;
  /** Statuses the person may move it to from where it is. */
  moveTo: SectionStatus[];
  /** Change its text while it is agreed. */
  editAgreed: boolean;
}

export function sectionAbilities(actor: Actor, section: SectionSubject & { status: SectionStatus }, transitions: readonly (readonly [SectionStatus, SectionStatus])[]): SectionAbilities {
  return {
    setOwner: can(actor, 'section.setOwner', section),
    moveTo: transitions.filter(([from]) => from === section.status).map(([, to]) => to).filter((to) => can(actor, 'section.setStatus', { ownerId: section.ownerId, from: section.status, to })),
    editAgreed: can(actor, 'section.editAgreed', section),
  };
}

/** What the person may do with a meeting. */
export interface MeetingAbilities {
  join: boolean;
  run: boolean;
  exportAttendance: boolean;
  writeMinutes: boolean;
}

export function meetingAbilities(actor: Actor): MeetingAbilities {
  return {
    join: can(actor, 'meeting.join'),
    run: can(actor, 'meeting.run'),
    exportAttendance: can(actor, 'meeting.exportAttendance'),
    writeMinutes: can(actor, 'meeting.writeMinutes'),
  };
}

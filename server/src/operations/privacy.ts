/**
 * A person's data under the GDPR: what the store holds about them (access, Art. 15;
 * portability, Art. 20) and erasure by anonymisation (Art. 17). Anonymising keeps what
 * others need — comments stay in their threads, attendance counts and quorum stay right,
 * documents are unchanged — but nothing there names the person any more: their name is
 * replaced everywhere it is shown, because every view looks names up by account id,
 * except attendance records, which keep a copy (as they were when the person came) and
 * are rewritten here.
 *
 * Not covered: what people typed into documents, comment bodies and meeting titles (free
 * text that may mention the person by name), and backups taken before.
 */
import type { AppContext } from '../context.js';
import type {
  AttendeeRecord,
  CommentRecord,
  IntervalRecord,
  InvitationRecord,
  MeetingRecord,
  MembershipRecord,
  NotificationRecord,
  SectionRecord,
  Store,
  ThreadRecord,
  UserRecord,
  VersionRecord,
} from '../storage/port.js';

export interface PersonalDataExport {
  exportedAt: string;
  account: Omit<UserRecord, 'passwordHash'>;
  memberships: MembershipRecord[];
  invitations: Omit<InvitationRecord, 'tokenHash'>[];
  threadsStarted: ThreadRecord[];
  comments: CommentRecord[];
  attendance: { meeting: Pick<MeetingRecord, 'id' | 'workspaceId' | 'title' | 'startedAt' | 'endedAt'>; attendee: AttendeeRecord; intervals: IntervalRecord[] }[];
  notifications: NotificationRecord[];
  sectionsOwned: SectionRecord[];
  versionsNamed: VersionRecord[];
}

/** More than anyone receives: every notification the person has. */
const ALL_NOTIFICATIONS = 1_000_000;

/** Everything the store holds about the account, without secrets (password hash, token hashes). */
export async function exportPersonalData(store: Store, user: UserRecord): Promise<PersonalDataExport> {
  const { passwordHash: _secret, ...account } = user;
  const workspaces = await store.workspaces.list();
  const workspaceIds = workspaces.map((w) => w.id);
  const threads = await store.threads.listForWorkspaces(workspaceIds);
  const comments = (await store.threads.listComments(threads.map((t) => t.id))).filter((c) => c.authorId === user.id);
  const attendance: PersonalDataExport['attendance'] = [];
  const versionsNamed: VersionRecord[] = [];
  for (const workspace of workspaces) {
    for (const meeting of await store.meetings.listForWorkspace(workspace.id)) {
      const { attendees, intervals } = await store.meetings.attendance(meeting.id);
      const attendee = attendees.find((a) => a.userId === user.id);
      if (!attendee) continue;
      const { id, workspaceId, title, startedAt, endedAt } = meeting;
      attendance.push({ meeting: { id, workspaceId, title, startedAt, endedAt }, attendee, intervals: intervals.filter((i) => i.userId === user.id) });
    }
    for (const document of await store.documents.listForWorkspace(workspace.id)) {
      versionsNamed.push(...(await store.versions.list(document.id)).filter((v) => v.createdBy === user.id));
    }
  }
  const invitations = (await store.invitations.list())
    .filter((i) => i.email.toLowerCase() === user.email.toLowerCase())
    .map(({ tokenHash: _token, ...rest }) => rest);
  return {
    exportedAt: new Date().toISOString(),
    account,
    memberships: await store.memberships.listForUser(user.id),
    invitations,
    threadsStarted: threads.filter((t) => t.createdBy === user.id),
    comments,
    attendance,
    notifications: await store.notifications.listForUser(user.id, ALL_NOTIFICATIONS),
    sectionsOwned: await store.sections.listOwnedBy(user.id),
    versionsNamed,
  };
}

/** The name shown for an anonymised account: "Former member" and the start of its id, so several stay apart. */
export function anonymisedName(userId: string): string {
  return `Former member ${userId.slice(0, 6)}`;
}

/** An address that is unique and can never receive mail or be signed in with (`.invalid` is reserved, RFC 2606). */
export function anonymisedEmail(userId: string): string {
  return `former-member-${userId.toLowerCase()}@anonymised.invalid`;
}

/**
 * Anonymises the account: deactivated, signed out everywhere (open sockets closed), name,
 * email, organisation and password replaced, administrator rights removed; attendance
 * records renamed (email and organisation blanked; country and role kept for the counts);
 * invitations to the old address deleted. Memberships stay (an inactive account has no access).
 */
export async function anonymiseAccount(ctx: Pick<AppContext, 'store' | 'accessEvents'>, user: UserRecord): Promise<UserRecord> {
  const { store } = ctx;
  const name = anonymisedName(user.id);
  const email = anonymisedEmail(user.id);
  // Deactivate and sign out first: from here on, nothing new is written in their name.
  await store.users.update(user.id, { active: false, isAdmin: false });
  await store.sessions.deleteForUser(user.id);
  ctx.accessEvents.emit('userSignedOut', { userId: user.id });
  const updated = await store.users.update(user.id, { name, email, organisation: '', passwordHash: '!anonymised' });
  await store.meetings.renameAttendee(user.id, name, '');
  for (const invitation of await store.invitations.list()) {
    if (invitation.email.toLowerCase() === user.email.toLowerCase()) await store.invitations.delete(invitation.id);
  }
  // Administrators see every workspace: open connections lose them now.
  if (user.isAdmin) for (const workspace of await store.workspaces.list()) ctx.accessEvents.emit('membershipChanged', { workspaceId: workspace.id, userId: user.id });
  return updated!;
}

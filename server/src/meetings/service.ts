/**
 * Meetings: one running meeting per workspace, started and ended by a chair; attendance
 * recorded by the server from what connections do (join, leave, disconnect), never
 * from what a client says about who it is.
 */
import { EventEmitter } from 'node:events';
import type { MeetingState, StartMeetingRequest, UpdateMeetingRequest } from '@jane/shared';
import type { MeetingRecord, Store, UserRecord } from '../storage/port.js';
import { DuplicateKeyError } from '../storage/port.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { authorize, requireWorkspaceAccess } from '../policies/authorize.js';
import { buildMeetingState } from './attendance.js';

export interface MeetingEventMap {
  changed: [{ workspaceId: string; meetingId: string; state: MeetingState }];
}


/** An agenda item as stored: a title, and optionally the document and section (by id) it is about. */
function agendaItem(item: NonNullable<StartMeetingRequest['agenda']>[number]) {
  return { title: item.title, documentId: item.documentId ?? null, sectionId: item.sectionId ?? null, sectionTitle: item.sectionTitle ?? null };
}

export class MeetingService extends EventEmitter<MeetingEventMap> {
  constructor(private readonly store: Store) {
    super();
  }

  async state(meetingId: string): Promise<MeetingState> {
    const meeting = await this.store.meetings.findById(meetingId);
    if (!meeting) throw new NotFoundError('This meeting does not exist.');
    const [{ attendees, intervals }, starter, memberships] = await Promise.all([
      this.store.meetings.attendance(meetingId),
      this.store.users.findById(meeting.startedBy),
      this.store.memberships.listForWorkspace(meeting.workspaceId),
    ]);
    const users = new Map((await this.store.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    const members = memberships.flatMap((m) => {
      const user = users.get(m.userId);
      return user ? [{ userId: user.id, name: user.name, country: user.country, organisation: user.organisation, role: m.role, active: user.active }] : [];
    });
    return buildMeetingState({ meeting, attendees, intervals, startedByName: starter?.name ?? 'a former member', members });
  }

  /** The meeting and the actor's access to it, if the policy allows `action` (403/404 otherwise). */
  async access(user: UserRecord, meetingId: string, action: 'meeting.join' | 'meeting.run' | 'meeting.exportAttendance' | 'meeting.writeMinutes') {
    const meeting = await this.store.meetings.findById(meetingId);
    if (!meeting) throw new NotFoundError('This meeting does not exist.');
    const access = await requireWorkspaceAccess(this.store, user, meeting.workspaceId);
    authorize(access.actor, action);
    return { meeting, ...access };
  }

  /** Agenda items may point only at documents of the meeting's own workspace (400 otherwise). */
  private async checkAgenda(workspaceId: string, agenda: StartMeetingRequest['agenda']): Promise<void> {
    for (const item of agenda ?? []) {
      if (!item.documentId) continue;
      const document = await this.store.documents.findById(item.documentId);
      if (!document || document.workspaceId !== workspaceId) {
        throw new BadRequestError(`The agenda item “${item.title}” points to a document that is not in this workspace.`);
      }
    }
  }

  private readonly meetingListeners: ((moment: 'start' | 'end', meeting: MeetingRecord, by: string) => void)[] = [];

  /** Calls `listener` after a meeting starts or ends (version history takes "Before/After meeting" versions). */
  onMeeting(listener: (moment: 'start' | 'end', meeting: MeetingRecord, by: string) => void): void {
    this.meetingListeners.push(listener);
  }

  private async notify(moment: 'start' | 'end', meetingId: string, by: string): Promise<void> {
    const meeting = await this.store.meetings.findById(meetingId);
    if (meeting) for (const listener of this.meetingListeners) listener(moment, meeting, by);
  }

  async start(user: UserRecord, workspaceId: string, request: StartMeetingRequest & { title: string }): Promise<MeetingState> {
    authorize((await requireWorkspaceAccess(this.store, user, workspaceId)).actor, 'meeting.run');
    await this.checkAgenda(workspaceId, request.agenda);
    const id = newId();
    try {
      await this.store.meetings.start({
        id,
        workspaceId,
        title: request.title,
        agenda: (request.agenda ?? []).map(agendaItem),
        quorumCountries: request.quorumCountries ?? null,
        startedAt: new Date().toISOString(),
        startedBy: user.id,
        endedAt: null,
        minutesDocumentId: null,
      });
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw new ConflictError('A meeting is already running in this workspace. Join it, or end it first.');
      throw error;
    }
    await this.notify('start', id, user.id);
    return this.publish(id);
  }

  async update(user: UserRecord, meetingId: string, patch: UpdateMeetingRequest): Promise<MeetingState> {
    const { meeting } = await this.access(user, meetingId, 'meeting.run');
    if (meeting.endedAt) throw new ConflictError('This meeting has ended.');
    await this.checkAgenda(meeting.workspaceId, patch.agenda);
    await this.store.meetings.update(meetingId, {
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.quorumCountries !== undefined ? { quorumCountries: patch.quorumCountries } : {}),
      ...(patch.agenda !== undefined
        ? { agenda: patch.agenda.map(agendaItem) }
        : {}),
    });
    return this.publish(meetingId);
  }

  async end(user: UserRecord, meetingId: string): Promise<MeetingState> {
    const { meeting } = await this.access(user, meetingId, 'meeting.run');
    if (!(await this.store.meetings.end(meetingId, new Date().toISOString()))) {
      if (meeting.endedAt) throw new ConflictError('This meeting has already ended.');
    } else {
      await this.notify('end', meetingId, user.id);
    }
    return this.publish(meetingId);
  }

  /** Records that the user is in the meeting (a no-op while they already are). */
  async join(user: UserRecord, meetingId: string): Promise<MeetingState> {
    const { meeting, memberRole, role } = await this.access(user, meetingId, 'meeting.join');
    if (meeting.endedAt) throw new ConflictError('This meeting has ended.');
    const now = new Date().toISOString();
    const opened = await this.store.meetings.recordJoin(
      {
        meetingId,
        userId: user.id,
        name: user.name,
        email: user.email,
        country: user.country,
        organisation: user.organisation,
        role: memberRole ?? role,
        firstJoinedAt: now,
      },
      now,
    );
    return opened ? this.publish(meetingId) : this.state(meetingId);
  }

  /**
   * The user's last connection in the meeting went at `at`; they may be back within the
   * grace period. Recorded so that a meeting ending meanwhile does not count them present.
   */
  async disconnected(userId: string, meetingId: string, at: Date): Promise<void> {
    await this.store.meetings.recordDisconnect(meetingId, userId, at.toISOString());
  }

  /** The user is connected to the meeting after all (a reconnection raced with the disconnection). */
  async stillHere(userId: string, meetingId: string): Promise<void> {
    await this.store.meetings.recordReconnect(meetingId, userId);
  }

  /** Records that the user left at `at` (if they were present). */
  async leave(userId: string, meetingId: string, at: Date): Promise<void> {
    if (await this.store.meetings.recordLeave(meetingId, userId, at.toISOString())) await this.publish(meetingId);
  }

  /** Tells everyone in the workspace the meeting changed (e.g. its minutes were created). */
  async publish(meetingId: string): Promise<MeetingState> {
    const state = await this.state(meetingId);
    this.emit('changed', { workspaceId: state.meeting.workspaceId, meetingId, state });
    return state;
  }
}

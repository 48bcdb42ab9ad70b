/**
 * Meeting events on sockets, and attendance from connection events: joining puts the
 * connection in the meeting's room; when a person's last connection in that room goes
 * away, they are recorded as having left — unless they come back within the grace
 * period (a flaky network or a reload is not a leave). Checks look at the room across
 * all server instances, so it does not matter which instance a person reconnects to.
 */
import type { Logger } from 'pino';
import { IdSchema, StartMeetingRequestSchema, UpdateMeetingRequestSchema, type MeetingState } from '@jane/shared';
import { z } from 'zod';
import type { Store, UserRecord } from '../storage/port.js';
import { UnauthorizedError } from '../errors.js';
import type { MeetingService } from '../meetings/service.js';
import { parseOrThrow } from '../validation.js';
import { answer } from './acks.js';
import { meetingRoom, type RealtimeIO, type RealtimeSocket } from './types.js';

const MeetingRefSchema = z.strictObject({ meetingId: IdSchema });
const StartSchema = z.intersection(z.object({ workspaceId: IdSchema }), StartMeetingRequestSchema);
const UpdateSchema = z.intersection(z.object({ meetingId: IdSchema }), UpdateMeetingRequestSchema);

export class MeetingAttendance {
  private readonly pendingLeaves = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly io: RealtimeIO,
    private readonly store: Store,
    private readonly meetings: MeetingService,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  register(socket: RealtimeSocket): void {
    const user = async (): Promise<UserRecord> => {
      const record = await this.store.users.findById(socket.data.userId);
      if (!record || !record.active) throw new UnauthorizedError('Your session has ended. Sign in again.');
      return record;
    };
    socket.on('meeting:start', (request, ack) =>
      answer(ack, this.logger, async () => {
        const { workspaceId, ...body } = parseOrThrow(StartSchema, request, 'meeting');
        const started = await this.meetings.start(await user(), workspaceId, body);
        return this.join(socket, await user(), started.meeting.id);
      }),
    );
    socket.on('meeting:update', (request, ack) =>
      answer(ack, this.logger, async () => {
        const { meetingId, ...patch } = parseOrThrow(UpdateSchema, request, 'meeting change');
        return this.meetings.update(await user(), meetingId, patch);
      }),
    );
    socket.on('meeting:end', (request, ack) =>
      answer(ack, this.logger, async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        return this.meetings.end(await user(), meetingId);
      }),
    );
    socket.on('meeting:join', (request, ack) =>
      answer(ack, this.logger, async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        return this.join(socket, await user(), meetingId);
      }),
    );
    socket.on('meeting:leave', (request, ack) =>
      answer(ack, this.logger, async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        await this.meetings.access(await user(), meetingId, 'meeting.join');
        socket.data.meetingIds = socket.data.meetingIds.filter((id) => id !== meetingId);
        socket.leave(meetingRoom(meetingId));
        await this.leaveIfGone(socket.data.userId, meetingId, new Date());
        return this.meetings.state(meetingId);
      }),
    );
    socket.on('disconnect', () => {
      const at = new Date();
      for (const meetingId of socket.data.meetingIds) {
        this.scheduleCheck(socket.data.userId, meetingId, at);
        this.markIfGone(socket.data.userId, meetingId, at).catch((error) => this.logger.warn({ err: error, meetingId }, 'could not record a disconnection'));
      }
    });
  }

  private async join(socket: RealtimeSocket, user: UserRecord, meetingId: string): Promise<MeetingState> {
    const state = await this.meetings.join(user, meetingId);
    socket.join(meetingRoom(meetingId));
    if (!socket.data.meetingIds.includes(meetingId)) socket.data.meetingIds.push(meetingId);
    const key = `${meetingId}:${user.id}`;
    const pending = this.pendingLeaves.get(key);
    if (pending) {
      clearTimeout(pending);
      this.pendingLeaves.delete(key);
    }
    return state;
  }

  /** After the grace period, records a leave at `at` unless the person is back. */
  scheduleCheck(userId: string, meetingId: string, at: Date): void {
    const key = `${meetingId}:${userId}`;
    const previous = this.pendingLeaves.get(key);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.pendingLeaves.delete(key);
      this.leaveIfGone(userId, meetingId, at).catch((error) => {
        // E.g. other instances unreachable: we cannot tell whether they are still there; ask again later.
        this.logger.warn({ err: error, meetingId }, 'attendance check failed; checking again later');
        this.scheduleCheck(userId, meetingId, at);
      });
    }, this.graceMs);
    timer.unref();
    this.pendingLeaves.set(key, timer);
  }

  /** The person's last connection in the meeting (on any instance) went: note when, in case the meeting ends first. */
  private async markIfGone(userId: string, meetingId: string, at: Date): Promise<void> {
    const isHere = async () => (await this.io.in(meetingRoom(meetingId)).fetchSockets()).some((s) => s.data.userId === userId);
    if (await isHere()) return;
    await this.meetings.disconnected(userId, meetingId, at);
    // They may have come back while we wrote it.
    if (await isHere()) await this.meetings.stillHere(userId, meetingId);
  }

  private async leaveIfGone(userId: string, meetingId: string, at: Date): Promise<void> {
    const sockets = await this.io.in(meetingRoom(meetingId)).fetchSockets();
    if (sockets.some((s) => s.data.userId === userId)) {
      await this.meetings.stillHere(userId, meetingId);
      return;
    }
    await this.meetings.leave(userId, meetingId, at);
  }

  /**
   * After a restart, people recorded as present in running meetings get the same grace
   * period to reconnect; whoever does not is recorded as having left at the restart.
   */
  async recoverAfterRestart(): Promise<void> {
    const at = new Date();
    for (const meeting of await this.store.meetings.listRunning()) {
      const { intervals } = await this.store.meetings.attendance(meeting.id);
      for (const interval of intervals) {
        if (interval.leftAt === null) this.scheduleCheck(interval.userId, meeting.id, at);
      }
    }
  }

  close(): void {
    for (const timer of this.pendingLeaves.values()) clearTimeout(timer);
    this.pendingLeaves.clear();
  }
}

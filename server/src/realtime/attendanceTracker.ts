/**
 * Attendance from what connections do: when a person's last connection in a meeting's
 * room goes away they are recorded as having left — unless they come back within the
 * grace period (a flaky network or a reload is not a leave). The moment they went is
 * noted at once, so that a meeting ending meanwhile does not count them present at its
 * end. Checks look at the room across all server instances, so it does not matter
 * which instance a person reconnects to.
 */
import type { Logger } from 'pino';
import type { MeetingService } from '../meetings/service.js';
import type { Store } from '../storage/port.js';
import { meetingRoom, type RealtimeIO, type RealtimeSocket } from './types.js';

export class AttendanceTracker {
  private readonly pendingLeaves = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly io: RealtimeIO,
    private readonly store: Store,
    private readonly meetings: MeetingService,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** A connection joined the meeting: it is in the room, and a pending leave is off. */
  joined(socket: RealtimeSocket, meetingId: string): void {
    socket.join(meetingRoom(meetingId));
    if (!socket.data.meetingIds.includes(meetingId)) socket.data.meetingIds.push(meetingId);
    const key = `${meetingId}:${socket.data.userId}`;
    const pending = this.pendingLeaves.get(key);
    if (pending) {
      clearTimeout(pending);
      this.pendingLeaves.delete(key);
    }
  }

  /** A connection left the meeting on purpose (the Leave button). */
  async left(socket: RealtimeSocket, meetingId: string): Promise<void> {
    socket.data.meetingIds = socket.data.meetingIds.filter((id) => id !== meetingId);
    socket.leave(meetingRoom(meetingId));
    await this.leaveIfGone(socket.data.userId, meetingId, new Date());
  }

  /** A connection went away: every meeting it was in gets a grace period. */
  disconnected(socket: RealtimeSocket): void {
    const at = new Date();
    for (const meetingId of socket.data.meetingIds) {
      this.scheduleCheck(socket.data.userId, meetingId, at);
      this.markIfGone(socket.data.userId, meetingId, at).catch((error) => this.logger.warn({ err: error, meetingId }, 'could not record a disconnection'));
    }
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

  /** Records a leave at `at` unless one of the person's connections (on any instance) is in the meeting. */
  async leaveIfGone(userId: string, meetingId: string, at: Date): Promise<void> {
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

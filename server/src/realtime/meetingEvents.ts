/**
 * The meeting events of a socket: start, change, end, join, leave — each checked by the
 * meeting service (the policy) and answered with the meeting's state. Who is present is
 * tracked by attendanceTracker.ts.
 */
import type { Logger } from 'pino';
import { IdSchema, StartMeetingRequestSchema, UpdateMeetingRequestSchema, type MeetingState } from '@jane/shared';
import { z } from 'zod';
import type { Store, UserRecord } from '../storage/port.js';
import { UnauthorizedError } from '../errors.js';
import type { MeetingService } from '../meetings/service.js';
import { parseOrThrow } from '../validation.js';
import { answer, socketLog } from './acks.js';
import type { RealtimeSocket } from './types.js';
import type { AttendanceTracker } from './attendanceTracker.js';

const MeetingRefSchema = z.strictObject({ meetingId: IdSchema });
const StartSchema = z.intersection(z.object({ workspaceId: IdSchema }), StartMeetingRequestSchema);
const UpdateSchema = z.intersection(z.object({ meetingId: IdSchema }), UpdateMeetingRequestSchema);

export class MeetingEvents {
  constructor(
    private readonly store: Store,
    private readonly meetings: MeetingService,
    private readonly attendance: AttendanceTracker,
    private readonly logger: Logger,
  ) {}

  register(socket: RealtimeSocket): void {
    const user = async (): Promise<UserRecord> => {
      const record = await this.store.users.findById(socket.data.userId);
      if (!record || !record.active) throw new UnauthorizedError('Your session has ended. Sign in again.');
      return record;
    };
    socket.on('meeting:start', (request, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        const { workspaceId, ...body } = parseOrThrow(StartSchema, request, 'meeting');
        const started = await this.meetings.start(await user(), workspaceId, body);
        return this.join(socket, await user(), started.meeting.id);
      }),
    );
    socket.on('meeting:update', (request, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        const { meetingId, ...patch } = parseOrThrow(UpdateSchema, request, 'meeting change');
        return this.meetings.update(await user(), meetingId, patch);
      }),
    );
    socket.on('meeting:end', (request, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        return this.meetings.end(await user(), meetingId);
      }),
    );
    socket.on('meeting:join', (request, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        return this.join(socket, await user(), meetingId);
      }),
    );
    socket.on('meeting:leave', (request, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        const { meetingId } = parseOrThrow(MeetingRefSchema, request, 'meeting');
        await this.meetings.access(await user(), meetingId, 'meeting.join');
        await this.attendance.left(socket, meetingId);
        return this.meetings.state(meetingId);
      }),
    );
    socket.on('disconnect', () => this.attendance.disconnected(socket));
  }

  private async join(socket: RealtimeSocket, user: UserRecord, meetingId: string): Promise<MeetingState> {
    const state = await this.meetings.join(user, meetingId);
    this.attendance.joined(socket, meetingId);
    return state;
  }
}

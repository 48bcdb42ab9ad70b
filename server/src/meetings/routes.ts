/** Meetings over REST: past meetings, start/end (chairs), attendance exports and minutes (chairs). */
import { Router, type Request } from 'express';
import {
  CreateMinutesRequestSchema,
  IdSchema,
  StartMeetingRequestSchema,
  UpdateMeetingRequestSchema,
  type MeetingResponse,
  type MeetingsResponse,
  type MinutesResponse,
} from '@jane/shared';
import type { AppContext } from '../context.js';
import { requireUser } from '../auth/requestUser.js';
import { BadRequestError } from '../errors.js';
import { parseOrThrow } from '../validation.js';
import { requireWorkspaceAccess } from '../policies/authorize.js';
import { attendanceCsv, attendanceMarkdown, isTimeZone } from './attendance.js';
import { writeMinutes } from './minutes.js';
import type { MeetingService } from './service.js';

function timeZoneOf(req: Request): string {
  const zone = typeof req.query.tz === 'string' ? req.query.tz : 'UTC';
  if (!isTimeZone(zone)) throw new BadRequestError(`Unknown time zone "${zone}". Use an IANA name such as Europe/Rome.`);
  return zone;
}

function fileName(title: string, startedAt: string, extension: string): string {
  const slug = title.normalize('NFKD').replace(/[^\w\s-]/g, '').trim().replace(/\s+/g, '-').slice(0, 60) || 'meeting';
  return `attendance-${startedAt.slice(0, 10)}-${slug}.${extension}`;
}

export function meetingRoutes(ctx: AppContext, meetings: MeetingService): Router {
  const router = Router();

  router.get('/workspaces/:workspaceId/meetings', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    await requireWorkspaceAccess(ctx.store, user, workspaceId);
    const records = await ctx.store.meetings.listForWorkspace(workspaceId);
    res.json({ meetings: await Promise.all(records.map((m) => meetings.state(m.id))) } satisfies MeetingsResponse);
  });

  router.post('/workspaces/:workspaceId/meetings', async (req, res) => {
    const user = requireUser(req);
    const workspaceId = parseOrThrow(IdSchema, req.params.workspaceId, 'workspace id');
    const body = parseOrThrow(StartMeetingRequestSchema, req.body);
    res.status(201).json({ meeting: await meetings.start(user, workspaceId, body) } satisfies MeetingResponse);
  });

  router.get('/meetings/:meetingId', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    await meetings.access(user, meetingId, 'meeting.join');
    res.json({ meeting: await meetings.state(meetingId) } satisfies MeetingResponse);
  });

  router.patch('/meetings/:meetingId', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    const body = parseOrThrow(UpdateMeetingRequestSchema, req.body);
    res.json({ meeting: await meetings.update(user, meetingId, body) } satisfies MeetingResponse);
  });

  router.post('/meetings/:meetingId/end', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    res.json({ meeting: await meetings.end(user, meetingId) } satisfies MeetingResponse);
  });

  router.post('/meetings/:meetingId/minutes', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    const body = parseOrThrow(CreateMinutesRequestSchema, req.body ?? {});
    if (!isTimeZone(body.timeZone)) throw new BadRequestError(`Unknown time zone "${body.timeZone}". Use an IANA name such as Europe/Rome.`);
    const baseUrl = ctx.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
    const { document, created } = await writeMinutes(ctx, meetings, user, meetingId, { timeZone: body.timeZone, baseUrl });
    res.status(created ? 201 : 200).json({ document } satisfies MinutesResponse);
  });

  router.get('/meetings/:meetingId/attendance.csv', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    const timeZone = timeZoneOf(req);
    await meetings.access(user, meetingId, 'meeting.exportAttendance');
    const state = await meetings.state(meetingId);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(state.meeting.title, state.meeting.startedAt, 'csv')}"`);
    res.send(attendanceCsv(state, timeZone));
  });

  router.get('/meetings/:meetingId/attendance.md', async (req, res) => {
    const user = requireUser(req);
    const meetingId = parseOrThrow(IdSchema, req.params.meetingId, 'meeting id');
    const timeZone = timeZoneOf(req);
    const { workspace } = await meetings.access(user, meetingId, 'meeting.exportAttendance');
    const state = await meetings.state(meetingId);
    res.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName(state.meeting.title, state.meeting.startedAt, 'md')}"`);
    res.send(attendanceMarkdown(state, workspace.title, timeZone));
  });

  return router;
}

/**
 * Meetings in MongoDB without transactions. "One running meeting per workspace" and
 * "one open interval per person" are unique `_id`s in small marker collections
 * (`runningMeetings`, `openIntervals`): inserting a second one fails atomically.
 * Closed intervals are records (`closedIntervals`); open ones exist only as markers.
 */
import type { Db } from 'mongodb';
import { DuplicateKeyError, type AttendeeRecord, type IntervalRecord, type MeetingRecord, type MeetingRepository } from '../port.js';
import { records } from './records.js';
import { isDuplicateKey } from './util.js';

const personKey = (meetingId: string, userId: string) => `${meetingId}:${userId}`;

export const MEETINGS = records<MeetingRecord>('meetings', { key: (meeting) => meeting.id, defaults: { minutesDocumentId: null } });
export const ATTENDEES = records<AttendeeRecord>('meetingAttendees', { key: (attendee) => personKey(attendee.meetingId, attendee.userId) });
export const CLOSED_INTERVALS = records<IntervalRecord>('closedIntervals', {
  key: (interval) => `${personKey(interval.meetingId, interval.userId)}:${interval.joinedAt}`,
});

/** The marker of the workspace's running meeting: `_id` is the workspace's id. */
interface RunningMeeting {
  _id: string;
  meetingId: string;
}

/** The marker of a person's open interval: `_id` is `<meetingId>:<userId>`. */
interface OpenInterval {
  _id: string;
  meetingId: string;
  userId: string;
  joinedAt: string;
  /** Absent until the person's connection first goes (a missing field matches `null` in a filter). */
  disconnectedAt?: string | null;
}

export async function mongoMeetings(db: Db): Promise<MeetingRepository> {
  const meetings = MEETINGS.on(db);
  const attendees = ATTENDEES.on(db);
  const closedIntervals = CLOSED_INTERVALS.on(db);
  const running = db.collection<RunningMeeting>('runningMeetings');
  const openIntervals = db.collection<OpenInterval>('openIntervals');
  await Promise.all([
    meetings.collection.createIndex({ workspaceId: 1, startedAt: -1 }),
    attendees.collection.createIndex({ meetingId: 1 }),
    openIntervals.createIndex({ meetingId: 1 }),
    closedIntervals.collection.createIndex({ meetingId: 1, joinedAt: 1 }),
  ]);

  /** Closes one open interval: the closed copy is written before the marker goes. */
  async function close(open: OpenInterval, at: string): Promise<boolean> {
    await closedIntervals.insertIfAbsent({ meetingId: open.meetingId, userId: open.userId, joinedAt: open.joinedAt, leftAt: at, disconnectedAt: null });
    return (await openIntervals.deleteOne({ _id: open._id, joinedAt: open.joinedAt })).deletedCount === 1;
  }

  return {
    async pruneAttendanceDetails(endedBefore) {
      const ended = await meetings.collection.find({ endedAt: { $ne: null, $lt: endedBefore } }, { projection: { _id: 1 } }).toArray();
      if (ended.length === 0) return 0;
      const meetingId = { $in: ended.map((doc) => doc._id) };
      const closed = await closedIntervals.collection.deleteMany({ meetingId });
      const open = await openIntervals.deleteMany({ meetingId });
      const emails = await attendees.collection.updateMany({ meetingId, email: { $ne: '' } }, { $set: { email: '' } });
      return closed.deletedCount + open.deletedCount + emails.modifiedCount;
    },
    async renameAttendee(userId, name, email) {
      return (await attendees.collection.updateMany({ userId }, { $set: { name, email, organisation: '' } })).modifiedCount;
    },
    async start(meeting) {
      try {
        await running.insertOne({ _id: meeting.workspaceId, meetingId: meeting.id });
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('running meeting');
        throw error;
      }
      await meetings.insert(meeting);
    },
    findById: (id) => meetings.findById(id),
    async findRunning(workspaceId) {
      const marker = await running.findOne({ _id: workspaceId });
      return marker ? meetings.findById(marker.meetingId) : null;
    },
    async listRunning() {
      const markers = await running.find().toArray();
      return meetings.find({ _id: { $in: markers.map((marker) => marker.meetingId) } });
    },
    listForWorkspace: (workspaceId) => meetings.find({ workspaceId }, { startedAt: -1 }),
    async update(id, patch) {
      await meetings.patch(id, patch);
      return meetings.findById(id);
    },
    async setMinutes(id, documentId) {
      return (await meetings.collection.updateOne({ _id: id, minutesDocumentId: null }, { $set: { minutesDocumentId: documentId } })).modifiedCount === 1;
    },
    async end(id, at) {
      const meeting = await meetings.findOne({ _id: id, endedAt: null });
      if (!meeting) return false;
      const released = await running.deleteOne({ _id: meeting.workspaceId, meetingId: id });
      if (released.deletedCount !== 1) return false;
      await meetings.patch(id, { endedAt: at });
      for (const open of await openIntervals.find({ meetingId: id }).toArray()) await close(open, open.disconnectedAt ?? at);
      return true;
    },
    async recordJoin(attendee, at) {
      // The first join's snapshot is kept: attendance shows people as they were then.
      await attendees.insertIfAbsent(attendee);
      try {
        await openIntervals.insertOne({ _id: personKey(attendee.meetingId, attendee.userId), meetingId: attendee.meetingId, userId: attendee.userId, joinedAt: at });
        return true;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Already open: a reconnection within the grace period.
        await openIntervals.updateOne({ _id: personKey(attendee.meetingId, attendee.userId) }, { $set: { disconnectedAt: null } });
        return false;
      }
    },
    async recordDisconnect(meetingId, userId, at) {
      const result = await openIntervals.updateOne({ _id: personKey(meetingId, userId), disconnectedAt: null }, { $set: { disconnectedAt: at } });
      return result.modifiedCount === 1;
    },
    async recordReconnect(meetingId, userId) {
      await openIntervals.updateOne({ _id: personKey(meetingId, userId) }, { $set: { disconnectedAt: null } });
    },
    async recordLeave(meetingId, userId, at) {
      const open = await openIntervals.findOne({ _id: personKey(meetingId, userId) });
      return open ? close(open, at) : false;
    },
    async attendance(meetingId) {
      const [people, closed, open] = await Promise.all([
        attendees.find({ meetingId }, { firstJoinedAt: 1 }),
        closedIntervals.find({ meetingId }),
        openIntervals.find({ meetingId }).toArray(),
      ]);
      const intervals: IntervalRecord[] = [
        // Closed intervals stored before disconnections were recorded may lack `disconnectedAt`.
        ...closed.map((interval) => ({ ...interval, disconnectedAt: null })),
        ...open.map((doc) => ({ meetingId, userId: doc.userId, joinedAt: doc.joinedAt, leftAt: null, disconnectedAt: doc.disconnectedAt ?? null })),
      ].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
      return { attendees: people, intervals };
    },
  };
}

/**
 * Meetings in MongoDB without transactions. "One running meeting per workspace" and
 * "one open interval per person" are unique `_id`s in small marker collections
 * (`runningMeetings`, `openIntervals`): inserting a second one fails atomically.
 */
import type { Db } from 'mongodb';
import { DuplicateKeyError, type AttendeeRecord, type IntervalRecord, type MeetingRecord, type MeetingRepository } from '../port.js';
import { defined, isDuplicateKey, strip } from './util.js';

type WithId<T> = T & { _id: string };
interface OpenInterval {
  _id: string;
  meetingId: string;
  userId: string;
  joinedAt: string;
  disconnectedAt?: string | null;
}

const personKey = (meetingId: string, userId: string) => `${meetingId}:${userId}`;

export async function mongoMeetings(db: Db): Promise<MeetingRepository> {
  const meetings = db.collection<WithId<MeetingRecord>>('meetings');
  const running = db.collection<{ _id: string; meetingId: string }>('runningMeetings');
  const attendees = db.collection<WithId<AttendeeRecord>>('meetingAttendees');
  const openIntervals = db.collection<OpenInterval>('openIntervals');
  const closedIntervals = db.collection<WithId<IntervalRecord>>('closedIntervals');
  await Promise.all([
    meetings.createIndex({ workspaceId: 1, startedAt: -1 }),
    attendees.createIndex({ meetingId: 1 }),
    openIntervals.createIndex({ meetingId: 1 }),
    closedIntervals.createIndex({ meetingId: 1, joinedAt: 1 }),
  ]);

  /** Closes one open interval: the closed copy is written before the marker goes. */
  async function close(open: OpenInterval, at: string): Promise<boolean> {
    await closedIntervals.updateOne(
      { _id: `${open._id}:${open.joinedAt}` },
      { $setOnInsert: { meetingId: open.meetingId, userId: open.userId, joinedAt: open.joinedAt, leftAt: at, disconnectedAt: null } },
      { upsert: true },
    );
    return (await openIntervals.deleteOne({ _id: open._id, joinedAt: open.joinedAt })).deletedCount === 1;
  }

  return {
    async start(meeting) {
      try {
        await running.insertOne({ _id: meeting.workspaceId, meetingId: meeting.id });
      } catch (error) {
        if (isDuplicateKey(error)) throw new DuplicateKeyError('running meeting');
        throw error;
      }
      await meetings.insertOne({ _id: meeting.id, ...meeting });
    },
    async findById(id) {
      return strip(await meetings.findOne({ _id: id }));
    },
    async findRunning(workspaceId) {
      const marker = await running.findOne({ _id: workspaceId });
      return marker ? strip(await meetings.findOne({ _id: marker.meetingId })) : null;
    },
    async listRunning() {
      const markers = await running.find().toArray();
      const found = await meetings.find({ _id: { $in: markers.map((m) => m.meetingId) } }).toArray();
      return found.map((doc) => strip<MeetingRecord>(doc)!);
    },
    async listForWorkspace(workspaceId) {
      return (await meetings.find({ workspaceId }).sort({ startedAt: -1 }).toArray()).map((doc) => strip<MeetingRecord>(doc)!);
    },
    async update(id, patch) {
      const changes = defined(patch);
      if (Object.keys(changes).length > 0) await meetings.updateOne({ _id: id }, { $set: changes });
      return strip(await meetings.findOne({ _id: id }));
    },
    async end(id, at) {
      const meeting = await meetings.findOne({ _id: id, endedAt: null });
      if (!meeting) return false;
      const released = await running.deleteOne({ _id: meeting.workspaceId, meetingId: id });
      if (released.deletedCount !== 1) return false;
      await meetings.updateOne({ _id: id }, { $set: { endedAt: at } });
      for (const open of await openIntervals.find({ meetingId: id }).toArray()) await close(open, open.disconnectedAt ?? at);
      return true;
    },
    async recordJoin(attendee, at) {
      await attendees.updateOne({ _id: personKey(attendee.meetingId, attendee.userId) }, { $setOnInsert: attendee }, { upsert: true });
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
        attendees.find({ meetingId }).sort({ firstJoinedAt: 1 }).toArray(),
        closedIntervals.find({ meetingId }).toArray(),
        openIntervals.find({ meetingId }).toArray(),
      ]);
      const intervals: IntervalRecord[] = [
        ...closed.map((doc) => ({ ...strip<IntervalRecord>(doc)!, disconnectedAt: null })),
        ...open.map((doc) => ({ meetingId, userId: doc.userId, joinedAt: doc.joinedAt, leftAt: null, disconnectedAt: doc.disconnectedAt ?? null })),
      ].sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
      return { attendees: people.map((doc) => strip<AttendeeRecord>(doc)!), intervals };
    },
  };
}

/**
 * Two server instances behind (imaginary) load balancing, sharing MongoDB and Redis:
 * people on different instances see each other in presence and in a meeting.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '@jane/shared';
import { openMongoStore } from '../src/storage/mongo/mongoStore.js';
import { waitFor } from './helpers/collab.js';
import { startTestMongo, type TestMongo } from './helpers/mongo.js';
import { createPerson, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { requireRedis } from './helpers/redis.js';

let mongo: TestMongo;
let first: TestServer;
let second: TestServer;
let workspaceId: string;
let chair: TestPerson;
let member: TestPerson;
const sockets: RealtimeClient[] = [];

beforeAll(async () => {
  const redisUrl = await requireRedis();
  mongo = await startTestMongo();
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: `jane-test-${randomUUID()}`, MONGODB_URI: mongo.uri };
  first = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  second = await startTestServer({ env, store: await openMongoStore({ uri: mongo.uri }) });
  workspaceId = (await first.store.workspaces.list())[0]!.id;
  chair = await createPerson(first, { name: 'Chair on A', country: 'NL', roles: { [workspaceId]: 'chair' } });
  member = await createPerson(second, { name: 'Member on B', country: 'AT', roles: { [workspaceId]: 'contributor' } });
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await first?.stop();
  await second?.stop();
  await mongo?.stop();
});

describe('two instances with Redis', () => {
  it('share presence: someone connected to one instance sees someone on the other', async () => {
    const onA = await connectRealtime(first.url, chair.api.cookie);
    const onB = await connectRealtime(second.url, member.api.cookie);
    sockets.push(onA, onB);
    await call(onB, 'presence:update', { workspaceId, documentId: null, sectionTitle: null, activity: 'active', hidden: false });
    await waitFor(() => onA.people(workspaceId).some((p) => p.name === 'Member on B' && p.location.kind === 'workspace'), 2000, 'B seen on A');
    await waitFor(() => onB.people(workspaceId).some((p) => p.name === 'Chair on A'), 2000, 'A seen on B');
    // A fresh snapshot on A gathers connections from both instances.
    const late = await connectRealtime(first.url, chair.api.cookie);
    sockets.push(late);
    expect(late.people(workspaceId).map((p) => p.name).sort()).toEqual(['Chair on A', 'Member on B']);
  });

  it('share meetings: a meeting started on one instance is joined from the other, and the chair sees the attendee', async () => {
    const onA = await connectRealtime(first.url, chair.api.cookie);
    const onB = await connectRealtime(second.url, member.api.cookie);
    sockets.push(onA, onB);
    const started = await call<MeetingState>(onA, 'meeting:start', { workspaceId, title: 'Cross-instance call' });
    await waitFor(() => onB.meetings.get(workspaceId)?.meeting.id === started.meeting.id, 2000, 'banner on B');
    await call(onB, 'meeting:join', { meetingId: started.meeting.id });
    await waitFor(
      () => onA.meetings.get(workspaceId)?.attendees.some((a) => a.name === 'Member on B' && a.country === 'AT' && a.present) ?? false,
      2000,
      'attendee seen on A',
    );
    await call(onA, 'meeting:end', { meetingId: started.meeting.id });
  });
});

/** Meetings and attendance: role checks, live state, grace periods, restarts and exports. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '@jane/shared';
import { startServer } from '../src/app.js';
import { waitFor } from './helpers/collab.js';
import { createPerson, TEST_PASSWORD, type TestPerson } from './helpers/people.js';
import { call, connectRealtime, emitWithAck, type RealtimeClient } from './helpers/realtime.js';
import { startTestServer, testConfig, type TestServer } from './helpers/server.js';
import { ApiClient } from './helpers/api.js';
import { pino } from 'pino';

const GRACE_MS = 400;
let server: TestServer;
let workspaceId: string;
let chair: TestPerson;
let italian: TestPerson;
let german: TestPerson;
let observer: TestPerson;
const sockets: RealtimeClient[] = [];

async function open(person: TestPerson, url = server.url): Promise<RealtimeClient> {
  const socket = await connectRealtime(url, person.api.cookie);
  sockets.push(socket);
  return socket;
}

/** A small RFC 4180 reader (quoted cells, doubled quotes), as a spreadsheet reads the file. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      rows.push([...row, cell]);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell || row.length > 0) rows.push([...row, cell]);
  return rows;
}

async function endRunning(): Promise<void> {
  const running = await server.store.meetings.findRunning(workspaceId);
  if (running) await server.store.meetings.end(running.id, new Date().toISOString());
}

beforeAll(async () => {
  server = await startTestServer({ env: { MEETING_GRACE_MS: String(GRACE_MS) } });
  workspaceId = (await server.store.workspaces.list()).find((w) => w.title === 'Survivorship')!.id;
  chair = await createPerson(server, { name: 'Giulia Rossi', country: 'IT', roles: { [workspaceId]: 'chair' } });
  italian = await createPerson(server, { name: 'Marco Bruno', country: 'IT', roles: { [workspaceId]: 'contributor' } });
  german = await createPerson(server, { name: 'Jonas Becker', country: 'DE', roles: { [workspaceId]: 'lead' } });
  observer = await createPerson(server, { name: 'Mikkel Jensen', country: 'DK', roles: { [workspaceId]: 'observer' } });
});

afterEach(async () => {
  while (sockets.length > 0) sockets.pop()!.disconnect();
  await endRunning();
});

afterAll(() => server.stop());

describe('starting and ending meetings', () => {
  it('lets only chairs start, change and end a meeting, over sockets and REST alike', async () => {
    for (const person of [italian, german, observer]) {
      const socket = await open(person);
      const refused = await emitWithAck(socket, 'meeting:start', { workspaceId, title: 'Unofficial' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await person.api.post(`/api/workspaces/${workspaceId}/meetings`, { title: 'Unofficial' })).status).toBe(403);
    }
    expect(await server.store.meetings.findRunning(workspaceId)).toBeNull();

    const chairSocket = await open(chair);
    const state = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Monthly call', quorumCountries: 2 });
    expect(state.meeting).toMatchObject({ title: 'Monthly call', startedByName: 'Giulia Rossi', endedAt: null });
    expect(state.attendees.map((a) => a.name)).toEqual(['Giulia Rossi']);

    const second = await emitWithAck(chairSocket, 'meeting:start', { workspaceId, title: 'Another' });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const contributorSocket = await open(italian);
    expect(await emitWithAck(contributorSocket, 'meeting:end', { meetingId: state.meeting.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await italian.api.post(`/api/meetings/${state.meeting.id}/end`)).status).toBe(403);
    expect((await italian.api.patch(`/api/meetings/${state.meeting.id}`, { quorumCountries: 1 })).status).toBe(403);
    expect((await italian.api.get(`/api/meetings/${state.meeting.id}/attendance.csv`)).status).toBe(403);
    expect((await server.store.meetings.findById(state.meeting.id))!.endedAt).toBeNull();

    const ended = await call<MeetingState>(chairSocket, 'meeting:end', { meetingId: state.meeting.id });
    expect(ended.meeting.endedAt).not.toBeNull();
    expect(ended.attendees[0]!.present).toBe(false);
  });

  it('shows everyone in the workspace that a meeting started, and lists it afterwards', async () => {
    const member = await open(german);
    const chairSocket = await open(chair);
    const state = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Kick-off' });
    await waitFor(() => member.meetings.get(workspaceId)?.meeting.id === state.meeting.id, 1000, 'banner');
    await call(chairSocket, 'meeting:end', { meetingId: state.meeting.id });
    await waitFor(() => !member.meetings.has(workspaceId), 1000, 'banner gone');
    const past = await german.api.get(`/api/workspaces/${workspaceId}/meetings`);
    expect(past.body.meetings.some((m: MeetingState) => m.meeting.id === state.meeting.id && m.meeting.endedAt)).toBe(true);
  });
});

describe('attendance', () => {
  it('shows the chair who is attending, from which country, which countries are represented and whether quorum is met', async () => {
    const chairSocket = await open(chair);
    const started = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Review', quorumCountries: 2 });
    expect(started.quorum).toMatchObject({ required: 2, met: false });
    expect(started.workspaceCountries).toEqual(['DE', 'DK', 'IT']);

    const marco = await open(italian);
    await call(marco, 'meeting:join', { meetingId: started.meeting.id });
    await waitFor(() => chairSocket.meetings.get(workspaceId)?.attendees.length === 2, 1000, 'Marco attending');
    expect(chairSocket.meetings.get(workspaceId)!.quorum.met).toBe(false);

    const jonas = await open(german);
    await call(jonas, 'meeting:join', { meetingId: started.meeting.id });
    await waitFor(() => chairSocket.meetings.get(workspaceId)?.quorum.met === true, 1000, 'quorum');
    const state = chairSocket.meetings.get(workspaceId)!;
    expect(state.countriesRepresented).toEqual(['DE', 'IT']);
    expect(state.attendees.map((a) => [a.name, a.country, a.present])).toEqual([
      ['Giulia Rossi', 'IT', true],
      ['Marco Bruno', 'IT', true],
      ['Jonas Becker', 'DE', true],
    ]);

    await call(jonas, 'meeting:leave', { meetingId: started.meeting.id });
    await waitFor(() => chairSocket.meetings.get(workspaceId)?.attendees.find((a) => a.name === 'Jonas Becker')?.present === false, 1000, 'Jonas left');
    const after = chairSocket.meetings.get(workspaceId)!;
    expect(after.attendees.find((a) => a.name === 'Jonas Becker')!.leftAt).not.toBeNull();
    expect(after.quorum.met).toBe(false);
  });

  it('does not count a reconnect within the grace period as leaving, but records a leave after it', async () => {
    const chairSocket = await open(chair);
    const started = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Flaky network' });
    const meetingId = started.meeting.id;
    let jonas = await open(german);
    await call(jonas, 'meeting:join', { meetingId });

    // Connection drops and comes back quickly (as the app does: reconnect and re-join).
    jonas.disconnect();
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS / 4));
    jonas = await open(german);
    await call(jonas, 'meeting:join', { meetingId });
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 1.5));
    let record = (await server.meetings.state(meetingId)).attendees.find((a) => a.name === 'Jonas Becker')!;
    expect(record.present).toBe(true);
    expect(record.intervals).toHaveLength(1);

    // Now the laptop is closed for good.
    const goneAt = Date.now();
    jonas.disconnect();
    await waitFor(async () => !(await server.meetings.state(meetingId)).attendees.find((a) => a.name === 'Jonas Becker')!.present, GRACE_MS * 5, 'leave recorded');
    record = (await server.meetings.state(meetingId)).attendees.find((a) => a.name === 'Jonas Becker')!;
    // The leave is dated when the connection went, not when the grace period ran out.
    expect(Math.abs(new Date(record.leftAt!).getTime() - goneAt)).toBeLessThan(GRACE_MS / 2);
    await waitFor(() => chairSocket.meetings.get(workspaceId)?.attendees.find((a) => a.name === 'Jonas Becker')?.present === false, 1000, 'chair sees it');
  });

  it('files an attendance record that says what happened: quorum reached and lost, who was present at the end, who never joined, roles, seconds and the time zone', async () => {
    const chairSocket = await open(chair);
    const started = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Export check', quorumCountries: 2 });
    const meetingId = started.meeting.id;
    const marco = await open(italian);
    await call(marco, 'meeting:join', { meetingId });
    const jonas = await open(german);
    await call(jonas, 'meeting:join', { meetingId });
    // Germany leaves: two countries become one, and the quorum of 2 is lost.
    await call(jonas, 'meeting:leave', { meetingId });
    // Marco closes his tab and the meeting ends within the grace period: he was not there at the end.
    marco.disconnect();
    await waitFor(async () => (await server.store.meetings.attendance(meetingId)).intervals.some((i) => i.disconnectedAt !== null), 2000, 'disconnection noted');
    await call(chairSocket, 'meeting:end', { meetingId });

    const state = await server.meetings.state(meetingId);
    expect(state.quorum.met).toBe(false);
    expect(state.quorum.timeline.map((c) => [c.met, c.countries])).toEqual([[true, 2], [false, 1]]);
    expect(state.countriesPresent).toEqual(['IT']);
    expect(state.attendees.map((a) => [a.name, a.presentAtEnd])).toEqual([['Giulia Rossi', true], ['Marco Bruno', false], ['Jonas Becker', false]]);
    expect(state.absentees.map((a) => [a.name, a.role])).toEqual([['Mikkel Jensen', 'observer']]);

    const csv = await chair.api.get(`/api/meetings/${meetingId}/attendance.csv?tz=Europe/Rome`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="attendance-\d{4}-\d{2}-\d{2}-Export-check\.csv"/);
    const lines = String(csv.body).replace(/^\ufeff/, '').trim().split('\n');
    expect(lines[0]).toBe('Status,Name,Email,Country,Organisation,Role,First joined,Last left,Minutes present,Sessions,Joined – left,Late,Present at end,Time zone');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['attended,Giulia Rossi', 'attended,Marco Bruno', 'attended,Jonas Becker', 'absent,Mikkel Jensen']);
    expect(lines[1]).toMatch(/,chair,\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},/);
    expect(lines[1]).toMatch(/,yes,Europe\/Rome \(UTC\+0[12]:00\)$/);
    expect(lines[2]).toMatch(/,no,Europe\/Rome/);
    expect(lines[3]).toContain(',DE,');
    expect(lines[4]).toMatch(/^absent,Mikkel Jensen,,DK,Test Institute,observer,/);

    const markdown = await chair.api.get(`/api/meetings/${meetingId}/attendance.md?tz=Europe/Rome`);
    expect(markdown.status).toBe(200);
    const text = String(markdown.body);
    expect(text).toContain('# Export check');
    expect(text).toContain('**Countries represented:** 2 of 3 (Germany, Italy)');
    expect(text).toContain('**Present at the end:** 1 people from 1 country (Italy)');
    expect(text).toMatch(/\*\*Quorum \(2 countries\):\*\* at the end not met; reached at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \(2 countries\), lost at [\d-]+ [\d:]+ \(1 country\)/);
    expect(text).toMatch(/\| Jonas Becker \| lead \| Germany \|/);
    expect(text).toMatch(/\| Marco Bruno \| contributor \| Italy \| Test Institute \| [^|]+ \| \d+ \| had left \|/);
    expect(text).toContain('## Absent (never joined)');
    expect(text).toContain('| Mikkel Jensen | observer | Denmark |');
    expect(text).toContain('Europe/Rome');

    expect((await chair.api.get(`/api/meetings/${meetingId}/attendance.csv?tz=Mars/Olympus`)).status).toBe(400);
  });

  it('neutralises spreadsheet formulas in names and organisations in the CSV', async () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1+1', '\r=1+1'];
    const people: TestPerson[] = [];
    for (const name of hostile) people.push(await createPerson(server, { name, country: 'FR', roles: { [workspaceId]: 'contributor' } }));
    await server.store.users.update(people[0]!.id, { organisation: '=cmd|\' /C calc\'!A0' });
    const chairSocket = await open(chair);
    const started = await call<MeetingState>(chairSocket, 'meeting:start', { workspaceId, title: 'Formula check' });
    for (const person of people) await call(await open(person), 'meeting:join', { meetingId: started.meeting.id });
    await call(chairSocket, 'meeting:end', { meetingId: started.meeting.id });
    const csv = String((await chair.api.get(`/api/meetings/${started.meeting.id}/attendance.csv`)).body);
    const cells = parseCsv(csv.replace(/^\ufeff/, '')).flat();
    // Every cell that would begin with a formula character starts with an apostrophe instead.
    for (const name of hostile) expect(cells).toContain(`'${name}`);
    expect(cells).toContain(`'=cmd|' /C calc'!A0`);
    expect(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
    for (const person of people) await server.store.memberships.remove(workspaceId, person.id);
  });
});

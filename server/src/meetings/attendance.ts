/**
 * Turning stored attendance intervals into what chairs read: the live meeting state,
 * the CSV export and the Markdown summary.
 */
import { countryName, LATE_AFTER_MINUTES, type Attendee, type MeetingState, type QuorumChange } from '@jane/shared';
import type { AttendeeRecord, IntervalRecord, MeetingRecord } from '../storage/port.js';
import { toCsv } from '../export/csv.js';

const MINUTE = 60_000;

export interface MeetingMember {
  userId: string;
  name: string;
  country: string;
  organisation: string;
  role: string;
  active: boolean;
}

export interface MeetingFacts {
  meeting: MeetingRecord;
  startedByName: string;
  attendees: AttendeeRecord[];
  intervals: IntervalRecord[];
  /** Current members of the workspace. */
  members: MeetingMember[];
}

/**
 * When the quorum was reached and lost: a sweep over everyone's joins and leaves,
 * counting the distinct countries present after each moment.
 */
function quorumTimeline(required: number | null, attendees: Attendee[], until: number): QuorumChange[] {
  if (required === null) return [];
  const events: { at: number; delta: 1 | -1; country: string }[] = [];
  for (const attendee of attendees) {
    for (const interval of attendee.intervals) {
      events.push({ at: new Date(interval.joinedAt).getTime(), delta: 1, country: attendee.country });
      const left = interval.leftAt ? new Date(interval.leftAt).getTime() : null;
      if (left !== null && left <= until) events.push({ at: left, delta: -1, country: attendee.country });
    }
  }
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  const present = new Map<string, number>();
  const changes: QuorumChange[] = [];
  let met = false;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    present.set(event.country, (present.get(event.country) ?? 0) + event.delta);
    if (present.get(event.country) === 0) present.delete(event.country);
    // Judge once everything at this instant is counted.
    if (events[i + 1]?.at === event.at) continue;
    const nowMet = present.size >= required;
    if (nowMet !== met) changes.push({ at: new Date(event.at).toISOString(), met: nowMet, countries: present.size });
    met = nowMet;
  }
  return changes;
}

export function buildMeetingState(facts: MeetingFacts, now = new Date()): MeetingState {
  const { meeting } = facts;
  const end = meeting.endedAt ? new Date(meeting.endedAt).getTime() : now.getTime();
  const lateAfter = new Date(meeting.startedAt).getTime() + LATE_AFTER_MINUTES * MINUTE;
  const attendees: Attendee[] = facts.attendees.map((person) => {
    const intervals = facts.intervals
      .filter((i) => i.userId === person.userId)
      .map((i) => ({ joinedAt: i.joinedAt, leftAt: i.leftAt }));
    const present = intervals.some((i) => i.leftAt === null);
    const closed = intervals.filter((i) => i.leftAt !== null).map((i) => i.leftAt!);
    const ms = intervals.reduce((sum, i) => sum + Math.max(0, (i.leftAt ? new Date(i.leftAt).getTime() : end) - new Date(i.joinedAt).getTime()), 0);
    const firstJoinedAt = intervals[0]?.joinedAt ?? person.firstJoinedAt;
    return {
      userId: person.userId,
      name: person.name,
      email: person.email,
      country: person.country,
      organisation: person.organisation,
      role: person.role,
      present,
      firstJoinedAt,
      leftAt: present ? null : (closed.sort().at(-1) ?? null),
      intervals,
      minutesPresent: Math.round(ms / MINUTE),
      late: new Date(firstJoinedAt).getTime() > lateAfter,
      // Ending the meeting closes the intervals of those still there at its end time.
      presentAtEnd: meeting.endedAt ? intervals.some((i) => i.leftAt === meeting.endedAt) : present,
    };
  });
  attendees.sort((a, b) => a.firstJoinedAt.localeCompare(b.firstJoinedAt));
  const attended = new Set(attendees.map((a) => a.userId));
  const absentees = facts.members
    .filter((m) => m.active && !attended.has(m.userId))
    .map((m) => ({ userId: m.userId, name: m.name, country: m.country, organisation: m.organisation, role: m.role }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const countriesOf = (list: Attendee[]) => [...new Set(list.map((a) => a.country))].sort();
  const countriesPresent = countriesOf(attendees.filter((a) => a.presentAtEnd));
  const countriesRepresented = meeting.endedAt ? countriesOf(attendees) : countriesPresent;
  const required = meeting.quorumCountries;
  return {
    meeting: {
      id: meeting.id,
      workspaceId: meeting.workspaceId,
      title: meeting.title,
      agenda: meeting.agenda,
      quorumCountries: meeting.quorumCountries,
      startedAt: meeting.startedAt,
      startedBy: meeting.startedBy,
      startedByName: facts.startedByName,
      endedAt: meeting.endedAt,
      minutesDocumentId: meeting.minutesDocumentId,
    },
    attendees,
    absentees,
    countriesRepresented,
    countriesPresent,
    workspaceCountries: [...new Set(facts.members.filter((m) => m.active).map((m) => m.country))].sort(),
    quorum: {
      required,
      met: required === null ? null : countriesPresent.length >= required,
      timeline: quorumTimeline(required, attendees, end),
    },
  };
}

/** Formats an ISO time in a time zone, as "2026-05-01 09:01" (or "2026-05-01 09:01:07" with seconds). */
export function formatTime(iso: string | null, timeZone: string, withSeconds = false): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' as const } : {}),
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}${withSeconds ? `:${get('second')}` : ''}`;
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export { countryName };

/** The time zone as people read it, e.g. "Europe/Rome (UTC+02:00)" at the meeting's start. */
export function zoneLabel(timeZone: string, at: string): string {
  const offset = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value;
  return offset ? `${timeZone} (${offset.replace('GMT', 'UTC')})` : timeZone;
}

/**
 * The attendance record as a spreadsheet: one row per attendee in order of arrival
 * (every stretch of presence, with seconds), then one per member who never joined.
 * Every row names the time zone of its times.
 */
export function attendanceCsv(state: MeetingState, timeZone: string): string {
  const zone = zoneLabel(timeZone, state.meeting.startedAt);
  const time = (iso: string | null) => formatTime(iso, timeZone, true);
  const header = ['Status', 'Name', 'Email', 'Country', 'Organisation', 'Role', 'First joined', 'Last left', 'Minutes present', 'Sessions', 'Joined – left', 'Late', 'Present at end', 'Time zone'];
  const rows = state.attendees.map((a) => [
    'attended',
    a.name,
    a.email,
    a.country,
    a.organisation,
    a.role,
    time(a.firstJoinedAt),
    time(a.leftAt),
    a.minutesPresent,
    a.intervals.length,
    a.intervals.map((i) => `${time(i.joinedAt)} – ${i.leftAt ? time(i.leftAt) : 'present'}`).join('; '),
    a.late ? 'yes' : 'no',
    a.presentAtEnd ? 'yes' : 'no',
    zone,
  ]);
  const absent = state.absentees.map((m) => ['absent', m.name, '', m.country, m.organisation, m.role, '', '', 0, 0, '', '', 'no', zone]);
  return toCsv([header, ...rows, ...absent]);
}

/** Escapes Markdown so that names cannot inject formatting or links. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|]/g, (c) => `\\${c}`);
}

export function attendanceMarkdown(state: MeetingState, workspaceTitle: string, timeZone: string): string {
  const { meeting } = state;
  const time = (iso: string | null) => formatTime(iso, timeZone, true);
  const ended = meeting.endedAt !== null;
  const countries = (codes: string[]) => codes.map(countryName).map(md).join(', ') || 'none';
  const lines = [
    `# ${md(meeting.title)}`,
    '',
    `- **Workspace:** ${md(workspaceTitle)}`,
    `- **Started:** ${time(meeting.startedAt)} by ${md(meeting.startedByName)}`,
    `- **Ended:** ${ended ? time(meeting.endedAt) : 'still in progress'}`,
    `- **Times:** ${md(zoneLabel(timeZone, meeting.startedAt))}`,
    `- **Attendees:** ${state.attendees.length} of ${state.attendees.length + state.absentees.length} members`,
    `- **Countries represented:** ${state.countriesRepresented.length} of ${state.workspaceCountries.length} (${countries(state.countriesRepresented)})`,
    `- **${ended ? 'Present at the end' : 'Present now'}:** ${state.attendees.filter((a) => a.presentAtEnd).length} people from ${state.countriesPresent.length} ${state.countriesPresent.length === 1 ? 'country' : 'countries'} (${countries(state.countriesPresent)})`,
  ];
  if (state.quorum.required !== null) {
    const history = state.quorum.timeline.map((change) => `${change.met ? 'reached' : 'lost'} at ${time(change.at)} (${change.countries} ${change.countries === 1 ? 'country' : 'countries'})`);
    lines.push(
      `- **Quorum (${state.quorum.required} countries):** ${ended ? 'at the end' : 'now'} ${state.quorum.met ? 'met' : 'not met'}` +
        `; ${history.length > 0 ? history.join(', ') : 'never reached'}`,
    );
  }
  if (meeting.agenda.length > 0) {
    lines.push('', '## Agenda', '', ...meeting.agenda.map((item, i) => `${i + 1}. ${md(item.title)}`));
  }
  lines.push('', '## Attendance', '', '| Name | Role | Country | Organisation | Joined – left | Minutes | At the end |', '|---|---|---|---|---|---|---|');
  for (const a of state.attendees) {
    const stretches = a.intervals.map((i) => `${time(i.joinedAt)} – ${i.leftAt ? time(i.leftAt) : 'present'}`).join('<br>');
    lines.push(
      `| ${md(a.name)}${a.late ? ' (late)' : ''} | ${md(a.role)} | ${md(countryName(a.country))} | ${md(a.organisation)} | ${stretches} | ${a.minutesPresent} | ${a.presentAtEnd ? 'present' : 'had left'} |`,
    );
  }
  if (state.absentees.length > 0) {
    lines.push('', ended ? '## Absent (never joined)' : '## Not joined yet', '', '| Name | Role | Country | Organisation |', '|---|---|---|---|');
    for (const m of state.absentees) lines.push(`| ${md(m.name)} | ${md(m.role)} | ${md(countryName(m.country))} | ${md(m.organisation)} |`);
  }
  return lines.join('\n') + '\n';
}

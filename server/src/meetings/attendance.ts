/**
 * Turning stored attendance intervals into what chairs read: the live meeting state,
 * the CSV export and the Markdown summary.
 */
import { stringify } from 'csv-stringify/sync';
import { LATE_AFTER_MINUTES, type Attendee, type MeetingState } from '@jane/shared';
import type { AttendeeRecord, IntervalRecord, MeetingRecord } from '../storage/port.js';

const MINUTE = 60_000;

export interface MeetingFacts {
  meeting: MeetingRecord;
  startedByName: string;
  attendees: AttendeeRecord[];
  intervals: IntervalRecord[];
  /** Countries of all current members of the workspace. */
  memberCountries: string[];
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
    };
  });
  attendees.sort((a, b) => a.firstJoinedAt.localeCompare(b.firstJoinedAt));
  const counted = meeting.endedAt ? attendees : attendees.filter((a) => a.present);
  const countriesRepresented = [...new Set(counted.map((a) => a.country))].sort();
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
    },
    attendees,
    countriesRepresented,
    workspaceCountries: [...new Set(facts.memberCountries)].sort(),
    quorum: { required, met: required === null ? null : countriesRepresented.length >= required },
  };
}

/** Formats an ISO time in a time zone, as "2026-05-01 09:01". */
export function formatTime(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
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

function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** One row per attendee, in order of first arrival. */
export function attendanceCsv(state: MeetingState, timeZone: string): string {
  const header = ['Name', 'Email', 'Country', 'Organisation', 'Role', 'First joined', 'Last left', 'Minutes present', 'Sessions', 'Late', 'Present at end'];
  const rows = state.attendees.map((a) => [
    a.name,
    a.email,
    a.country,
    a.organisation,
    a.role,
    formatTime(a.firstJoinedAt, timeZone),
    formatTime(a.leftAt ?? (state.meeting.endedAt && a.present ? state.meeting.endedAt : null), timeZone),
    a.minutesPresent,
    a.intervals.length,
    a.late ? 'yes' : 'no',
    a.present || (state.meeting.endedAt !== null && a.intervals.some((i) => i.leftAt === state.meeting.endedAt)) ? 'yes' : 'no',
  ]);
  // A leading BOM makes spreadsheet programs read the names' accents correctly.
  return '\ufeff' + stringify([header, ...rows]);
}

/** Escapes Markdown so that names cannot inject formatting or links. */
function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+\-.!|]/g, (c) => `\\${c}`);
}

export function attendanceMarkdown(state: MeetingState, workspaceTitle: string, timeZone: string): string {
  const { meeting } = state;
  const lines = [
    `# ${md(meeting.title)}`,
    '',
    `- **Workspace:** ${md(workspaceTitle)}`,
    `- **Started:** ${formatTime(meeting.startedAt, timeZone)} by ${md(meeting.startedByName)}`,
    `- **Ended:** ${meeting.endedAt ? formatTime(meeting.endedAt, timeZone) : 'still in progress'}`,
    `- **Times:** ${md(timeZone)}`,
    `- **Attendees:** ${state.attendees.length}`,
    `- **Countries represented:** ${state.countriesRepresented.length} of ${state.workspaceCountries.length} (${state.countriesRepresented.map(countryName).map(md).join(', ') || 'none'})`,
  ];
  if (state.quorum.required !== null) {
    lines.push(`- **Quorum (${state.quorum.required} countries):** ${state.quorum.met ? 'met' : 'not met'}`);
  }
  if (meeting.agenda.length > 0) {
    lines.push('', '## Agenda', '', ...meeting.agenda.map((item, i) => `${i + 1}. ${md(item.title)}`));
  }
  lines.push('', '## Attendance', '', '| Name | Country | Organisation | Joined | Left | Minutes |', '|---|---|---|---|---|---|');
  for (const a of state.attendees) {
    const left = a.present && !meeting.endedAt ? 'present' : formatTime(a.leftAt ?? meeting.endedAt, timeZone);
    lines.push(
      `| ${md(a.name)}${a.late ? ' (late)' : ''} | ${md(countryName(a.country))} | ${md(a.organisation)} | ${formatTime(a.firstJoinedAt, timeZone)} | ${left} | ${a.minutesPresent} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** Times of meetings in the viewer's own time zone, and the attendance export links. */
import { api } from '../../api';

// Made on first use (see util/time.ts): every signed-in page loads this module.
let clockFormat: Intl.DateTimeFormat | null = null;
let dayFormat: Intl.DateTimeFormat | null = null;

/** The viewer's IANA time zone (what exports are written in). */
export function viewerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** "14:05" in the viewer's time zone. */
export function formatClock(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  clockFormat ??= new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });
  return clockFormat.format(date);
}

/** "Tue, 5 May 2026" in the viewer's time zone. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  dayFormat ??= new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return dayFormat.format(date);
}

/** Where the server writes a meeting's attendance, in the viewer's time zone. */
export function attendanceUrl(meetingId: string, format: 'csv' | 'md'): string {
  return api.attendanceUrl(meetingId, format, viewerTimeZone());
}

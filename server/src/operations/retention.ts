/**
 * Personal data retention, applied by a scheduled job (and runnable once):
 * - notifications older than RETENTION_NOTIFICATIONS_DAYS (default 180) are deleted;
 * - meetings that ended more than RETENTION_ATTENDANCE_DETAILS_DAYS ago (default 730)
 *   keep who attended (name, country, organisation, role: the counts and the quorum) but
 *   lose the per-person join/leave intervals and the emails;
 * - expired sessions are deleted (they expire after SESSION_TTL_DAYS);
 * - and, housekeeping rather than personal data: version content that no version points
 *   at (a create that crashed half-way), once it is an hour old, is deleted.
 * 0 days keeps that kind of record for ever. Presence (who is in which document or
 * workspace right now) is held in memory only and never stored, so there is nothing to expire.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Store } from '../storage/port.js';

const DAY_MS = 86_400_000;
/** How often the job runs; retention is counted in days, so hourly is plenty. */
export const RETENTION_INTERVAL_MS = 3_600_000;

export type RetentionSettings = Pick<Config, 'retentionNotificationsDays' | 'retentionAttendanceDetailsDays'>;

export interface RetentionResult {
  notificationsDeleted: number;
  /** Intervals deleted plus attendee emails blanked. */
  attendanceDetailsRemoved: number;
  sessionsDeleted: number;
  unreferencedVersionContentDeleted: number;
}

/** Version content this old with no version pointing at it is left over by a crash, not a create under way. */
const UNREFERENCED_CONTENT_AGE_MS = 3_600_000;

const before = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/** Applies the retention limits once, as of `now`. */
export async function applyRetention(store: Store, settings: RetentionSettings, now = new Date()): Promise<RetentionResult> {
  const notificationsDeleted = settings.retentionNotificationsDays > 0 ? await store.notifications.deleteCreatedBefore(before(now, settings.retentionNotificationsDays)) : 0;
  const attendanceDetailsRemoved =
    settings.retentionAttendanceDetailsDays > 0 ? await store.meetings.pruneAttendanceDetails(before(now, settings.retentionAttendanceDetailsDays)) : 0;
  const sessionsDeleted = await store.sessions.deleteExpired(now.toISOString());
  const unreferencedVersionContentDeleted = await store.versions.deleteUnreferencedContent(new Date(now.getTime() - UNREFERENCED_CONTENT_AGE_MS).toISOString());
  return { notificationsDeleted, attendanceDetailsRemoved, sessionsDeleted, unreferencedVersionContentDeleted };
}

/** Runs {@link applyRetention} now and then every hour; the timer never keeps the process alive. Returns the stop function. */
export function scheduleRetention(store: Store, settings: RetentionSettings, logger: Logger, intervalMs = RETENTION_INTERVAL_MS): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const result = await applyRetention(store, settings);
      if (Object.values(result).some((count) => count > 0)) logger.info(result, 'retention applied');
    } catch (error) {
      logger.warn({ err: error }, 'applying retention failed; trying again at the next run');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 10_000);
  first.unref();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}

/**
 * A live connection never outlives the session it was opened with. Every `/collab`
 * socket and socket.io connection registers here with its session; it is closed
 *
 * - when that session is signed out (on any instance: the event is relayed between
 *   instances, see realtime/clusterEvents.ts),
 * - when the account is deactivated or its password reset (all its sessions),
 * - at the session's expiry (a timer), and
 * - when a periodic check finds the session gone from the store (which also covers a
 *   sign-out whose relay was lost while Redis was away).
 */
import type { Logger } from 'pino';
import type { AccessEvents } from '../context.js';
import type { Store } from '../storage/port.js';

/** How often open connections' sessions are checked against the store. */
const RECHECK_INTERVAL_MS = 60_000;
/** setTimeout's limit; sessions expiring later are caught by a later timer or the recheck. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LiveSession {
  tokenHash: string;
  userId: string;
  expiresAt: string;
}

interface Registration {
  session: LiveSession;
  close: () => void;
  timer: NodeJS.Timeout | null;
}

export class LiveSessions {
  private readonly registrations = new Set<Registration>();
  private readonly sweep: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    events: AccessEvents,
    private readonly logger: Logger,
    recheckIntervalMs = RECHECK_INTERVAL_MS,
  ) {
    events.on('sessionEnded', ({ tokenHash }) => this.closeWhere((s) => s.tokenHash === tokenHash));
    events.on('userSignedOut', ({ userId }) => this.closeWhere((s) => s.userId === userId));
    this.sweep = setInterval(() => void this.recheck(), recheckIntervalMs);
    this.sweep.unref();
  }

  /** Registers a connection; `close` ends it (4401 / disconnect). Returns the unregister function. */
  register(session: LiveSession, close: () => void): () => void {
    const registration: Registration = { session, close, timer: null };
    const msLeft = new Date(session.expiresAt).getTime() - Date.now();
    if (msLeft <= 0) {
      close();
      return () => undefined;
    }
    registration.timer = setTimeout(() => this.end(registration), Math.min(msLeft, MAX_TIMER_MS));
    registration.timer.unref();
    this.registrations.add(registration);
    return () => this.forget(registration);
  }

  get size(): number {
    return this.registrations.size;
  }

  private forget(registration: Registration): void {
    if (registration.timer) clearTimeout(registration.timer);
    this.registrations.delete(registration);
  }

  private end(registration: Registration): void {
    if (!this.registrations.has(registration)) return;
    this.forget(registration);
    try {
      registration.close();
    } catch (error) {
      this.logger.warn({ err: error }, 'closing a connection of an ended session failed');
    }
  }

  private closeWhere(match: (session: LiveSession) => boolean): void {
    for (const registration of [...this.registrations]) if (match(registration.session)) this.end(registration);
  }

  /** Closes connections whose session is no longer in the store (one lookup per session). */
  private async recheck(): Promise<void> {
    const hashes = new Set([...this.registrations].map((r) => r.session.tokenHash));
    const now = new Date().toISOString();
    for (const tokenHash of hashes) {
      try {
        const session = await this.store.sessions.find(tokenHash);
        if (!session || session.expiresAt <= now) this.closeWhere((s) => s.tokenHash === tokenHash);
      } catch (error) {
        // The store is away: keep the connections (they are checked again next time).
        this.logger.warn({ err: error }, 'could not re-check sessions');
        return;
      }
    }
  }

  close(): void {
    clearInterval(this.sweep);
    for (const registration of this.registrations) if (registration.timer) clearTimeout(registration.timer);
    this.registrations.clear();
  }
}

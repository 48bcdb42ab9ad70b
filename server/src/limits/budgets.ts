/**
 * Every budget a person or a connection spends, in one place and on one mechanism
 * (`rate-limiter-flexible`): REST changes, socket.io events, collaboration upgrades.
 * Budgets are per instance (memory): several instances multiply what one account may
 * do by their number, which keeps a flood bounded without a Redis round trip per event.
 *
 * What one connection sends (awareness frames, socket.io events) is metered
 * synchronously first, see frameMeter.ts: a burst already in the socket must be refused
 * frame by frame before any asynchronous work starts.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** "15 seconds", "1 minute", "2 minutes" — a wait as a person reads it. */
export function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** A budget of `points` per `seconds`; `blockSeconds`: how long an overdraft keeps it refused. */
class Budget {
  private readonly limiter: RateLimiterMemory;

  constructor(points: number, seconds: number, blockSeconds = 0) {
    this.limiter = new RateLimiterMemory({ points, duration: seconds, blockDuration: blockSeconds });
  }

  /** Spends `cost`; resolves with 0 when allowed, else the milliseconds until it would be. */
  async spend(key: string, cost = 1): Promise<number> {
    try {
      await this.limiter.consume(key, cost);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  }
}

/**
 * What each client→server socket.io event costs. The expensive ones (a snapshot reads
 * every instance's sockets and the store; watching loads a document's threads) cost more.
 */
export const SOCKET_EVENT_COSTS: Record<string, number> = {
  'presence:update': 1,
  'presence:snapshot': 5,
  'document:watch': 3,
  'document:unwatch': 1,
  'meeting:start': 5,
  'meeting:update': 3,
  'meeting:end': 3,
  'meeting:join': 3,
  'meeting:leave': 3,
};

export class Budgets {
  /** REST changes (non-GET) per account: a person at a human pace, a script a bit faster. */
  readonly restWrites = new Budget(300, 60, 60);
  /**
   * socket.io event points per account, over all its connections on this instance (many
   * tabs opening at once). Per connection, events are metered synchronously first
   * (frameMeter.ts, SOCKET_EVENT_BUDGET).
   */
  readonly socketEventsPerAccount = new Budget(400, 2);
  /** socket.io connections opened per account: one per tab and the odd reconnection, not a loop. */
  readonly realtimeConnects = new Budget(60, 60);
  /** Collaboration upgrades per account: reconnections and document switches, not a loop. */
  readonly collabUpgrades: Budget;

  constructor(limits: { collabUpgradesPerMinute: number }) {
    this.collabUpgrades = new Budget(limits.collabUpgradesPerMinute, 60);
  }
}

/** Refusals a connection may collect in {@link FLOOD_WINDOW_MS} before it is disconnected. */
export const MAX_REFUSALS = 50;
export const FLOOD_WINDOW_MS = 10_000;

/** Concurrent socket.io connections per account (per instance): one per tab. */
export const MAX_REALTIME_CONNECTIONS_PER_ACCOUNT = 30;

/** Counts open connections per account; `tryOpen` refuses above the limit. */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  tryOpen(userId: string): boolean {
    const count = this.open.get(userId) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(userId, count + 1);
    return true;
  }

  close(userId: string): void {
    const count = (this.open.get(userId) ?? 1) - 1;
    if (count <= 0) this.open.delete(userId);
    else this.open.set(userId, count);
  }
}

/** Counts refusals in a sliding window: true once a connection keeps flooding. */
export class RefusalCounter {
  private times: number[] = [];

  /** Records one refusal; true when there were more than {@link MAX_REFUSALS} in the window. */
  refuse(now = Date.now()): boolean {
    this.times = this.times.filter((at) => now - at < FLOOD_WINDOW_MS);
    this.times.push(now);
    return this.times.length > MAX_REFUSALS;
  }
}

/**
 * Slows password guessing down without letting anyone lock a colleague out.
 *
 * A failed sign-in is counted against its *context*: the device (a `jane_device` cookie
 * the browser got when this account last signed in successfully there), or else the
 * network address. Each (email, context) pair has a progressive delay: the first
 * {@link FREE_FAILURES} failures cost nothing, then each failure makes the pair wait
 * twice as long as the last (15 s, 30 s, 1 min, … up to 15 min). On top of that, failures
 * from contexts unknown to the account (however many addresses they come from) are
 * capped per email, and failures per address across all emails are capped too.
 *
 * So an attacker guessing from elsewhere slows only themselves: the owner, on a device
 * where they signed in before, is never refused their correct password because of it.
 * A successful sign-in clears its pair; an administrator's password reset clears
 * everything for that email (on every instance, through the access events).
 *
 * Counts live in memory, per instance: enough to make guessing impractical.
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors.js';
import { hashSecret } from '../ids.js';
import { inWords } from '../limits/budgets.js';

export { inWords };

export const DEVICE_COOKIE = 'jane_device';
/** Failures per (email, context) before any waiting. */
export const FREE_FAILURES = 4;
const FIRST_WAIT_MS = 15_000;
const MAX_WAIT_MS = 15 * 60_000;
/** Failures for one email from contexts it does not know, per hour, before all of them wait 15 minutes. */
const UNKNOWN_CONTEXT_FAILURES_PER_HOUR = 30;
/** Failures from one address (any email), per hour. */
const ADDRESS_FAILURES_PER_HOUR = 100;
/** A pair is forgotten this long after its last failure. */
const PAIR_MEMORY_MS = 60 * 60_000;
/** Known devices remembered per email (oldest forgotten first). */
const DEVICES_PER_EMAIL = 20;
const MAX_PAIRS = 100_000;

/** How long a pair must wait after `failures` failures (0: not at all). */
export function waitAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_FAILURES - 1));
}

interface PairState {
  failures: number;
  lastFailureAt: number;
}

export interface LoginContext {
  email: string;
  address: string;
  /** The `jane_device` cookie, if the browser sent one. */
  device: string | null;
}

export class LoginThrottle {
  private readonly pairs = new Map<string, PairState>();
  private readonly knownDevices = new Map<string, string[]>();
  private readonly unknownContexts = new RateLimiterMemory({ points: UNKNOWN_CONTEXT_FAILURES_PER_HOUR, duration: 3600, blockDuration: 15 * 60 });
  private readonly addresses = new RateLimiterMemory({ points: ADDRESS_FAILURES_PER_HOUR, duration: 3600, blockDuration: 15 * 60 });

  constructor(private readonly now: () => number = Date.now) {}

  private isKnownDevice(context: LoginContext): boolean {
    if (!context.device) return false;
    return this.knownDevices.get(context.email)?.includes(hashSecret(context.device)) ?? false;
  }

  private pairKey(context: LoginContext): string {
    return this.isKnownDevice(context) ? `${context.email}\u0000device:${hashSecret(context.device!)}` : `${context.email}\u0000address:${context.address}`;
  }

  /** Throws 429 (with the wait in words) when this attempt must wait. */
  async check(context: LoginContext): Promise<void> {
    const waits: number[] = [];
    const pair = this.pairs.get(this.pairKey(context));
    if (pair) waits.push(pair.lastFailureAt + waitAfter(pair.failures) - this.now());
    if (!this.isKnownDevice(context)) {
      const blocked = (state: RateLimiterRes | null) => (state && state.remainingPoints <= 0 ? state.msBeforeNext : 0);
      const [email, address] = await Promise.all([this.unknownContexts.get(context.email), this.addresses.get(context.address)]);
      waits.push(blocked(email), blocked(address));
    }
    const wait = Math.max(0, ...waits);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new TooManyRequestsError(
        `Too many failed sign-ins. Wait ${inWords(wait)} and try again. If you have forgotten your password, an administrator can reset it; the new one works at once.`,
        seconds,
      );
    }
  }

  async recordFailure(context: LoginContext): Promise<void> {
    const key = this.pairKey(context);
    const pair = this.pairs.get(key);
    const now = this.now();
    const failures = pair && now - pair.lastFailureAt < PAIR_MEMORY_MS ? pair.failures + 1 : 1;
    // Re-inserted, so that the map stays ordered by last failure (oldest first).
    this.pairs.delete(key);
    this.pairs.set(key, { failures, lastFailureAt: now });
    this.forgetOldPairs();
    if (!this.isKnownDevice(context)) {
      await Promise.all([this.unknownContexts.consume(context.email).catch(() => undefined), this.addresses.consume(context.address).catch(() => undefined)]);
    }
  }

  /** Clears the pair and remembers the device as one this account signs in from. */
  recordSuccess(context: LoginContext & { device: string }): void {
    this.pairs.delete(this.pairKey(context));
    const devices = (this.knownDevices.get(context.email) ?? []).filter((d) => d !== hashSecret(context.device));
    devices.push(hashSecret(context.device));
    this.knownDevices.set(context.email, devices.slice(-DEVICES_PER_EMAIL));
  }

  /** An administrator reset the password: every wait for this email ends. */
  async clear(email: string): Promise<void> {
    for (const key of [...this.pairs.keys()]) if (key.startsWith(`${email}\u0000`)) this.pairs.delete(key);
    await this.unknownContexts.delete(email);
  }

  /** Keeps memory bounded: pairs are ordered by last failure, the stale ones go first. */
  private forgetOldPairs(): void {
    const now = this.now();
    for (const [key, pair] of this.pairs) {
      if (this.pairs.size <= MAX_PAIRS && now - pair.lastFailureAt < PAIR_MEMORY_MS) break;
      this.pairs.delete(key);
    }
  }
}

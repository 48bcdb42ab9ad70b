/**
 * Slows down password guessing: 5 failed sign-ins for one email within 15 minutes lock
 * that email for a minute (each further failure extends it), and 30 failures from one
 * address within an hour lock that address for 15 minutes. A success clears the email's
 * count. Memory-backed: per instance, which is enough to make guessing impractical.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors.js';

export class LoginThrottle {
  private readonly byEmail = new RateLimiterMemory({ points: 5, duration: 15 * 60, blockDuration: 60 });
  private readonly byAddress = new RateLimiterMemory({ points: 30, duration: 60 * 60, blockDuration: 15 * 60 });

  /** Throws 429 when this email or address is currently locked. */
  async check(email: string, address: string): Promise<void> {
    const [emailState, addressState] = await Promise.all([this.byEmail.get(email), this.byAddress.get(address)]);
    const waits = [emailState, addressState]
      .filter((state): state is RateLimiterRes => state !== null && state.remainingPoints <= 0)
      .map((state) => state.msBeforeNext);
    if (waits.length > 0) throw this.tooMany(Math.max(...waits));
  }

  async recordFailure(email: string, address: string): Promise<void> {
    await Promise.all([
      this.byEmail.consume(email).catch(() => undefined),
      this.byAddress.consume(address).catch(() => undefined),
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  private tooMany(ms: number): TooManyRequestsError {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return new TooManyRequestsError(`Too many failed sign-ins. Wait ${seconds} seconds and try again, or ask an administrator to reset your password.`, seconds);
  }
}

/** The sign-in throttle's rule on a clock of its own: progressive waits per pair, known devices exempt. */
import { describe, expect, it } from 'vitest';
import { inWords, LoginThrottle, waitAfter } from './loginThrottle.js';

describe('sign-in throttle', () => {
  it('doubles the wait with every failure after the first four, up to 15 minutes', () => {
    expect([1, 2, 3, 4].map(waitAfter)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(waitAfter)).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(waitAfter(30)).toBe(15 * 60_000);
    expect([inWords(15_000), inWords(60_000), inWords(90_000), inWords(900_000)]).toEqual(['15 seconds', '1 minute', '2 minutes', '15 minutes']);
  });

  it('makes a guesser wait longer and longer, while the owner’s known device is never held up', async () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(() => now);
    const owner = { email: 'anna@example.eu', address: '10.0.0.1', device: 'owner-laptop-device-cookie-value' };
    throttle.recordSuccess(owner);
    const guesser = { email: 'anna@example.eu', address: '10.0.0.1', device: null };
    for (let i = 0; i < 5; i++) {
      await throttle.check(guesser);
      await throttle.recordFailure(guesser);
    }
    await expect(throttle.check(guesser)).rejects.toThrow(/Wait 15 seconds/);
    await expect(throttle.check(owner)).resolves.toBeUndefined();
    now += 15_001;
    await throttle.check(guesser);
    await throttle.recordFailure(guesser);
    await expect(throttle.check(guesser)).rejects.toThrow(/Wait 30 seconds/);
    now += 30_001;
    await throttle.recordFailure(guesser);
    await expect(throttle.check(guesser)).rejects.toThrow(/Wait 1 minute/);
    await throttle.clear('anna@example.eu');
    await expect(throttle.check(guesser)).resolves.toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { hasBearerToken, requestIdFor } from './http.js';
import { createLogger, scrubPersonalData } from './logger.js';

describe('request ids', () => {
  it('keeps a sane incoming id and replaces anything else with a fresh UUID', () => {
    expect(requestIdFor('4bf92f3577b34da6a3ce929d0e0e4736')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(requestIdFor(['lb-1:abcdef12', 'other'])).toBe('lb-1:abcdef12');
    for (const insane of [undefined, '', 'short', 'with space 12345', 'x'.repeat(129), 'line\nbreak-123456', '<script>alert(1)</script>']) {
      expect(requestIdFor(insane)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    expect(requestIdFor(undefined)).not.toBe(requestIdFor(undefined));
  });
});

describe('bearer token', () => {
  it('accepts exactly the token', () => {
    const token = 'metrics-token-0123456789';
    expect(hasBearerToken(`Bearer ${token}`, token)).toBe(true);
    expect(hasBearerToken(`bearer ${token}`, token)).toBe(true);
    expect(hasBearerToken(`Bearer ${token}x`, token)).toBe(false);
    expect(hasBearerToken(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(hasBearerToken(token, token)).toBe(false);
    expect(hasBearerToken(undefined, token)).toBe(false);
  });
});

describe('logger', () => {
  it('redacts personal fields and masks e-mail addresses in errors', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', stream);
    logger.info({ userId: 'u1', email: 'anna@example.eu', body: { password: 'hunter2' } }, 'signed in');
    logger.error({ err: new Error('E11000 duplicate key error dup key: { email: "anna@example.eu" }') }, 'insert failed');
    const text = lines.join('');
    expect(text).toContain('"userId":"u1"');
    expect(text).not.toContain('anna@example.eu');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[email]');
    expect(scrubPersonalData('write to a.b+c@uni-example.org today')).toBe('write to [email] today');
  });
});

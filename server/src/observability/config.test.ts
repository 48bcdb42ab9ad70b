/** The startup configuration check: one plain sentence per wrong variable, all of them at once. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('lists every wrong variable, one sentence each, with what it got', () => {
    const problems = problemsOf({
      PORT: 'abc',
      SCRYPT_COST: '99',
      LOG_LEVEL: 'loud',
      SESSION_TTL_DAYS: '1.5',
      PUBLIC_URL: 'workspace.example.eu',
      REDIS_URL: 'localhost:6379',
      MONGODB_URI: 'mongo://jane:s3cret@db.example.eu/jane',
      ALLOWED_ORIGINS: 'http://localhost:5173,http://localhost:5173/',
      METRICS_PORT: '70000',
      COLLAB_UPGRADES_PER_MINUTE: '0',
      METRICS_TOKEN: 'tooshort',
    });
    expect(problems).toEqual([
      'PORT must be a whole number between 0 and 65535 (got "abc")',
      'MONGODB_URI must be a MongoDB connection string starting with mongodb:// or mongodb+srv:// (got "mongo://jane:***@db.example.eu/jane")',
      'REDIS_URL must be a Redis URL starting with redis:// or rediss:// (got "localhost:6379")',
      'PUBLIC_URL must be an http:// or https:// address (got "workspace.example.eu")',
      'ALLOWED_ORIGINS must be a comma-separated list of origins such as http://localhost:5173 (scheme, host and port; no path, no trailing slash) (got "http://localhost:5173,http://localhost:5173/")',
      'SESSION_TTL_DAYS must be a whole number between 1 and 3650 (got "1.5")',
      'SCRYPT_COST must be a whole number between 10 and 20 (got "99")',
      'COLLAB_UPGRADES_PER_MINUTE must be a whole number, at least 1 (got "0")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'METRICS_TOKEN must be at least 16 characters without spaces (unset: /metrics is off) (got a value of 8 characters)',
      'METRICS_PORT must be a whole number between 0 and 65535 (got "70000")',
    ]);
  });

  it('says it all in one error message, and never repeats a secret', () => {
    let message = '';
    try {
      loadConfig({ PORT: '-1', METRICS_TOKEN: 'secret secret secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'Invalid configuration:\n' +
        '  - PORT must be a whole number between 0 and 65535 (got "-1")\n' +
        '  - METRICS_TOKEN must be at least 16 characters without spaces (unset: /metrics is off) (got a value of 20 characters)',
    );
  });

  it('takes defaults for unset and empty variables, and reads the metrics settings', () => {
    const config = loadConfig({ PORT: '', LOG_LEVEL: '', METRICS_TOKEN: '' });
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.metricsToken).toBeNull();
    expect(config.metricsPort).toBeNull();
    expect(config.metricsHost).toBe('127.0.0.1');
    const metrics = loadConfig({ METRICS_TOKEN: 'a-long-enough-token-123', METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(metrics).toMatchObject({ metricsToken: 'a-long-enough-token-123', metricsPort: 9464, metricsHost: '0.0.0.0', redisUrl: 'redis://127.0.0.1:6379' });
  });
});

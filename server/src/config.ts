/**
 * Configuration from environment variables. Every variable is listed in the README;
 * keep the two in step.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** An empty variable (`PORT=` in a compose file) means "not set". */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

function numberRule(min: number, max: number): string {
  if (max < Number.MAX_SAFE_INTEGER) return `must be a whole number between ${min} and ${max}`;
  return min === 0 ? 'must be a whole number (0 or more)' : `must be a whole number, at least ${min}`;
}

/** A whole number in [min, max]; `fallback` when unset. The issue message is the rule. */
const wholeNumber = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => {
  const error = numberRule(min, max);
  return z.preprocess(unsetIfEmpty, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback));
};
const optionalWholeNumber = (min: number, max: number) => {
  const error = numberRule(min, max);
  return z.preprocess(unsetIfEmpty, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).optional());
};
const intFrom = (fallback: number) => wholeNumber(fallback);
const optionalUrl = (protocols: RegExp, error: string) =>
  z.preprocess(unsetIfEmpty, z.string().refine((value) => protocols.test(value) && URL.canParse(value), { error }).optional());
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** An origin as browsers send it: scheme, host and optional port; no path. */
const ORIGIN = /^https?:\/\/[^/\s?#]+$/;

const EnvSchema = z.object({
  PORT: wholeNumber(3000, 0, 65535),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('0.0.0.0')),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  MONGODB_URI: optionalUrl(/^mongodb(\+srv)?:\/\//, 'must be a MongoDB connection string starting with mongodb:// or mongodb+srv://'),
  REDIS_URL: optionalUrl(/^rediss?:\/\//, 'must be a Redis URL starting with redis:// or rediss://'),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, { error: 'must be 1 to 100 letters, digits or the characters _ . : -' }).default('jane'),
  PUBLIC_URL: optionalUrl(/^https?:\/\//, 'must be an http:// or https:// address'),
  ALLOWED_ORIGINS: z
    .string()
    .refine((value) => value.split(',').map((o) => o.trim()).filter(Boolean).every((o) => ORIGIN.test(o)), {
      error: 'must be a comma-separated list of origins such as http://localhost:5173 (scheme, host and port; no path, no trailing slash)',
    })
    .default(''),
  TRUST_PROXY: z.string().default(''),
  SESSION_TTL_DAYS: wholeNumber(14, 1, 3650),
  SCRYPT_COST: wholeNumber(17, 10, 20),
  COLLAB_MAX_MESSAGE_BYTES: wholeNumber(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  DOC_UNLOAD_DELAY_MS: intFrom(30_000),
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: wholeNumber(100, 1),
  COLLAB_UPGRADES_PER_MINUTE: wholeNumber(120, 1),
  COMPACT_AFTER_UPDATES: intFrom(500),
  VERSION_PAUSE_MS: intFrom(600_000),
  MEETING_GRACE_MS: intFrom(30_000),
  RETENTION_NOTIFICATIONS_DAYS: intFrom(180),
  RETENTION_ATTENDANCE_DETAILS_DAYS: intFrom(730),
  CLIENT_DIST: z.string().default(path.join(repoRoot, 'client', 'dist')),
  LOG_LEVEL: z.preprocess(unsetIfEmpty, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  METRICS_TOKEN: z.preprocess(unsetIfEmpty, z.string().regex(/^\S{16,}$/, { error: 'must be at least 16 characters without spaces (unset: /metrics is off)' }).optional()),
  METRICS_PORT: optionalWholeNumber(0, 65535),
  METRICS_HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
});

/** Variables whose value is never repeated in an error message. */
const SECRETS = new Set(['METRICS_TOKEN']);

/** The value as an error message may show it: secrets by length, passwords in URLs masked. */
function shown(name: string, value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = String(value);
  if (SECRETS.has(name)) return `a value of ${text.length} characters`;
  const masked = text.replace(/\/\/([^/@:\s]*):[^/@\s]*@/, '//$1:***@');
  return JSON.stringify(masked.length > 200 ? `${masked.slice(0, 200)}…` : masked);
}

/** The configuration is invalid: `problems` holds one sentence per wrong variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  mongodbUri: string | null;
  redisUrl: string | null;
  /** Prefix of every Redis channel, so several deployments can share one Redis. */
  redisPrefix: string;
  /** The address people use to reach the app (for invitation links and Secure cookies). */
  publicUrl: string | null;
  /** Origins allowed besides the request's own host (e.g. a Vite dev server). */
  allowedOrigins: string[];
  /** Express `trust proxy` setting; empty = do not trust X-Forwarded-* headers. */
  trustProxy: string;
  sessionTtlMs: number;
  /** log2 of scrypt's N parameter (17 in production; tests may lower it). */
  scryptCost: number;
  collabMaxMessageBytes: number;
  /** Open /collab sockets one account may have on one instance (tabs × documents). */
  collabMaxSocketsPerAccount: number;
  /** /collab connections one account may open per minute on one instance. */
  collabUpgradesPerMinute: number;
  docUnloadDelayMs: number;
  compactAfterUpdates: number;
  /** Quiet time after edits before an automatic version of a document is taken. */
  versionPauseMs: number;
  /** How long a meeting attendee may be disconnected before it counts as leaving. */
  meetingGraceMs: number;
  /** Notifications older than this are deleted (days; 0 = kept for ever). */
  retentionNotificationsDays: number;
  /** After this many days a meeting's attendance keeps its counts but loses join/leave times and emails (0 = kept for ever). */
  retentionAttendanceDetailsDays: number;
  /** Built client to serve; null disables static serving (API-only tests). */
  clientDist: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Bearer token for /metrics; null: /metrics answers 404 on the main port. */
  metricsToken: string | null;
  /** A separate port for /metrics only (null: the main port, when a token is set). */
  metricsPort: number | null;
  /** Where the metrics port listens (loopback unless told otherwise). */
  metricsHost: string;
}

/**
 * Where relative paths in the configuration start from: the directory the person ran the
 * command in. `pnpm start` runs the server inside `server/`, but records where it was
 * invoked in INIT_CWD; `DATA_DIR=./data pnpm start` at the top means the top's `data/`.
 */
function invocationDir(env: NodeJS.ProcessEnv): string {
  return env.INIT_CWD || process.cwd();
}

/** Reads the configuration; throws a {@link ConfigError} listing every wrong variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // One sentence per variable, e.g. `PORT must be a whole number between 0 and 65535 (got "abc")`.
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      if (!problems.has(name)) problems.set(name, `${name} ${issue.message} (got ${shown(name, env[name])})`);
    }
    throw new ConfigError([...problems.values()]);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(invocationDir(env), e.DATA_DIR),
    mongodbUri: e.MONGODB_URI || null,
    redisUrl: e.REDIS_URL || null,
    redisPrefix: e.REDIS_PREFIX,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/$/, '') : null,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: e.TRUST_PROXY,
    sessionTtlMs: e.SESSION_TTL_DAYS * 86_400_000,
    scryptCost: e.SCRYPT_COST,
    collabMaxMessageBytes: e.COLLAB_MAX_MESSAGE_BYTES,
    collabMaxSocketsPerAccount: e.COLLAB_MAX_SOCKETS_PER_ACCOUNT,
    collabUpgradesPerMinute: e.COLLAB_UPGRADES_PER_MINUTE,
    docUnloadDelayMs: e.DOC_UNLOAD_DELAY_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    versionPauseMs: e.VERSION_PAUSE_MS,
    meetingGraceMs: e.MEETING_GRACE_MS,
    retentionNotificationsDays: e.RETENTION_NOTIFICATIONS_DAYS,
    retentionAttendanceDetailsDays: e.RETENTION_ATTENDANCE_DETAILS_DAYS,
    clientDist: e.CLIENT_DIST ? path.resolve(invocationDir(env), e.CLIENT_DIST) : null,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN ?? null,
    metricsPort: e.METRICS_PORT ?? null,
    metricsHost: e.METRICS_HOST,
  };
}

/**
 * Configuration from environment variables. Every variable is listed in the README;
 * keep the two in step.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const intFrom = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const EnvSchema = z.object({
  PORT: intFrom(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default(path.join(repoRoot, 'data')),
  MONGODB_URI: z.string().optional(),
  REDIS_URL: z.string().optional(),
  REDIS_PREFIX: z.string().default('jane'),
  PUBLIC_URL: z.string().url().optional(),
  ALLOWED_ORIGINS: z.string().default(''),
  TRUST_PROXY: z.string().default(''),
  SESSION_TTL_DAYS: intFrom(14),
  SCRYPT_COST: z.coerce.number().int().min(10).max(20).default(17),
  COLLAB_MAX_MESSAGE_BYTES: intFrom(16 * 1024 * 1024),
  DOC_UNLOAD_DELAY_MS: intFrom(30_000),
  COLLAB_MAX_SOCKETS_PER_ACCOUNT: z.coerce.number().int().min(1).default(100),
  COLLAB_UPGRADES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  COMPACT_AFTER_UPDATES: intFrom(500),
  VERSION_PAUSE_MS: intFrom(600_000),
  MEETING_GRACE_MS: intFrom(30_000),
  RETENTION_NOTIFICATIONS_DAYS: intFrom(180),
  RETENTION_ATTENDANCE_DETAILS_DAYS: intFrom(730),
  CLIENT_DIST: z.string().default(path.join(repoRoot, 'client', 'dist')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
}

/**
 * Where relative paths in the configuration start from: the directory the person ran the
 * command in. `pnpm start` runs the server inside `server/`, but records where it was
 * invoked in INIT_CWD; `DATA_DIR=./data pnpm start` at the top means the top's `data/`.
 */
function invocationDir(env: NodeJS.ProcessEnv): string {
  return env.INIT_CWD || process.cwd();
}

/** Reads the configuration; throws with every problem listed when a variable is invalid. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
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
  };
}

/**
 * `pnpm bench`: our server and the anchors under the same workloads, in one run, each
 * server in its own child process on loopback, one at a time; prints one Markdown table
 * and writes bench/results/latest.json.
 *
 * Environment:
 *   BENCH_QUICK=1              ~2 minute smoke run (smaller sizes, shorter steps)
 *   BENCH_SERVERS=jane,ywss,ywss-leveldb,hocuspocus   servers to run (default: all)
 *   BENCH_WORKLOADS=a,b,c,d,p,m,x,l,h,e,r,f  workloads to run (default: all; r = receiving browser in Chromium,
 *                              f = first-load JavaScript of the built client (both need \`pnpm build\`); p = presence fan-out, m = a meeting of 50
 *                              in one 50-page document (all servers), x = two instances
 *                              on MongoDB + Redis: same- and cross-instance edit latency, l = cost of the
 *                              agreed-section lock per update, in process; p, x and l ours only)
 *   BENCH_RATES=100,200,...    update rates for the (b) sweep (total updates/s)
 *   BENCH_STEP_SECONDS=5       measured seconds per (b) step (plus 1 s ramp)
 *   BENCH_HISTORY=100000       updates in the (c) history
 *   BENCH_MEM_DOCS=200         documents for (d)
 *   BENCH_MEETING_PARTICIPANTS=50  participants in the (m) meeting
 *   BENCH_LONG_HISTORY=1000000 updates in ours' second (c) open (the issue-13 goal)
 *   BENCH_PROFILE=1            run each server with --cpu-prof during (a), (b), (p) and (m); summaries in the report
 *   BENCH_JANE_ENV=K=V,K=V     extra configuration for our server (diagnostics, e.g. COMPACT_AFTER_UPDATES=1000000)
 *   BENCH_JANE_FROM=sources    run our server's TypeScript sources through tsx (default: bundled, as production runs it)
 *   BENCH_OUT=path             where to write the JSON (default bench/results/latest.json)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription } from './lib/proc.js';
import { summarizeCpuProfiles } from './lib/profile.js';
import { measureBundle } from './lib/bundle.js';
import { renderReport, type BenchResults, type ReceivingBrowserResult, type ServerResults } from './lib/report.js';
import { ALL_SERVERS, makeRunDir, SERVER_SPECS, ServerHandle, type ServerId } from './lib/servers.js';
import { runColdOpen } from './workloads/coldOpen.js';
import { runCrossInstance } from './workloads/crossInstance.js';
import { startTestMongo } from '../test/helpers/mongo.js';
import { requireRedis } from '../test/helpers/redis.js';
import { runLatency } from './workloads/latency.js';
import { runMemory } from './workloads/memory.js';
import { runPresence } from './workloads/presence.js';
import { runSectionLocks } from './workloads/sectionLocks.js';
import { runHistoryBench } from './workloads/history.js';
import { runExportImport } from './workloads/exportImport.js';
import { runThroughput } from './workloads/throughput.js';
import { runMeeting } from './workloads/meeting.js';

type Workload = 'a' | 'b' | 'c' | 'd' | 'p' | 'm' | 'x' | 'l' | 'h' | 'e' | 'r' | 'f';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const quick = process.env.BENCH_QUICK === '1';

function listFromEnv<T extends string>(name: string, all: readonly T[]): T[] {
  const raw = process.env[name];
  if (!raw) return [...all];
  const wanted = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !all.includes(w as T));
  if (unknown.length > 0) throw new Error(`${name}: unknown ${unknown.join(', ')} (choose from ${all.join(', ')})`);
  return wanted as T[];
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const servers = listFromEnv<ServerId>('BENCH_SERVERS', ALL_SERVERS);
const workloads = listFromEnv<Workload>('BENCH_WORKLOADS', ['a', 'b', 'c', 'd', 'p', 'm', 'x', 'l', 'h', 'e', 'r', 'f']);
const settings = {
  quick,
  latency: { warmup: quick ? 100 : 200, edits: quick ? 500 : 2_000 },
  throughput: {
    documents: quick ? 50 : 100,
    clientsPerDocument: 5,
    rates: (process.env.BENCH_RATES ?? (quick ? '200,800,3200' : '100,200,400,800,1600,3200,4800,6400,8000,9600,11200,12800,14400,16000'))
      .split(',')
      .map(Number),
    rampSeconds: 1,
    measureSeconds: intFromEnv('BENCH_STEP_SECONDS', quick ? 2 : 5),
    drainSeconds: 2,
    p99LimitMs: 50,
    minDeliveredFraction: 0.95,
    generatorCoreLimit: 0.9,
    stopAfterFailures: 2,
  },
  coldOpen: { updates: intFromEnv('BENCH_HISTORY', quick ? 20_000 : 100_000), opens: quick ? 3 : 5 },
  /** (c) for ours only, additionally: the issue-13 goal's history length. */
  coldOpenLong: { updates: intFromEnv('BENCH_LONG_HISTORY', quick ? 100_000 : 1_000_000), opens: 3 },
  receivingBrowser: { phaseSeconds: quick ? 6 : 12 },
  memory: { documents: intFromEnv('BENCH_MEM_DOCS', quick ? 50 : 200) },
  sectionLocks: { updates: quick ? 500 : 3_000 },
  history: { edits: quick ? 2_000 : 10_000, repeats: quick ? 3 : 7 },
  exportImport: { repeats: quick ? 3 : 7 },
  presence: { clients: intFromEnv('BENCH_PRESENCE_CLIENTS', quick ? 200 : 500), intervalSeconds: 2, warmupSeconds: quick ? 3 : 5, measureSeconds: quick ? 8 : 20 },
  meeting: {
    participants: intFromEnv('BENCH_MEETING_PARTICIPANTS', 50),
    typists: 10,
    charsPerSecond: 5,
    caretMovesPerSecond: 2,
    presenceIntervalSeconds: 10,
    warmupSeconds: quick ? 3 : 5,
    measureSeconds: quick ? 6 : 20,
    drainSeconds: 2,
    generatorCoreLimit: 0.9,
    editP99GoalMs: 20,
    awarenessP99GoalMs: 50,
  },
  profile: process.env.BENCH_PROFILE === '1',
  /** Non-default configuration of our server (diagnostics only; the table is then not the user configuration). */
  janeEnv: process.env.BENCH_JANE_ENV ?? null,
};

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function withServer<T>(handle: ServerHandle, start: Parameters<ServerHandle['start']>[0], run: () => Promise<T>): Promise<T> {
  await handle.start(start);
  try {
    return await run();
  } finally {
    await handle.stop();
  }
}

/** (x): two instances of ours on one MongoDB (jongodb unless BENCH_MONGODB_URI) and one Redis. */
async function runScaleOut(runDir: string): Promise<NonNullable<ServerResults['crossInstance']>> {
  const redisUrl = await requireRedis();
  const external = process.env.BENCH_MONGODB_URI;
  const mongo = external ? { uri: external, stop: async () => {} } : await startTestMongo();
  const env = {
    BENCH_MONGODB_URI: mongo.uri,
    BENCH_REDIS_URL: redisUrl,
    BENCH_REDIS_PREFIX: `jane-bench-${process.pid}-${Date.now()}`,
    BENCH_IDENTITY_FILE: path.join(runDir, 'scale-out-identity.json'),
  };
  const first = new ServerHandle(SERVER_SPECS.jane, runDir);
  const second = new ServerHandle(SERVER_SPECS.jane, runDir);
  try {
    await first.start({ env });
    await second.start({ env });
    // jongodb's insert takes time in proportion to the records already in the collection
    // (measured: ~2 ms at 1,000, 14 ms at 2,000, 37 ms at 3,000, whatever the write
    // concern), and every edit adds one to the history: 2 × 2,200 edits measured jongodb
    // (p50 72–139 ms to the other instance), not the relay. On jongodb, few enough edits
    // that its inserts stay near 1 ms; a real MongoDB gets the full count.
    const counts = external ? settings.latency : { warmup: Math.min(settings.latency.warmup, 50), edits: Math.min(settings.latency.edits, 300) };
    return await runCrossInstance(first, second, { ...counts, store: external ? 'MongoDB (BENCH_MONGODB_URI)' : 'jongodb (MongoDB wire protocol)' });
  } finally {
    await first.stop();
    await second.stop();
    await first.dispose();
    await second.dispose();
    await mongo.stop();
  }
}

/** (f): pages of the first-load table and their route components. */
const FIRST_LOAD_PAGES = { 'sign in': 'LoginView', home: 'HomeView', workspace: 'WorkspaceView', document: 'DocumentView' };

/** (r): the receiving-browser script in its own process (it starts its own server on the built client). */
async function runReceivingBrowser(runDir: string, phaseSeconds: number): Promise<ReceivingBrowserResult> {
  const e2eDir = path.resolve(benchDir, '../../e2e');
  const out = path.join(runDir, 'receiving-browser.json');
  const child = spawn('npx', ['tsx', 'scripts/receivingBrowser.ts'], {
    cwd: e2eDir,
    env: { ...process.env, RESULT_JSON: out, PHASE_SECONDS: String(phaseSeconds) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0 || !fs.existsSync(out)) throw new Error(`receivingBrowser.ts exited with ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as ReceivingBrowserResult;
}

async function main(): Promise<void> {
  const runDir = makeRunDir();
  // Temp data and logs go away however the run ends (profiles are kept for reading).
  if (!settings.profile) process.on('exit', () => fs.rmSync(runDir, { recursive: true, force: true }));
  const started = Date.now();
  const results: BenchResults = {
    startedAt: new Date(started).toISOString(),
    durationSeconds: 0,
    machine: machineDescription(),
    settings,
    servers: {},
  };
  log(`JANE bench${quick ? ' (quick)' : ''}: servers ${servers.join(', ')}; workloads ${workloads.join(', ')}; data in ${runDir}`);
  let failed = false;
  for (const id of servers) {
    const spec = SERVER_SPECS[id];
    const entry: ServerResults = { spec, errors: {} };
    results.servers[id] = entry;
    log(`\n== ${spec.label}`);
    const record = async <K extends 'latency' | 'throughput' | 'coldOpen' | 'coldOpenLong' | 'memory' | 'presence' | 'meeting'>(
      key: K,
      workload: keyof ServerResults['errors'],
      run: (handle: ServerHandle) => Promise<NonNullable<ServerResults[K]>>,
      start: Parameters<ServerHandle['start']>[0] = {},
    ) => {
      if (!workloads.includes(workload)) return;
      const handle = new ServerHandle(spec, runDir);
      const t0 = performance.now();
      log(`  (${workload}) ${key} …`);
      try {
        entry[key] = await withServer(handle, start, () => run(handle)) as ServerResults[K];
        log(`  (${workload}) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        entry.errors[workload] = message;
        log(`  (${workload}) FAILED: ${message}\n  --- server log tail ---\n${handle.logTail(15)}`);
      } finally {
        await handle.dispose();
      }
    };

    await record('memory', 'd', (h) => runMemory(h, settings.memory));
    // BENCH_PROFILE=1: each server runs (a) and (b) under --cpu-prof (written when it exits).
    const profiling = settings.profile;
    const profileFlags = (workload: Workload) =>
      profiling ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${path.join(runDir, `${id}-cpuprofile-${workload}`)}`] } : {};
    await record('latency', 'a', (h) => runLatency(h, settings.latency), profileFlags('a'));
    await record('throughput', 'b', (h) => runThroughput(h, settings.throughput), profileFlags('b'));
    if (profiling) {
      entry.profile = {};
      for (const workload of ['a', 'b'] as const) {
        const dir = path.join(runDir, `${id}-cpuprofile-${workload}`);
        if (!fs.existsSync(dir)) continue;
        entry.profile[workload] = summarizeCpuProfiles(dir, 25);
        log(`  CPU profile of ${spec.label} during (${workload}): ${dir}`);
      }
    }
    await record('coldOpen', 'c', (h) => runColdOpen(h, settings.coldOpen), { docUnloadDelayMs: 200 });
    if (id === 'jane') await record('coldOpenLong', 'c', (h) => runColdOpen(h, settings.coldOpenLong), { docUnloadDelayMs: 200 });
    if (id === 'jane') await record('presence', 'p', (h) => runPresence(h, settings.presence), profileFlags('p'));
    // Ours: with socket.io presence as the UI sends it; the anchors have none.
    await record(
      'meeting',
      'm',
      (h) => runMeeting(h, { ...settings.meeting, presenceIntervalSeconds: id === 'jane' ? settings.meeting.presenceIntervalSeconds : 0 }),
      profileFlags('m'),
    );
    if (profiling) {
      const dir = path.join(runDir, `${id}-cpuprofile-m`);
      if (fs.existsSync(dir)) {
        entry.profile = { ...entry.profile, m: summarizeCpuProfiles(dir, 25) };
        log(`  CPU profile of ${spec.label} during (m): ${dir}`);
      }
    }
    if (id === 'jane' && workloads.includes('l')) {
      log('  (l) section lock cost …');
      try {
        entry.sectionLocks = runSectionLocks(settings.sectionLocks);
        if (entry.sectionLocks.cases.some((c) => !c.correct)) throw new Error('a lock case ended with the wrong text');
      } catch (error) {
        failed = true;
        entry.errors.l = error instanceof Error ? error.message : String(error);
        log(`  (l) FAILED: ${entry.errors.l}`);
      }
    }
    if (id === 'jane' && workloads.includes('h')) {
      log('  (h) version history …');
      try {
        entry.history = await runHistoryBench(settings.history);
        if (!entry.history.correct) throw new Error('changes did not credit every edit to its author');
      } catch (error) {
        failed = true;
        entry.errors.h = error instanceof Error ? error.message : String(error);
        log(`  (h) FAILED: ${entry.errors.h}`);
      }
    }
    if (id === 'jane' && workloads.includes('e')) {
      log('  (e) export and import …');
      try {
        entry.exportImport = await runExportImport(settings.exportImport);
      } catch (error) {
        failed = true;
        entry.errors.e = error instanceof Error ? error.message : String(error);
        log(`  (e) FAILED: ${entry.errors.e}`);
      }
    }
    if (id === 'jane' && workloads.includes('x')) {
      log('  (x) scale-out edit latency …');
      const t0 = performance.now();
      try {
        entry.crossInstance = await runScaleOut(runDir);
        log(`  (x) done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (error) {
        failed = true;
        entry.errors.x = error instanceof Error ? error.message : String(error);
        log(`  (x) FAILED: ${entry.errors.x}`);
      }
    }
  }
  if (workloads.includes('f')) {
    log('\n(f) first-load JavaScript of the built client …');
    try {
      results.bundle = measureBundle(path.resolve(benchDir, '../../client/dist'), FIRST_LOAD_PAGES);
    } catch (error) {
      failed = true;
      results.errors = { ...results.errors, f: error instanceof Error ? error.message : String(error) };
      log(`  (f) FAILED: ${results.errors.f}`);
    }
  }
  if (workloads.includes('r')) {
    log('\n(r) receiving browser (Chromium, e2e/scripts/receivingBrowser.ts) …');
    try {
      results.receivingBrowser = await runReceivingBrowser(runDir, settings.receivingBrowser.phaseSeconds);
    } catch (error) {
      failed = true;
      results.errors = { ...results.errors, r: error instanceof Error ? error.message : String(error) };
      log(`  (r) FAILED: ${results.errors.r}`);
    }
  }
  results.durationSeconds = Math.round((Date.now() - started) / 1000);

  const outFile = process.env.BENCH_OUT ?? path.join(benchDir, 'results', 'latest.json');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderReport(results)}\n`);
  log(`\nResults: ${path.relative(process.cwd(), outFile)} (${results.durationSeconds} s)`);
  if (failed) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);

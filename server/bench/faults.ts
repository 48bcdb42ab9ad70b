/**
 * `pnpm test:faults`: the long version of the scale-out fault tests — many runs with
 * mixed timings of every scenario, against three instances of our server (child
 * processes) on one MongoDB (jongodb) and Redis. Prints one Markdown table and writes
 * bench/results/faults.json. Exits non-zero when anything acknowledged was lost, a run
 * did not converge, or a process died that should not have.
 *
 * Environment:
 *   FAULT_KILL_RUNS=100     kill -9 runs (spread over the six kill variants)
 *   FAULT_TERM_RUNS=10      SIGTERM runs
 *   FAULT_OUTAGE_RUNS=5     Redis outages while editing (and as many during socket.io traffic)
 *   FAULT_ABSENT_RUNS=3     Redis unreachable at start
 *   FAULT_RUNS_PER_CLUSTER=10  kill/term runs per cluster (each cluster has a fresh database)
 *   FAULT_OUT=path          where to write the JSON
 *
 * A run that finds promised edits missing from the store notes what the store cannot
 * integrate and writes a dump of the document's records beside the instances' logs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireRedis, PrivateRedis } from '../test/helpers/redis.js';
import {
  runKillScenario,
  runRedisAbsentAtStart,
  runRedisOutage,
  runSocketIoOutage,
  seededRandom,
  startFaultCluster,
  type FaultCluster,
  type KillOutcome,
  type KillScenario,
  type OutageOutcome,
  type SocketIoOutageOutcome,
} from '../test/faults/cluster.js';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const count = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
};
const runs = {
  kill: count('FAULT_KILL_RUNS', 100),
  term: count('FAULT_TERM_RUNS', 10),
  outage: count('FAULT_OUTAGE_RUNS', 5),
  absent: count('FAULT_ABSENT_RUNS', 3),
};

/** Kill/term runs share one cluster (database, Redis prefix, instances) this many at a time. */
const runsPerCluster = Math.max(1, count('FAULT_RUNS_PER_CLUSTER', 10));

const log = (message: string) => process.stderr.write(`${message}\n`);

interface Variant {
  label: string;
  scenario: Pick<KillScenario, 'failover' | 'clientVersions' | 'signal'> & { stall: boolean };
}

const KILL_VARIANTS: Variant[] = [
  { label: 'kill -9, clients move to another instance', scenario: { failover: 'move', stall: false } },
  { label: 'kill -9, store stalled just before, clients move', scenario: { failover: 'move', stall: true } },
  { label: 'kill -9, clients return to the restarted instance (y-websocket 3)', scenario: { failover: 'return', stall: false } },
  { label: 'kill -9, store stalled, clients return (y-websocket 3)', scenario: { failover: 'return', stall: true } },
  { label: 'kill -9, store stalled, clients return (y-websocket 2 and 3)', scenario: { failover: 'return', stall: true, clientVersions: [2, 3] } },
  { label: 'kill -9, clients move (y-websocket 1, 2 and 3)', scenario: { failover: 'move', stall: false, clientVersions: [1, 2, 3] } },
];
const TERM_VARIANTS: Variant[] = [
  { label: 'SIGTERM under heavy typing', scenario: { failover: 'move', stall: false, signal: 'SIGTERM' } },
  { label: 'SIGTERM while the store stalls', scenario: { failover: 'move', stall: true, signal: 'SIGTERM' } },
];

interface Row {
  scenario: string;
  runs: number;
  typed: number;
  acknowledged: number;
  lost: number;
  converged: number;
  settled: number;
  refusals: number;
  extra: string;
}

function killRow(label: string, outcomes: KillOutcome[]): Row {
  const exits = outcomes.flatMap((o) => (o.termination ? [o.termination] : []));
  const extra = exits.length > 0
    ? `exit 0 in ${exits.filter((e) => e.code === 0).length}/${exits.length}; slowest exit ${Math.max(...exits.map((e) => e.ms))} ms; readiness 503 while draining in ${exits.filter((e) => e.readiness.every((s) => s === 503)).length}/${exits.length}`
    : `kill after ${Math.min(...outcomes.map((o) => o.killedAfterMs))}–${Math.max(...outcomes.map((o) => o.killedAfterMs))} ms`;
  return {
    scenario: label,
    runs: outcomes.length,
    typed: sum(outcomes.map((o) => o.typed)),
    acknowledged: sum(outcomes.map((o) => o.acknowledged)),
    lost: sum(outcomes.map((o) => o.lost.length)),
    converged: outcomes.filter((o) => o.converged).length,
    settled: outcomes.filter((o) => o.settled).length,
    refusals: sum(outcomes.map((o) => o.closeCodes.filter((c) => c === 4400).length)),
    extra,
  };
}

function outageRow(label: string, outcomes: OutageOutcome[]): Row {
  const times = outcomes.map((o) => o.reconvergedMs);
  return {
    scenario: label,
    runs: outcomes.length,
    typed: sum(outcomes.map((o) => o.typed)),
    acknowledged: sum(outcomes.map((o) => o.acknowledged)),
    lost: sum(outcomes.map((o) => o.lost.length)),
    converged: outcomes.filter((o) => o.converged && o.reconvergedMs !== null).length,
    settled: outcomes.filter((o) => o.settled).length,
    refusals: 0,
    extra: `processes alive ${outcomes.filter((o) => o.processesAlive).length}/${outcomes.length}; served during outage ${outcomes.filter((o) => o.servedDuringOutage).length}/${outcomes.length}; reconverged after Redis returned in ${times.some((t) => t === null) ? 'n/a' : `${Math.min(...(times as number[]))}–${Math.max(...(times as number[]))} ms`}`,
  };
}

function socketRow(outcomes: SocketIoOutageOutcome[]): Row {
  const recovered = outcomes.map((o) => o.presenceRecoveredMs);
  return {
    scenario: 'Redis down 7.5 s during socket.io traffic',
    runs: outcomes.length,
    typed: 0,
    acknowledged: 0,
    lost: 0,
    converged: outcomes.filter((o) => o.presenceRecoveredMs !== null).length,
    settled: outcomes.filter((o) => o.processesAlive).length,
    refusals: 0,
    extra: `${sum(outcomes.map((o) => o.requests))} socket.io requests; processes alive ${outcomes.filter((o) => o.processesAlive).length}/${outcomes.length}; snapshot during the outage ≤ ${Math.max(...outcomes.map((o) => o.snapshotDuringOutageMs))} ms; presence across instances again after ${recovered.some((r) => r === null) ? 'n/a' : `${Math.min(...(recovered as number[]))}–${Math.max(...(recovered as number[]))} ms`}`,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function main(): Promise<void> {
  const started = Date.now();
  const redisUrl = await requireRedis();
  const rows: Row[] = [];
  const raw: Record<string, unknown[]> = {};
  let failed = false;
  const record = (label: string, outcome: { lost?: string[]; converged?: boolean; notes?: string[] } & Record<string, unknown>) => {
    (raw[label] ??= []).push({ ...outcome, lost: outcome.lost?.length ?? 0, lostTokens: outcome.lost?.slice(0, 20) });
  };

  if (runs.kill + runs.term > 0) {
    log(`kill/term runs: three instances on jongodb + Redis, a fresh cluster every ${runsPerCluster} runs`);
    let cluster: FaultCluster | null = null;
    try {
      const byLabel = new Map<string, KillOutcome[]>();
      const plan: Variant[] = [];
      for (let i = 0; i < runs.kill; i++) plan.push(KILL_VARIANTS[i % KILL_VARIANTS.length]!);
      for (let i = 0; i < runs.term; i++) plan.push(TERM_VARIANTS[i % TERM_VARIANTS.length]!);
      for (const [index, variant] of plan.entries()) {
        // jongodb slows down as records accumulate (instance starts reached 25 s after 30
        // runs): a new database every few runs keeps the runs measuring our server.
        if (index % runsPerCluster === 0) {
          await cluster?.stop();
          cluster = await startFaultCluster({ instances: 3, people: 6, redisUrl });
        }
        const seed = 1000 + index;
        const random = seededRandom(seed * 7919);
        const scenario: KillScenario = {
          seed,
          failover: variant.scenario.failover,
          clientVersions: variant.scenario.clientVersions,
          signal: variant.scenario.signal,
          storeStallMs: variant.scenario.stall ? 500 + Math.round(random() * 1000) : 0,
          typists: 6,
          typeBeforeMs: 400 + Math.round(random() * 1600),
          typeAfterMs: 800 + Math.round(random() * 800),
        };
        const outcome = await runKillScenario(cluster!, scenario);
        const bad = outcome.lost.length > 0 || !outcome.converged || !outcome.settled || outcome.closeCodes.includes(4400) || (outcome.termination !== undefined && (outcome.termination.code !== 0 || outcome.termination.ms >= 10_000));
        if (bad) failed = true;
        log(`  ${index + 1}/${plan.length} ${variant.label} (seed ${seed}): ${outcome.acknowledged}/${outcome.typed} promised, lost ${outcome.lost.length}, converged ${outcome.converged}${outcome.termination ? `, exit ${outcome.termination.code} in ${outcome.termination.ms} ms` : ''}${bad ? `  ← ${outcome.notes.join('; ')}` : ''}`);
        record(variant.label, outcome as unknown as Record<string, unknown> & { lost: string[] });
        if (!byLabel.has(variant.label)) byLabel.set(variant.label, []);
        byLabel.get(variant.label)!.push(outcome);
      }
      for (const [label, outcomes] of byLabel) rows.push(killRow(label, outcomes));
    } finally {
      await cluster?.stop();
    }
  }

  if (runs.outage > 0) {
    log('Redis outages: two instances on jongodb + a private Redis');
    const redis = new PrivateRedis();
    await redis.start();
    const cluster = await startFaultCluster({ instances: 2, people: 4, redisUrl: redis.url });
    try {
      const editing: OutageOutcome[] = [];
      for (let i = 0; i < runs.outage; i++) {
        const outcome = await runRedisOutage(cluster, redis, { seed: 2000 + i, outageMs: 7_500, typists: 4 });
        if (outcome.lost.length > 0 || !outcome.converged || outcome.reconvergedMs === null || outcome.reconvergedMs >= 5_000 || !outcome.processesAlive) failed = true;
        log(`  outage ${i + 1}/${runs.outage}: lost ${outcome.lost.length}, reconverged in ${outcome.reconvergedMs} ms`);
        record('Redis down 7.5 s while editing', outcome as unknown as Record<string, unknown> & { lost: string[] });
        editing.push(outcome);
      }
      rows.push(outageRow('Redis down 7.5 s while editing', editing));
      const sockets: SocketIoOutageOutcome[] = [];
      for (let i = 0; i < runs.outage; i++) {
        const outcome = await runSocketIoOutage(cluster, redis, { outageMs: 7_500 });
        if (!outcome.processesAlive || outcome.presenceRecoveredMs === null || outcome.presenceRecoveredMs >= 5_000) failed = true;
        log(`  socket.io outage ${i + 1}/${runs.outage}: alive ${outcome.processesAlive}, presence back in ${outcome.presenceRecoveredMs} ms`);
        record('Redis down 7.5 s during socket.io traffic', outcome as unknown as Record<string, unknown>);
        sockets.push(outcome);
      }
      rows.push(socketRow(sockets));
    } finally {
      await cluster.stop();
      await redis.stop();
    }
  }

  if (runs.absent > 0) {
    log('Redis unreachable at start');
    const absent: OutageOutcome[] = [];
    for (let i = 0; i < runs.absent; i++) {
      const outcome = await runRedisAbsentAtStart({ seed: 3000 + i, typists: 4 });
      if (outcome.lost.length > 0 || !outcome.converged || outcome.reconvergedMs === null || outcome.reconvergedMs >= 5_000 || !outcome.processesAlive) failed = true;
      log(`  absent ${i + 1}/${runs.absent}: lost ${outcome.lost.length}, converged ${outcome.reconvergedMs} ms after Redis appeared`);
      record('Redis unreachable at start, then started', outcome as unknown as Record<string, unknown> & { lost: string[] });
      absent.push(outcome);
    }
    rows.push(outageRow('Redis unreachable at start, then started', absent));
  }

  const seconds = Math.round((Date.now() - started) / 1000);
  const table = [
    `## Scale-out fault runs (${new Date(started).toISOString().slice(0, 10)}, ${seconds} s)`,
    '',
    '| scenario | runs | edits typed | promised (acknowledged) | lost | converged | settled | 4400 refusals | notes |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.scenario} | ${r.runs} | ${r.typed} | ${r.acknowledged} | ${r.lost} | ${r.converged}/${r.runs} | ${r.settled}/${r.runs} | ${r.refusals} | ${r.extra} |`),
    '',
    '"Promised": edits acknowledged as saved to clients that ask for acknowledgements (y-websocket 3, as ours), plus everything typed by older clients that do not (they keep and resend it). "Lost": promised edits missing from the store or from a fresh client on any instance. "Converged": every client, a fresh client on every instance and the store hold the same text.',
  ].join('\n');
  const out = process.env.FAULT_OUT ?? path.join(benchDir, 'results', 'faults.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ startedAt: new Date(started).toISOString(), seconds, runs, rows, raw }, null, 2)}\n`);
  process.stdout.write(`${table}\n`);
  log(`\nResults: ${path.relative(process.cwd(), out)}${failed ? ' — FAILURES above' : ''}`);
  if (failed) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    log(`faults failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exit(1);
  },
);

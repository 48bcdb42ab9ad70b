/**
 * Scale-out that keeps the promise: several instances (child processes) on one MongoDB
 * and one Redis; an instance is killed with SIGKILL while people type — with a fast store
 * and with the store stalled just before — and its clients either move to another
 * instance or come back to it after a restart. Nothing acknowledged as saved may be lost,
 * and every client converges.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedis } from './helpers/redis.js';
import { runKillScenario, startFaultCluster, type FaultCluster, type KillOutcome, type KillScenario } from './faults/cluster.js';

let cluster: FaultCluster;

beforeAll(async () => {
  cluster = await startFaultCluster({ instances: 3, people: 6, redisUrl: await requireRedis() });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

function expectNothingLost(outcome: KillOutcome): void {
  const summary = `seed ${outcome.seed}, ${outcome.failover}, stall ${outcome.storeStallMs} ms, ${outcome.victim} killed after ${outcome.killedAfterMs} ms: ` +
    `${outcome.acknowledged}/${outcome.typed} acknowledged, lost ${outcome.lost.length}; ${outcome.notes.join('; ')}`;
  expect(outcome.lost, summary).toEqual([]);
  expect(outcome.settled, summary).toBe(true);
  expect(outcome.converged, summary).toBe(true);
  expect(outcome.closeCodes.filter((code) => code === 4400), summary).toEqual([]);
  // The run really exercised something: people typed, and most of it was saved.
  expect(outcome.acknowledged, summary).toBeGreaterThan(100);
}

const base: Omit<KillScenario, 'seed' | 'failover' | 'storeStallMs'> = { typists: 6, typeBeforeMs: 1_200, typeAfterMs: 1_200 };

// Seeds pick the victim (A, B or C) and the timings; each variant kills different instances.
describe('kill -9 of one of three instances while six people type', () => {
  it.each([
    { seed: 1, failover: 'move' as const, storeStallMs: 0 },
    { seed: 6, failover: 'move' as const, storeStallMs: 0 },
    { seed: 11, failover: 'move' as const, storeStallMs: 1_000 },
    { seed: 17, failover: 'move' as const, storeStallMs: 1_000 },
  ])('clients move to another instance (seed $seed, store stalled $storeStallMs ms): nothing acknowledged is lost, all converge', async (scenario) => {
    expectNothingLost(await runKillScenario(cluster, { ...base, ...scenario }));
  }, 90_000);

  it.each([
    { seed: 3, failover: 'return' as const, storeStallMs: 0 },
    { seed: 14, failover: 'return' as const, storeStallMs: 0 },
    { seed: 25, failover: 'return' as const, storeStallMs: 1_000 },
    { seed: 31, failover: 'return' as const, storeStallMs: 1_000 },
  ])('clients return to the restarted instance (seed $seed, store stalled $storeStallMs ms): nothing acknowledged is lost, all converge', async (scenario) => {
    expectNothingLost(await runKillScenario(cluster, { ...base, ...scenario }));
  }, 90_000);
});

describe('kill -9 with older stock clients (no acknowledgements): everything they typed arrives', () => {
  it.each([
    { seed: 9, failover: 'return' as const, storeStallMs: 1_000, clientVersions: [2, 3] as (1 | 2 | 3)[] },
    { seed: 20, failover: 'move' as const, storeStallMs: 0, clientVersions: [1, 2, 3] as (1 | 2 | 3)[] },
  ])('y-websocket $clientVersions, clients $failover (seed $seed, store stalled $storeStallMs ms): no refusal, no reconnect loop, all converge', async (scenario) => {
    expectNothingLost(await runKillScenario(cluster, { ...base, ...scenario }));
  }, 90_000);
});

describe('SIGTERM of one instance while six people type', () => {
  it.each([
    { seed: 2, storeStallMs: 0 },
    { seed: 7, storeStallMs: 1_500 },
  ])('drains (seed $seed, store stalled $storeStallMs ms): readiness off at once, exit within 10 s after flushing, nothing acknowledged lost', async (scenario) => {
    const outcome = await runKillScenario(cluster, { ...base, ...scenario, failover: 'move', signal: 'SIGTERM' });
    expectNothingLost(outcome);
    const termination = outcome.termination!;
    expect(termination.code).toBe(0);
    expect(termination.ms).toBeLessThan(10_000);
    // While it drained, the load balancer was told not to send anyone (503), never "ready".
    if (scenario.storeStallMs > 0) expect(termination.readiness.length).toBeGreaterThan(0);
    expect(termination.readiness.every((status) => status === 503)).toBe(true);
  }, 90_000);
});

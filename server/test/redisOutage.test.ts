/**
 * Redis is an accelerator, never a single point of failure: two instances (child
 * processes) on one MongoDB and a Redis of the test's own, which is killed and restarted
 * while people edit and while socket.io is busy, or is not there at all when the
 * instances start. No process exits, each instance keeps serving its own clients, and
 * documents reconverge within 5 s of Redis coming back, with nothing acknowledged lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PrivateRedis } from './helpers/redis.js';
import { runRedisAbsentAtStart, runRedisOutage, runSocketIoOutage, startFaultCluster, type FaultCluster } from './faults/cluster.js';

const REconvergeMs = 5_000;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function privateRedisCluster(): Promise<{ cluster: FaultCluster; redis: PrivateRedis }> {
  const redis = new PrivateRedis();
  await redis.start();
  cleanups.push(() => redis.stop());
  const cluster = await startFaultCluster({ instances: 2, people: 4, redisUrl: redis.url });
  cleanups.push(() => cluster.stop());
  return { cluster, redis };
}

describe('Redis outages', () => {
  it('Redis killed for 7.5 s while people type on two instances: nobody is stopped, each instance keeps serving, and everything reconverges within 5 s of its return', async () => {
    const { cluster, redis } = await privateRedisCluster();
    const outcome = await runRedisOutage(cluster, redis, { seed: 7, outageMs: 7_500, typists: 4 });
    const summary = JSON.stringify({ ...outcome, lost: outcome.lost.length });
    expect(outcome.processesAlive, summary).toBe(true);
    expect(outcome.servedDuringOutage, summary).toBe(true);
    expect(outcome.reconvergedMs, summary).not.toBeNull();
    expect(outcome.reconvergedMs!, summary).toBeLessThan(REconvergeMs);
    expect(outcome.lost, summary).toEqual([]);
    expect(outcome.converged, summary).toBe(true);
  }, 90_000);

  it('Redis killed for 7.5 s while socket.io traffic flows: no process exits, presence answers from the instance itself, and crosses instances again once Redis is back', async () => {
    const { cluster, redis } = await privateRedisCluster();
    const outcome = await runSocketIoOutage(cluster, redis, { outageMs: 7_500 });
    const summary = JSON.stringify(outcome);
    expect(outcome.processesAlive, summary).toBe(true);
    expect(outcome.snapshotDuringOutageMs, summary).toBeLessThan(1_000);
    expect(outcome.presenceRecoveredMs, summary).not.toBeNull();
    expect(outcome.presenceRecoveredMs!, summary).toBeLessThan(REconvergeMs);
    expect(outcome.requests, summary).toBeGreaterThan(60);
  }, 90_000);

  it('Redis unreachable when the instances start: both serve, and documents converge within 5 s once Redis appears', async () => {
    const outcome = await runRedisAbsentAtStart({ seed: 9, typists: 4 });
    const summary = JSON.stringify({ ...outcome, lost: outcome.lost.length });
    expect(outcome.processesAlive, summary).toBe(true);
    expect(outcome.servedDuringOutage, summary).toBe(true);
    // Without Redis the two instances could not see each other's edits yet.
    expect(outcome.convergedBeforeRedis, summary).toBe(false);
    expect(outcome.reconvergedMs, summary).not.toBeNull();
    expect(outcome.reconvergedMs!, summary).toBeLessThan(REconvergeMs);
    expect(outcome.lost, summary).toEqual([]);
    expect(outcome.converged, summary).toBe(true);
  }, 90_000);
});

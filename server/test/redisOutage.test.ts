/**
 * Redis is an accelerator, never a single point of failure: two instances (child
 * processes) on one MongoDB and a Redis of the test's own, which is killed and restarted
 * while people edit and while socket.io is busy, or is not there at all when the
 * instances start. No process exits, each instance keeps serving its own clients, and
 * documents reconverge within 5 s of Redis coming back, with nothing acknowledged lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from './helpers/api.js';
import { connectClient, waitFor, waitForSync } from './helpers/collab.js';
import { call, connectRealtime, type RealtimeClient } from './helpers/realtime.js';
import { freePort } from './helpers/instances.js';
import { PrivateRedis } from './helpers/redis.js';
import { tokensIn, Typist } from './helpers/typists.js';
import { seededRandom, startFaultCluster, type FaultCluster } from './faults/cluster.js';

const REconvergeMs = 5_000;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setUp(options: { redisRunning: boolean }): Promise<{ cluster: FaultCluster; redis: PrivateRedis; documentId: string; typists: Typist[] }> {
  const redis = new PrivateRedis();
  if (options.redisRunning) await redis.start();
  else redis.port = await freePort();
  cleanups.push(() => redis.stop());
  const cluster = await startFaultCluster({ instances: 2, people: 4, redisUrl: redis.url });
  cleanups.push(() => cluster.stop());
  const api = new ApiClient(cluster.instances[0]!.url);
  api.cookie = cluster.cookies[0]!;
  const created = await api.post(`/api/workspaces/${cluster.workspaceId}/documents`, { title: 'Outage draft', template: 'blank' });
  expect(created.status).toBe(201);
  const documentId: string = created.body.document.id;
  const typists = cluster.cookies.map((cookie, i) => new Typist(`t${i}`, documentId, cookie, () => cluster.instances[i % 2]!.url));
  cleanups.push(() => typists.forEach((t) => t.destroy()));
  await waitFor(() => typists.every((t) => t.provider.synced), 10_000, 'typists synced');
  return { cluster, redis, documentId, typists };
}

/** Types on every typist until `stop()`; returns the stopper. */
function keepTyping(typists: Typist[], seed: number): () => Promise<void> {
  const random = seededRandom(seed);
  let typing = true;
  const loops = typists.map(async (typist) => {
    while (typing) {
      typist.typeToken(random);
      await sleep(20 + Math.floor(random() * 40));
    }
  });
  return async () => {
    typing = false;
    await Promise.all(loops);
  };
}

/** Everyone has the same text, holding every token anyone had acknowledged. */
function converged(typists: Typist[]): boolean {
  const text = typists[0]!.text();
  if (!typists.every((t) => t.text() === text)) return false;
  const seen = tokensIn(text);
  return typists.every((t) => t.acknowledged.every((token) => seen.has(token)));
}

async function expectStoredAndServed(cluster: FaultCluster, documentId: string, typists: Typist[]): Promise<void> {
  await waitFor(() => typists.every((t) => t.settled), 10_000, 'everything acknowledged');
  const acknowledged = typists.flatMap((t) => t.acknowledged);
  for (const instance of cluster.instances) {
    const fresh = connectClient(instance.url, documentId, cluster.cookies[0]!);
    cleanups.push(() => fresh.destroy());
    await waitForSync(fresh);
    const seen = tokensIn(fresh.text());
    expect(acknowledged.filter((token) => !seen.has(token)), `missing on ${instance.name}`).toEqual([]);
  }
  for (const instance of cluster.instances) expect(instance.running, `${instance.name} still running`).toBe(true);
}

describe('Redis outages', () => {
  it('Redis killed for 7.5 s while people type on two instances: nobody is stopped, and everything reconverges within 5 s of its return', async () => {
    const { cluster, redis, documentId, typists } = await setUp({ redisRunning: true });
    const stopTyping = keepTyping(typists, 7);
    await sleep(800);
    await redis.stop();
    await sleep(7_000);
    // Each instance kept serving its own clients: their edits were acknowledged meanwhile.
    const acknowledgedDuringOutage = typists.map((t) => t.acknowledged.length);
    await sleep(500);
    expect(typists.every((t, i) => t.acknowledged.length > acknowledgedDuringOutage[i]!)).toBe(true);
    await redis.start();
    const back = Date.now();
    await stopTyping();
    await waitFor(() => typists.every((t) => t.settled) && converged(typists), REconvergeMs, 'reconvergence after Redis returned');
    expect(Date.now() - back).toBeLessThan(REconvergeMs);
    await expectStoredAndServed(cluster, documentId, typists);
  }, 90_000);

  it('Redis killed while socket.io traffic flows: no process exits, presence answers from the instance itself, and crosses instances again once Redis is back', async () => {
    const { cluster, redis, documentId } = await setUp({ redisRunning: true });
    const [a, b] = cluster.instances;
    const onA: RealtimeClient = await connectRealtime(a!.url, cluster.cookies[0]!);
    const onB: RealtimeClient = await connectRealtime(b!.url, cluster.cookies[1]!);
    cleanups.push(() => {
      onA.disconnect();
      onB.disconnect();
    });
    const workspaceId = cluster.workspaceId;
    const move = (socket: RealtimeClient, section: string) =>
      call(socket, 'presence:update', { workspaceId, documentId, sectionTitle: section, activity: 'active', hidden: false });
    /** Where A sees B's connection (the section title it last reported). */
    const seenOnA = () => JSON.stringify([...(onA.presence.get(workspaceId)?.values() ?? [])].filter((c) => c.connectionId === onB.id));
    let flowing = true;
    let sent = 0;
    const traffic = (async () => {
      while (flowing) {
        await Promise.all([move(onA, `a-${sent}`), move(onB, `b-${sent}`), call(onA, 'presence:snapshot')]).catch(() => undefined);
        sent++;
        await sleep(120); // under the presence rate limit (10 a second)
      }
    })();
    await sleep(500);
    expect(seenOnA()).toContain('"b-');
    await redis.stop();
    await sleep(3_000);
    // Still answering, from this instance's own connections.
    const started = Date.now();
    await call(onA, 'presence:snapshot');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(a!.running && b!.running).toBe(true);
    await redis.start();
    flowing = false;
    await traffic;
    // The app reports a location on every move; B keeps moving until A sees it again.
    const back = Date.now();
    let n = 0;
    await waitFor(async () => {
      await move(onB, `after-outage-${++n}`);
      await sleep(200);
      return seenOnA().includes('after-outage');
    }, REconvergeMs, 'presence from B reaches A again');
    expect(Date.now() - back).toBeLessThan(REconvergeMs);
    expect(a!.running && b!.running).toBe(true);
    expect(sent).toBeGreaterThan(20);
  }, 90_000);

  it('Redis unreachable when the instances start: both serve, and documents converge within 5 s once Redis appears', async () => {
    const { cluster, redis, documentId, typists } = await setUp({ redisRunning: false });
    const stopTyping = keepTyping(typists, 9);
    await sleep(1_500);
    await stopTyping();
    await waitFor(() => typists.every((t) => t.settled), 10_000, 'each instance acknowledges its own clients without Redis');
    // Without Redis the two instances cannot see each other's edits yet.
    expect(converged(typists)).toBe(false);
    await redis.start();
    await waitFor(() => converged(typists), REconvergeMs, 'convergence once Redis is there');
    await expectStoredAndServed(cluster, documentId, typists);
  }, 90_000);
});

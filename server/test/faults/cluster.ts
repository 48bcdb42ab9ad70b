/**
 * A scale-out deployment in miniature for fault tests: a MongoDB-wire server (jongodb,
 * our own process so that it can be paused), a Redis, and several instances of our
 * server as child processes — plus the kill scenario that the tests and
 * `pnpm test:faults` run against it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../src/auth/passwords.js';
import { newId } from '../../src/ids.js';
import { openMongoStore } from '../../src/storage/mongo/mongoStore.js';
import { docFromState } from '../../src/storage/docState.js';
import type { Store } from '../../src/storage/port.js';
import { ApiClient } from '../helpers/api.js';
import { connectClient, textOf, waitFor, waitForSync } from '../helpers/collab.js';
import { freePort, pauseProcess, resumeProcess, ServerInstance } from '../helpers/instances.js';
import { PrivateRedis } from '../helpers/redis.js';
import { call, connectRealtime, type RealtimeClient } from '../helpers/realtime.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { TEST_PASSWORD } from '../helpers/people.js';
import { tokensIn, Typist } from '../helpers/typists.js';
import { diagnoseStoreLoss } from './storeLoss.js';
import * as Y from 'yjs';

export interface FaultCluster {
  mongo: TestMongo;
  store: Store;
  instances: ServerInstance[];
  workspaceId: string;
  /** Session cookies of the typing members (one account each). */
  cookies: string[];
  logDir: string;
  stop(): Promise<void>;
}

/** Deterministic pseudo-random numbers, so that a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = Math.imul(seed, 2654435761) >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = 0; i < 4; i++) next();
  return next;
}

export async function startFaultCluster(options: { instances: number; people: number; redisUrl: string; env?: Record<string, string> }): Promise<FaultCluster> {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-faults-'));
  const mongo = await startTestMongo({ ownProcess: true });
  const env = {
    MONGODB_URI: mongo.uri,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: `jane-faults-${randomUUID()}`,
    DOC_UNLOAD_DELAY_MS: '2000',
    COMPACT_AFTER_UPDATES: '200',
    ...options.env,
  };
  const instances = Array.from({ length: options.instances }, (_, i) => new ServerInstance({ name: `instance-${String.fromCharCode(65 + i)}`, env, logFile: path.join(logDir, `${i}.log`) }));
  const store = await openMongoStore({ uri: mongo.uri });
  const stop = async () => {
    await Promise.all(instances.map((instance) => instance.kill()));
    await store.close().catch(() => undefined);
    await mongo.stop();
  };
  try {
    // One at a time: the first start seeds the workspaces.
    for (const instance of instances) await instance.start();
    const [workspace] = await store.workspaces.list();
    if (!workspace) throw new Error('no seeded workspace');
    const cookies: string[] = [];
    const passwordHash = await hashPassword(TEST_PASSWORD, 10);
    for (let i = 0; i < options.people; i++) {
      const id = newId();
      const now = new Date().toISOString();
      const email = `typist${i}-${id.slice(0, 6).toLowerCase()}@example.eu`;
      await store.users.create({ id, email, name: `Typist ${i}`, country: 'IT', organisation: 'Faults', passwordHash, isAdmin: false, active: true, createdAt: now });
      await store.memberships.upsert({ workspaceId: workspace.id, userId: id, role: 'contributor', createdAt: now });
      const api = new ApiClient(instances[i % instances.length]!.url);
      const login = await api.post('/api/auth/login', { email, password: TEST_PASSWORD });
      if (login.status !== 200 || !api.cookie) throw new Error(`login failed: ${login.status}`);
      cookies.push(api.cookie);
    }
    return { mongo, store, instances, workspaceId: workspace.id, cookies, logDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type Failover = 'move' | 'return';

export interface KillScenario {
  seed: number;
  /** `move`: the dead instance's clients go to another one; `return`: it restarts and they come back. */
  failover: Failover;
  /** Pause the database (SIGSTOP) this long just before the kill, resume right after. */
  storeStallMs: number;
  typists: number;
  /** Typing before the kill (ms); the exact moment is drawn from the seed within ±50 %. */
  typeBeforeMs: number;
  typeAfterMs: number;
  settleTimeoutMs?: number;
  /** SIGKILL (default) or SIGTERM (a graceful drain, as an orchestrator stops an instance). */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** Major versions of y-websocket the typists use, in turn (default: all 3, which asks for acknowledgements). */
  clientVersions?: (1 | 2 | 3)[];
}

export interface KillOutcome {
  seed: number;
  failover: Failover;
  storeStallMs: number;
  victim: string;
  killedAfterMs: number;
  typed: number;
  acknowledged: number;
  /** Promised tokens (see {@link Check}) missing from the store or from a fresh client on any instance. */
  lost: string[];
  /** Every typist and a fresh client on every instance have the same text, equal to the store's. */
  converged: boolean;
  /** Every typist ended connected with everything acknowledged. */
  settled: boolean;
  /** Close codes typists saw (4400 here would mean a client refused as malformed). */
  closeCodes: number[];
  /** SIGTERM: how the process exited, and what its readiness answered while it drained. */
  termination?: { code: number | null; ms: number; readiness: number[] };
  notes: string[];
}

/** SIGTERM with a stalled store: the stall starts this long before the signal. */
const STALL_BEFORE_TERM_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function storedText(store: Store, documentId: string): Promise<string> {
  const doc = docFromState(await store.content.load(documentId));
  const text = textOf(doc);
  doc.destroy();
  return text;
}

export interface Check {
  typed: number;
  /** Tokens the clients were promised are safe: acknowledged ones, and everything typed by clients that do not ask for acknowledgements (they keep and resend it). */
  acknowledged: number;
  lost: string[];
  converged: boolean;
  settled: boolean;
  notes: string[];
}

/**
 * After a fault: waits until every typist is connected and (if it asks for them) has all
 * its edits acknowledged, then compares what the clients were promised with a fresh
 * client on every running instance and with the store itself, and all texts with each other.
 */
export async function checkOutcome(cluster: FaultCluster, documentId: string, typists: Typist[], settleTimeoutMs = 30_000): Promise<Check> {
  const notes: string[] = [];
  let settled = true;
  try {
    await waitFor(() => typists.every((t) => t.settled), settleTimeoutMs, 'every typist connected with everything acknowledged');
  } catch (error) {
    settled = false;
    notes.push((error as Error).message);
    for (const t of typists) if (!t.settled) notes.push(`${t.name}: connected ${t.provider.wsconnected}, synced ${t.provider.synced}, acknowledged ${t.acknowledged.length}/${t.typed.length}`);
  }
  const promised = typists.flatMap((t) => (t.tracksAcks ? t.acknowledged : t.typed));
  const typed = typists.reduce((sum, t) => sum + t.typed.length, 0);
  const hasAll = (text: string) => {
    const seen = tokensIn(text);
    return promised.filter((token) => !seen.has(token));
  };
  const lost = new Set<string>();
  const texts: string[] = [];
  const instanceStates = new Map<string, Uint8Array>();
  for (const instance of cluster.instances.filter((i) => i.running)) {
    const fresh = connectClient(instance.url, documentId, cluster.cookies[0]!);
    try {
      await waitForSync(fresh, 10_000);
      // A fresh client gets everything the instance has at once; late relays (and resends
      // of clients without acknowledgements) get a moment to land.
      await waitFor(() => hasAll(fresh.text()).length === 0, 5_000, `promised tokens on ${instance.name}`).catch(() => undefined);
      for (const token of hasAll(fresh.text())) lost.add(token);
      texts.push(fresh.text());
      instanceStates.set(instance.name, Y.encodeStateAsUpdate(fresh.doc));
    } finally {
      fresh.destroy();
    }
  }
  // What a cold start would load: read the store directly, once the instances flushed.
  let stored = '';
  await waitFor(async () => {
    stored = await storedText(cluster.store, documentId);
    return hasAll(stored).length === 0;
  }, 5_000, 'the store').catch(() => undefined);
  const missingInStore = hasAll(stored);
  for (const token of missingInStore) lost.add(token);
  if (missingInStore.length > 0) {
    notes.push(`${missingInStore.length} promised tokens not in the store`);
    notes.push(await diagnoseStoreLoss(cluster.mongo.uri, documentId, instanceStates, cluster.logDir).catch((error: Error) => `diagnosis failed: ${error.message}`));
  }
  texts.push(stored, ...typists.map((t) => t.text()));
  const converged = texts.every((text) => text === texts[0]);
  if (!converged) notes.push(`texts differ: ${[...new Set(texts.map((t) => tokensIn(t).size))].join(' / ')} tokens`);
  return { typed, acknowledged: promised.length, lost: [...lost], converged, settled, notes };
}

/** Types unique tokens on every typist at random intervals until the returned function is called. */
export function keepTyping(typists: Typist[], random: () => number, pauseMs: [number, number] = [10, 50]): () => Promise<void> {
  let typing = true;
  const loops = typists.map(async (typist) => {
    while (typing) {
      typist.typeToken(random);
      await sleep(pauseMs[0] + Math.floor(random() * (pauseMs[1] - pauseMs[0])));
    }
  });
  return async () => {
    typing = false;
    await Promise.all(loops);
  };
}

/** A new blank document in the cluster's workspace. */
export async function createDocument(cluster: FaultCluster, title: string): Promise<string> {
  const creator = new ApiClient(cluster.instances.find((i) => i.running)!.url);
  creator.cookie = cluster.cookies[0]!;
  const created = await creator.post(`/api/workspaces/${cluster.workspaceId}/documents`, { title, template: 'blank' });
  if (created.status !== 201) throw new Error(`could not create the document: ${created.status}`);
  return created.body.document.id;
}

/**
 * One run: typists spread over the instances type unique tokens at random places; at a
 * random moment one instance is killed with SIGKILL (optionally while the database is
 * stalled); its clients fail over; after more typing everyone settles and we check that
 * nothing acknowledged is missing anywhere and that everybody converged.
 */
export async function runKillScenario(cluster: FaultCluster, scenario: KillScenario): Promise<KillOutcome> {
  const random = seededRandom(scenario.seed);
  const { instances } = cluster;
  const notes: string[] = [];
  for (const instance of instances) if (!instance.running) await instance.start();
  const documentId = await createDocument(cluster, `Kill run ${scenario.seed}`);

  const victimIndex = Math.floor(random() * instances.length);
  const victim = instances[victimIndex]!;
  const home = (i: number) => instances[i % instances.length]!;
  const typists: Typist[] = [];
  for (let i = 0; i < scenario.typists; i++) {
    const target = () => {
      const preferred = home(i);
      if (preferred.running || scenario.failover === 'return') return preferred.url;
      return instances.find((instance) => instance.running)!.url;
    };
    const versions = scenario.clientVersions ?? [3];
    typists.push(new Typist(`t${i}`, documentId, cluster.cookies[i % cluster.cookies.length]!, target, versions[i % versions.length]));
  }
  try {
    await waitFor(() => typists.every((t) => t.provider.synced), 15_000, 'typists to sync');
    const stopTyping = keepTyping(typists, random);
    const killedAfterMs = Math.round(scenario.typeBeforeMs * (0.5 + random()));
    await sleep(killedAfterMs);
    const pid = cluster.mongo.pid;
    if (scenario.storeStallMs > 0) {
      if (!pid) throw new Error('the database is not our process; cannot stall it');
      pauseProcess(pid);
      // SIGKILL: the store stalls just before the kill. SIGTERM: the drain begins while it
      // stalls, with writes piled up behind it.
      await sleep(scenario.signal === 'SIGTERM' ? STALL_BEFORE_TERM_MS : scenario.storeStallMs);
    }
    let termination: KillOutcome['termination'];
    if (scenario.signal === 'SIGTERM') {
      const readiness: number[] = [];
      let polling = true;
      const exited = victim.terminate(15_000);
      const poller = (async () => {
        await sleep(50); // the signal reaches the process
        while (polling) {
          const response = await fetch(`${victim.url}/api/ready`).catch(() => null);
          if (response) readiness.push(response.status);
          await sleep(20);
        }
      })();
      // The store comes back while the instance drains: it must flush, then exit.
      if (scenario.storeStallMs > 0) {
        await sleep(Math.max(0, scenario.storeStallMs - STALL_BEFORE_TERM_MS));
        resumeProcess(pid!);
      }
      const { code, ms } = await exited;
      polling = false;
      await poller;
      termination = { code, ms, readiness };
    } else {
      await victim.kill();
      if (scenario.storeStallMs > 0) resumeProcess(pid!);
    }
    if (scenario.failover === 'return') await victim.start();
    await sleep(scenario.typeAfterMs);
    await stopTyping();

    const check = await checkOutcome(cluster, documentId, typists, scenario.settleTimeoutMs);
    notes.push(...check.notes);
    return {
      seed: scenario.seed,
      failover: scenario.failover,
      storeStallMs: scenario.storeStallMs,
      victim: victim.name,
      killedAfterMs,
      typed: check.typed,
      acknowledged: check.acknowledged,
      lost: check.lost,
      converged: check.converged,
      settled: check.settled,
      closeCodes: typists.flatMap((t) => t.closes),
      termination,
      notes,
    };
  } finally {
    for (const typist of typists) typist.destroy();
  }
}

/** Everyone has the same text, holding every token anyone had acknowledged. */
export function typistsConverged(typists: Typist[]): boolean {
  const text = typists[0]!.text();
  if (!typists.every((t) => t.text() === text)) return false;
  const seen = tokensIn(text);
  return typists.every((t) => t.acknowledged.every((token) => seen.has(token)));
}

export interface OutageOutcome extends Check {
  seed: number;
  outageMs: number;
  /** From Redis being back to every typist converged with everything acknowledged; null: not within 30 s. */
  reconvergedMs: number | null;
  /** Edits were still acknowledged on every instance during the outage. */
  servedDuringOutage: boolean;
  processesAlive: boolean;
}

/**
 * Redis dies for `outageMs` while people type through every instance, then comes back
 * (empty, as a restarted Redis without persistence is). Each instance must keep serving
 * its own clients, and all must reconverge once Redis is back.
 */
export async function runRedisOutage(cluster: FaultCluster, redis: PrivateRedis, options: { seed: number; outageMs: number; typists: number }): Promise<OutageOutcome> {
  const random = seededRandom(options.seed);
  const documentId = await createDocument(cluster, `Outage run ${options.seed}`);
  const typists = Array.from({ length: options.typists }, (_, i) => {
    const instance = cluster.instances[i % cluster.instances.length]!;
    return new Typist(`t${i}`, documentId, cluster.cookies[i % cluster.cookies.length]!, () => instance.url);
  });
  try {
    await waitFor(() => typists.every((t) => t.provider.synced), 15_000, 'typists synced');
    const stopTyping = keepTyping(typists, random, [20, 60]);
    await sleep(800);
    await redis.stop();
    await sleep(Math.max(0, options.outageMs - 1_000));
    const before = typists.map((t) => t.acknowledged.length);
    await sleep(1_000);
    const servedDuringOutage = typists.every((t, i) => t.acknowledged.length > before[i]!);
    await redis.start();
    const back = Date.now();
    await stopTyping();
    let reconvergedMs: number | null = null;
    try {
      await waitFor(() => typists.every((t) => t.settled) && typistsConverged(typists), 30_000, 'reconvergence');
      reconvergedMs = Date.now() - back;
    } catch {
      // reported as null
    }
    const check = await checkOutcome(cluster, documentId, typists);
    return { ...check, seed: options.seed, outageMs: options.outageMs, reconvergedMs, servedDuringOutage, processesAlive: cluster.instances.every((i) => i.running) };
  } finally {
    for (const typist of typists) typist.destroy();
  }
}

/**
 * Redis is not reachable when the instances start: both must serve their own clients,
 * and converge once Redis appears. Builds (and stops) a cluster of its own.
 */
export async function runRedisAbsentAtStart(options: { seed: number; typists: number }): Promise<OutageOutcome & { convergedBeforeRedis: boolean }> {
  const redis = new PrivateRedis();
  redis.port = await freePort();
  const cluster = await startFaultCluster({ instances: 2, people: options.typists, redisUrl: redis.url });
  try {
    const random = seededRandom(options.seed);
    const documentId = await createDocument(cluster, `Absent Redis ${options.seed}`);
    const typists = Array.from({ length: options.typists }, (_, i) => {
      const instance = cluster.instances[i % 2]!;
      return new Typist(`t${i}`, documentId, cluster.cookies[i]!, () => instance.url);
    });
    try {
      await waitFor(() => typists.every((t) => t.provider.synced), 15_000, 'typists synced');
      const stopTyping = keepTyping(typists, random, [20, 60]);
      await sleep(1_500);
      await stopTyping();
      await waitFor(() => typists.every((t) => t.settled), 10_000, 'each instance acknowledges its own clients without Redis');
      const servedDuringOutage = typists.every((t) => t.acknowledged.length > 0);
      const convergedBeforeRedis = typistsConverged(typists);
      await redis.start();
      const back = Date.now();
      let reconvergedMs: number | null = null;
      try {
        await waitFor(() => typistsConverged(typists), 30_000, 'convergence once Redis is there');
        reconvergedMs = Date.now() - back;
      } catch {
        // reported as null
      }
      const check = await checkOutcome(cluster, documentId, typists);
      return { ...check, seed: options.seed, outageMs: 0, reconvergedMs, servedDuringOutage, convergedBeforeRedis, processesAlive: cluster.instances.every((i) => i.running) };
    } finally {
      for (const typist of typists) typist.destroy();
    }
  } finally {
    await cluster.stop();
    await redis.stop();
  }
}

export interface SocketIoOutageOutcome {
  outageMs: number;
  /** Presence events and snapshots sent during the run (on both instances). */
  requests: number;
  /** A presence snapshot asked during the outage, answered from the instance itself. */
  snapshotDuringOutageMs: number;
  /** From Redis being back to B's location reaching A; null: not within 30 s. */
  presenceRecoveredMs: number | null;
  processesAlive: boolean;
}

/**
 * Redis dies for `outageMs` while socket.io is busy (presence moves on two instances,
 * snapshots): no process may exit, a snapshot is still answered during the outage, and
 * presence crosses instances again once Redis is back.
 */
export async function runSocketIoOutage(cluster: FaultCluster, redis: PrivateRedis, options: { outageMs: number }): Promise<SocketIoOutageOutcome> {
  const documentId = await createDocument(cluster, 'Presence during an outage');
  const [a, b] = cluster.instances;
  const onA = await connectRealtime(a!.url, cluster.cookies[0]!);
  const onB = await connectRealtime(b!.url, cluster.cookies[1]!);
  try {
    const workspaceId = cluster.workspaceId;
    const move = (socket: RealtimeClient, section: string) =>
      call(socket, 'presence:update', { workspaceId, documentId, sectionTitle: section, activity: 'active', hidden: false });
    /** Where A sees B's connection (the section title it last reported). */
    const seenOnA = () => JSON.stringify([...(onA.presence.get(workspaceId)?.values() ?? [])].filter((c) => c.connectionId === onB.id));
    let flowing = true;
    let requests = 0;
    const traffic = (async () => {
      while (flowing) {
        // Within the event budget, as the app behaves: a move now and then, a snapshot at times.
        const snapshot = requests % 30 === 0 ? [call(onA, 'presence:snapshot')] : [];
        await Promise.all([move(onA, `a-${requests}`), move(onB, `b-${requests}`), ...snapshot]).catch(() => undefined);
        requests += 2 + snapshot.length;
        await sleep(120);
      }
    })();
    await sleep(500);
    if (!seenOnA().includes('"b-')) throw new Error('presence did not cross instances before the outage');
    await redis.stop();
    await sleep(options.outageMs);
    const started = Date.now();
    await call(onA, 'presence:snapshot');
    const snapshotDuringOutageMs = Date.now() - started;
    await redis.start();
    flowing = false;
    await traffic;
    // The app reports a location on every move; B keeps moving until A sees it again.
    const back = Date.now();
    let presenceRecoveredMs: number | null = null;
    let n = 0;
    try {
      await waitFor(async () => {
        await move(onB, `after-outage-${++n}`);
        await sleep(200);
        return seenOnA().includes('after-outage');
      }, 30_000, 'presence from B reaches A again');
      presenceRecoveredMs = Date.now() - back;
    } catch {
      // reported as null
    }
    return { outageMs: options.outageMs, requests, snapshotDuringOutageMs, presenceRecoveredMs, processesAlive: cluster.instances.every((i) => i.running) };
  } finally {
    onA.disconnect();
    onB.disconnect();
  }
}

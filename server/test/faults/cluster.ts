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
import { pauseProcess, resumeProcess, ServerInstance } from '../helpers/instances.js';
import { startTestMongo, type TestMongo } from '../helpers/mongo.js';
import { TEST_PASSWORD } from '../helpers/people.js';
import { tokensIn, Typist } from '../helpers/typists.js';

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
}

export interface KillOutcome {
  seed: number;
  failover: Failover;
  storeStallMs: number;
  victim: string;
  killedAfterMs: number;
  typed: number;
  acknowledged: number;
  /** Acknowledged tokens missing from the store or from a fresh client on any instance. */
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
  const creator = new ApiClient(instances[0]!.url);
  creator.cookie = cluster.cookies[0]!;
  const created = await creator.post(`/api/workspaces/${cluster.workspaceId}/documents`, { title: `Kill run ${scenario.seed}`, template: 'blank' });
  if (created.status !== 201) throw new Error(`could not create the document: ${created.status}`);
  const documentId: string = created.body.document.id;

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
    typists.push(new Typist(`t${i}`, documentId, cluster.cookies[i % cluster.cookies.length]!, target));
  }
  try {
    await waitFor(() => typists.every((t) => t.provider.synced), 15_000, 'typists to sync');
    let typing = true;
    const loops = typists.map(async (typist) => {
      while (typing) {
        typist.typeToken(random);
        await sleep(10 + Math.floor(random() * 40));
      }
    });
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
    typing = false;
    await Promise.all(loops);

    let settled = true;
    try {
      await waitFor(() => typists.every((t) => t.settled), scenario.settleTimeoutMs ?? 30_000, 'every typist connected with everything acknowledged');
    } catch (error) {
      settled = false;
      notes.push((error as Error).message);
      for (const t of typists) if (!t.settled) notes.push(`${t.name}: connected ${t.provider.wsconnected}, synced ${t.provider.synced}, acknowledged ${t.acknowledged.length}/${t.typed.length}`);
    }
    const acknowledged = typists.flatMap((t) => t.acknowledged);
    const typed = typists.reduce((sum, t) => sum + t.typed.length, 0);

    // Fresh clients on every instance, and the store itself.
    const lost = new Set<string>();
    const texts: string[] = [];
    for (const instance of instances.filter((i) => i.running)) {
      const fresh = connectClient(instance.url, documentId, cluster.cookies[0]!);
      try {
        await waitForSync(fresh, 10_000);
        // A fresh client gets everything the instance has at once; give late relays a moment to land.
        await waitFor(() => acknowledged.every((token) => tokensIn(fresh.text()).has(token)), 5_000, `acknowledged tokens on ${instance.name}`).catch(() => undefined);
        const seen = tokensIn(fresh.text());
        for (const token of acknowledged) if (!seen.has(token)) lost.add(token);
        texts.push(fresh.text());
      } finally {
        fresh.destroy();
      }
    }
    // What a cold start would load: read the store directly, after the instances flushed.
    await sleep(200);
    const stored = await storedText(cluster.store, documentId);
    const inStore = tokensIn(stored);
    const missingInStore = acknowledged.filter((token) => !inStore.has(token));
    for (const token of missingInStore) lost.add(token);
    if (missingInStore.length > 0) notes.push(`${missingInStore.length} acknowledged tokens not in the store`);
    texts.push(stored, ...typists.map((t) => t.text()));
    const converged = texts.every((text) => text === texts[0]);
    if (!converged) notes.push(`texts differ: ${[...new Set(texts.map((t) => tokensIn(t).size))].join(' / ')} tokens`);
    return {
      seed: scenario.seed,
      failover: scenario.failover,
      storeStallMs: scenario.storeStallMs,
      victim: victim.name,
      killedAfterMs,
      typed,
      acknowledged: acknowledged.length,
      lost: [...lost],
      converged,
      settled,
      closeCodes: typists.flatMap((t) => t.closes),
      termination,
      notes,
    };
  } finally {
    for (const typist of typists) typist.destroy();
  }
}

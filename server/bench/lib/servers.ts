/**
 * The servers under test, each in its own child process on loopback: ours (durable
 * SQLite), @y/websocket-server (its own bin script; in memory, or with its LevelDB
 * persistence) and Hocuspocus with the database extension on SQLite.
 *
 * Children are killed when this process exits for any reason.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { bundleServer } from '../../bundleServer.js';
import { childCpuSeconds, childRssBytes, freePort } from './proc.js';
import type { Endpoint, WireProtocol } from './wire.js';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverPackageDir = path.resolve(benchDir, '..');
const ywssBin = path.join(serverPackageDir, 'node_modules', '@y', 'websocket-server', 'src', 'server.js');

/** Where the bench's build of our server goes (git-ignored; rebuilt on every bench run). */
const BUILT_HARNESS_DIR = path.join(benchDir, '.build');
let builtHarness: Promise<string> | null = null;

/**
 * Our server as production runs it (`pnpm build`: bundled JavaScript, no tsx), with the
 * bench's IPC harness bundled in; built once per bench run. BENCH_JANE_FROM=sources runs
 * the TypeScript sources through tsx instead (what the tests run).
 */
function janeHarness(): Promise<{ script: string; execArgv: string[] }> {
  if (process.env.BENCH_JANE_FROM === 'sources') return Promise.resolve({ script: path.join(benchDir, 'servers', 'jane.ts'), execArgv: ['--import', 'tsx'] });
  builtHarness ??= bundleServer({ jane: path.join(benchDir, 'servers', 'jane.ts') }, BUILT_HARNESS_DIR).then(() => path.join(BUILT_HARNESS_DIR, 'jane.js'));
  return builtHarness.then((script) => ({ script, execArgv: [] }));
}

export type ServerId = 'jane' | 'ywss' | 'ywss-leveldb' | 'hocuspocus';
export const ALL_SERVERS: ServerId[] = ['jane', 'ywss', 'ywss-leveldb', 'hocuspocus'];

export interface ServerSpec {
  id: ServerId;
  label: string;
  /** One line describing the configuration, printed with the results. */
  configuration: string;
  protocol: WireProtocol;
  /** Keeps documents across a restart (a cold open is possible). */
  persistent: boolean;
  /** When a change is durable relative to what the client is told. */
  durability: string;
}

export const SERVER_SPECS: Record<ServerId, ServerSpec> = {
  jane: {
    id: 'jane',
    label: 'JANE (ours)',
    configuration:
      'startServer(loadConfig) from src/app.ts, bundled as `pnpm build` does (node, no tsx); SQLite WAL, synchronous=FULL, group commit; compaction after 500 updates; session cookie + Origin check on upgrade; per-account socket limits raised (one bench account drives all connections)',
    protocol: 'y-websocket',
    persistent: true,
    durability: 'every accepted update fsynced (group commit) before "saved" is sent',
  },
  ywss: {
    id: 'ywss',
    label: '@y/websocket-server 0.1.1 (in-memory)',
    configuration: 'its bin script src/server.js, HOST=127.0.0.1, no YPERSISTENCE (default: documents only in memory), ws@6.2.7',
    protocol: 'y-websocket',
    persistent: false,
    durability: 'none (lost on restart)',
  },
  'ywss-leveldb': {
    id: 'ywss-leveldb',
    label: '@y/websocket-server 0.1.1 (LevelDB)',
    configuration: 'its bin script with YPERSISTENCE=<dir> (y-leveldb 0.1.2, every update put asynchronously, LevelDB sync=false: no fsync)',
    protocol: 'y-websocket',
    persistent: true,
    durability: 'async LevelDB put per update, no fsync, no acknowledgement',
  },
  hocuspocus: {
    id: 'hocuspocus',
    label: 'Hocuspocus 3.4.4 (SQLite, debounced)',
    configuration:
      'new Server({ quiet: true, extensions: [Database({ fetch, store })] }) on better-sqlite3 (WAL, synchronous=FULL); defaults debounce 2 s / maxDebounce 10 s',
    protocol: 'hocuspocus',
    persistent: true,
    durability: 'whole-document store 2 s after the last change (≤ 10 s); SyncStatus ack sent before storing',
  },
};

const live = new Set<ChildProcess>();
function killAllChildren(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}
process.on('exit', killAllChildren);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

interface ReadyMessage {
  type: 'ready';
  port: number;
  cookie?: string;
}

interface ResponseMessage {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface StartOptions {
  /** JANE: unload documents this long after their last client left. */
  docUnloadDelayMs?: number;
  /** Extra node flags for the child (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Extra environment for the child (JANE: MONGODB_URI, REDIS_URL for the scale-out workload). */
  env?: Record<string, string>;
}

/** One server under test; `start`/`restart` keep the same data directory. */
export class ServerHandle {
  readonly dataDir: string;
  private child: ChildProcess | null = null;
  private logFile: string;
  private logStream: fs.WriteStream | null = null;
  private nextRequestId = 1;
  private pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  port = 0;
  cookie: string | null = null;
  private options: StartOptions = {};
  private docCounter = 0;

  constructor(readonly spec: ServerSpec, root: string) {
    this.dataDir = fs.mkdtempSync(path.join(root, `${spec.id}-`));
    this.logFile = path.join(root, `${spec.id}.log`);
  }

  get pid(): number {
    const pid = this.child?.pid;
    if (!pid) throw new Error(`${this.spec.id} is not running`);
    return pid;
  }

  cpuSeconds(): number {
    return childCpuSeconds(this.pid);
  }

  rssBytes(): number {
    return childRssBytes(this.pid);
  }

  async start(options: StartOptions = this.options, timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`${this.spec.id} already running`);
    this.options = options;
    this.logStream = fs.createWriteStream(this.logFile, { flags: 'a' });
    const env: NodeJS.ProcessEnv = { ...process.env, BENCH_DATA_DIR: this.dataDir, NODE_ENV: 'production', ...options.env };
    const nodeFlags = ['--expose-gc', ...(options.nodeFlags ?? [])];
    let child: ChildProcess;
    let readyPort: Promise<ReadyMessage>;
    if (this.spec.id === 'jane') {
      if (options.docUnloadDelayMs !== undefined) env.BENCH_DOC_UNLOAD_DELAY_MS = String(options.docUnloadDelayMs);
      const harness = await janeHarness();
      child = fork(harness.script, [], {
        cwd: serverPackageDir,
        env,
        execArgv: [...nodeFlags, ...harness.execArgv],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      readyPort = this.waitReadyMessage(child);
    } else if (this.spec.id === 'hocuspocus') {
      child = fork(path.join(benchDir, 'servers', 'hocuspocus.mjs'), [], {
        cwd: serverPackageDir,
        env,
        execArgv: nodeFlags,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      readyPort = this.waitReadyMessage(child);
    } else {
      // @y/websocket-server's own bin: it listens on PORT and prints "running at ..." (it
      // cannot report an OS-assigned port, hence a free port chosen here).
      const port = await freePort();
      env.HOST = '127.0.0.1';
      env.PORT = String(port);
      delete env.YPERSISTENCE;
      if (this.spec.id === 'ywss-leveldb') env.YPERSISTENCE = path.join(this.dataDir, 'leveldb');
      child = fork(ywssBin, [], {
        cwd: serverPackageDir,
        env,
        execArgv: [...nodeFlags, '--import', pathToImport(path.join(benchDir, 'servers', 'ywss-preload.mjs'))],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      readyPort = new Promise((resolve, reject) => {
        let seen = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          if (seen.includes('running at')) resolve({ type: 'ready', port });
        });
        child.once('exit', (code) => reject(new Error(`${this.spec.id} exited with ${code} before listening`)));
      });
    }
    this.child = child;
    live.add(child);
    child.stdout?.pipe(this.logStream, { end: false });
    child.stderr?.pipe(this.logStream, { end: false });
    child.on('message', (message: ResponseMessage) => this.onResponse(message));
    child.once('exit', (code, signal) => {
      live.delete(child);
      for (const { reject } of this.pending.values()) reject(new Error(`${this.spec.id} exited (${code ?? signal})`));
      this.pending.clear();
      if (this.child === child) this.child = null;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await Promise.race([
        readyPort,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`${this.spec.id} did not start within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      this.port = ready.port;
      if (ready.cookie) this.cookie = ready.cookie;
    } catch (error) {
      await this.kill();
      throw new Error(`${(error as Error).message}\n--- ${this.logFile} (tail) ---\n${this.logTail()}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops the child: SIGTERM (ours and Hocuspocus flush on it), SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start(this.options);
  }

  /** Sends an IPC request to the child and waits for its answer. */
  request<T = unknown>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    const child = this.child;
    if (!child?.connected) return Promise.reject(new Error(`${this.spec.id} is not running`));
    const id = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.spec.id}: no answer to '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      child.send({ id, type, ...payload });
    });
  }

  /**
   * Creates `count` documents and returns their names (ids for ours). Ours: made from
   * `template` (default blank) as the API does; the anchors': empty.
   */
  async createDocs(count: number, template?: string): Promise<string[]> {
    if (this.spec.id === 'jane') return this.request<string[]>('createDocs', { count, ...(template ? { template } : {}) });
    const prefix = randomBytes(4).toString('hex');
    return Array.from({ length: count }, () => `bench-${prefix}-${++this.docCounter}`);
  }

  /** Where a client connects for document `name`. */
  endpoint(name: string): Endpoint {
    const base = `ws://127.0.0.1:${this.port}`;
    switch (this.spec.protocol) {
      case 'hocuspocus':
        return { url: base, protocol: 'hocuspocus', docName: name, headers: {} };
      case 'y-websocket': {
        if (this.spec.id === 'jane') {
          if (!this.cookie) throw new Error('no session cookie');
          return { url: `${base}/collab/${name}`, protocol: 'y-websocket', docName: name, headers: { cookie: this.cookie } };
        }
        return { url: `${base}/${name}`, protocol: 'y-websocket', docName: name, headers: {} };
      }
    }
  }

  /** Base URL and room for the stock y-websocket provider (serverUrl + '/' + room). */
  providerTarget(name: string): { serverUrl: string; room: string; headers: Record<string, string> } {
    const base = `ws://127.0.0.1:${this.port}`;
    if (this.spec.id === 'jane') return { serverUrl: `${base}/collab`, room: name, headers: { cookie: this.cookie ?? '' } };
    return { serverUrl: base, room: name, headers: {} };
  }

  logTail(lines = 30): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async dispose(keepData = false): Promise<void> {
    await this.kill();
    this.logStream?.end();
    if (!keepData) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private waitReadyMessage(child: ChildProcess): Promise<ReadyMessage> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: ReadyMessage) => {
        if (message?.type !== 'ready') return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`${this.spec.id} exited with ${code} before it was ready`)));
    });
  }

  private onResponse(message: ResponseMessage): void {
    if (typeof message?.id !== 'number') return;
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${this.spec.id}: ${message.error}`));
  }
}

function pathToImport(file: string): string {
  return new URL(`file://${file}`).href;
}

/** A temp root for all data directories and child logs of this run. */
export function makeRunDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'jane-bench-'));
}

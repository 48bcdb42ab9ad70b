/**
 * Server instances as real child processes (`src/main.ts`, the entry point `pnpm start`
 * runs built, here from the sources through tsx), for tests that kill, stop and restart them: each keeps its port across
 * restarts, so clients reconnect to "the same instance" the way they would behind a
 * load balancer that sends them back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './collab.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface InstanceOptions {
  name: string;
  env: Record<string, string>;
  /** Where the child's output goes (kept for reading when a test fails). */
  logFile: string;
}

export class ServerInstance {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  port = 0;

  constructor(private readonly options: InstanceOptions) {}

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process (on the same port as before, after the first start) and waits until it serves. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    if (this.port === 0) this.port = await freePort();
    const log = fs.openSync(this.options.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(this.port),
        SCRYPT_COST: '10',
        CLIENT_DIST: '',
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        ...this.options.env,
      },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        if (this.child === child) this.child = null;
        resolve(code);
      }),
    );
    try {
      await waitFor(
        async () => {
          if (!this.child) throw new Error(`${this.name} exited while starting:\n${this.logTail()}`);
          const response = await fetch(`${this.url}/api/health`).catch(() => null);
          return response?.status === 200;
        },
        timeoutMs,
        `${this.name} to serve`,
      );
    } catch (error) {
      await this.kill();
      throw error;
    }
  }

  /** kill -9: no flush, no goodbye. */
  async kill(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM; resolves with the exit code and how long the process took to exit. */
  async terminate(timeoutMs = 20_000): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (!child) return { code: null, ms: 0 };
    const started = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return { code, ms: Date.now() - started };
  }

  /** Resolves when the process exits by itself (e.g. it crashed). */
  whenExited(): Promise<number | null> {
    return this.exited;
  }

  logTail(lines = 40): string {
    try {
      return fs.readFileSync(this.options.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** SIGSTOP/SIGCONT of a process we started (the database): a hiccup that really stalls it. */
export function pauseProcess(pid: number): void {
  process.kill(pid, 'SIGSTOP');
}

export function resumeProcess(pid: number): void {
  process.kill(pid, 'SIGCONT');
}

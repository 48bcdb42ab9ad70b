import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './instances.js';

/**
 * The Redis for scale-out tests: REDIS_URL or 127.0.0.1:6379. Fails loudly when it is
 * not reachable — a scale-out test must never pass without Redis.
 */
export async function requireRedis(): Promise<string> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`unexpected reply ${pong}`);
  } catch (error) {
    throw new Error(`Redis is required for this test and is not reachable at ${url}: ${(error as Error).message}. Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`);
  } finally {
    client.disconnect();
  }
  return url;
}

/**
 * A Redis server of the test's own (redis-server on a free port, nothing on disk), so
 * that a test can stop and restart it without disturbing other tests. Fails loudly when
 * redis-server is not installed.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;
  port = 0;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (this.port === 0) this.port = await freePort();
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    const failed = new Promise<never>((_resolve, reject) => {
      child.once('error', (error) => reject(new Error(`cannot start redis-server (needed by this test): ${error.message}`)));
      child.once('exit', (code) => {
        if (this.child === child) this.child = null;
        reject(new Error(`redis-server exited with ${code}`));
      });
    });
    failed.catch(() => undefined);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      client.on('error', () => undefined); // not up yet: we ask again
      const ok = await Promise.race([client.connect().then(() => client.ping()).then((p) => p === 'PONG', () => false), failed]);
      client.disconnect();
      if (ok) return;
      if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills it (an outage); `start()` brings it back on the same port, empty. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

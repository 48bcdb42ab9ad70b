import { Redis } from 'ioredis';

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

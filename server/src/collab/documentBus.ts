/**
 * Fan-out of document changes between server instances over Redis pub/sub (one channel
 * per document), so that people connected to different instances edit the same live
 * document.
 *
 * Redis is an accelerator, never a single point of failure:
 * - only changes that are already durable in the shared store are published (the
 *   instance that accepted an update stores it first), so whatever another instance
 *   receives and builds on survives the death of the sender;
 * - the bus never blocks or stops the process: it connects in the background, retries
 *   for ever, publishes fail fast while Redis is away (the store still has everything),
 *   and subscriptions are renewed whenever the connection comes back;
 * - what was missed while Redis was away is repaired by anti-entropy: every instance
 *   announces the state vectors of its loaded documents (at reconnect and periodically),
 *   and an instance that sees another one ahead of it catches up from the store.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.js';

/** `update`: a durable Yjs update; `awareness`: an awareness update; `state`: a state vector (anti-entropy). */
export type BusMessageKind = 'update' | 'awareness' | 'state';
export type BusHandler = (kind: BusMessageKind, payload: Uint8Array) => void;

const KIND_CODES: Record<BusMessageKind, number> = { update: 1, awareness: 2, state: 3 };
const KINDS_BY_CODE = new Map<number, BusMessageKind>(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as BusMessageKind]));
/**
 * Every message starts with a 16-byte sender field. Older instances filled it with 16
 * random bytes and only compare it with their own; ours is a 2-byte marker, 6 random
 * bytes naming the instance, and the publish time (float64 ms, big-endian), so that the
 * receiver can measure the bus lag. Mixed versions interoperate in both directions.
 */
const INSTANCE_ID_BYTES = 16;
const SENDER_PREFIX_BYTES = 8;
const TIMESTAMP_MARKER = [0x4a, 0x54] as const;
/** A timestamp further than this from the receiver's clock is not one (an old sender's random bytes). */
const PLAUSIBLE_SKEW_MS = 3_600_000;

function newSenderPrefix(): Buffer {
  const prefix = Buffer.alloc(SENDER_PREFIX_BYTES);
  prefix[0] = TIMESTAMP_MARKER[0];
  prefix[1] = TIMESTAMP_MARKER[1];
  randomBytes(SENDER_PREFIX_BYTES - 2).copy(prefix, 2);
  return prefix;
}

/** The publish time in a sender field, or null (an older sender, or not plausible). */
function publishedAt(message: Buffer): number | null {
  if (message[0] !== TIMESTAMP_MARKER[0] || message[1] !== TIMESTAMP_MARKER[1]) return null;
  const at = message.readDoubleBE(SENDER_PREFIX_BYTES);
  return Number.isFinite(at) && Math.abs(Date.now() - at) < PLAUSIBLE_SKEW_MS ? at : null;
}
/** How long a subscription may take before loading goes ahead without it (catch-up covers the gap). */
const SUBSCRIBE_TIMEOUT_MS = 2_000;
/** Reconnect delays grow to this cap: Redis coming back is noticed within about a second. */
const MAX_RECONNECT_DELAY_MS = 1_000;
/** At most one warning per this interval while Redis is away (a long outage must not flood the log). */
const WARN_INTERVAL_MS = 10_000;

export interface DocumentBusStats {
  published: number;
  publishFailures: number;
  received: number;
  reconnects: number;
}

export class RedisDocumentBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, BusHandler>();
  /** Identifies this instance's own messages, which Redis also delivers back to it. */
  private readonly instanceId = newSenderPrefix();
  private reconnectListeners: (() => void)[] = [];
  private everReady = false;
  private lastWarning = 0;
  private closed = false;
  readonly stats: DocumentBusStats = { published: 0, publishFailures: 0, received: 0, reconnects: 0 };

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
    private readonly metrics: Metrics | null = null,
  ) {
    const retryStrategy = (attempt: number) => Math.min(MAX_RECONNECT_DELAY_MS, 50 * attempt);
    // Publishing while Redis is away fails at once instead of queueing: the store has the
    // data, and anti-entropy delivers it when Redis is back.
    this.publisher = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy });
    // Subscriptions are renewed by us on every (re)connection, for every loaded document.
    this.subscriber = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, autoResubscribe: false, maxRetriesPerRequest: 1, retryStrategy });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    this.subscriber.on('ready', () => void this.onSubscriberReady());
    this.subscriber.on('error', (error) => this.warn(error, 'redis subscriber error'));
    this.publisher.on('error', (error) => this.warn(error, 'redis publisher error'));
  }

  /** Starts connecting in the background; never rejects (Redis may come later). */
  connect(): void {
    for (const client of [this.publisher, this.subscriber]) {
      // A failed first attempt is retried by ioredis' retry strategy.
      client.connect().catch((error: unknown) => this.warn(error, 'redis not reachable yet; retrying'));
    }
  }

  /** Both connections are up: publishes reach the other instances. */
  get ready(): boolean {
    return this.publisher.status === 'ready' && this.subscriber.status === 'ready';
  }

  private channel(docId: string): string {
    return `${this.prefix}:doc:${docId}`;
  }

  /**
   * Subscribes to a document's channel. Resolves once Redis confirmed it — from then on
   * nothing published is missed — or at once / after a short timeout when Redis is away;
   * the renewal on reconnection and the catch-up that follows cover that gap.
   */
  async subscribe(docId: string, handler: BusHandler): Promise<void> {
    const channel = this.channel(docId);
    this.handlers.set(channel, handler);
    if (this.subscriber.status !== 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.subscriber.subscribe(channel),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('subscribe timed out')), SUBSCRIBE_TIMEOUT_MS);
        }),
      ]);
    } catch (error) {
      this.warn(error, 'redis subscribe failed; the document catches up when Redis is back');
    } finally {
      clearTimeout(timer);
    }
  }

  async unsubscribe(docId: string): Promise<void> {
    const channel = this.channel(docId);
    this.handlers.delete(channel);
    if (this.subscriber.status !== 'ready') return;
    await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  /** Fire and forget: a message that cannot be sent now is repaired by anti-entropy. */
  publish(docId: string, kind: BusMessageKind, payload: Uint8Array): void {
    if (this.publisher.status !== 'ready') {
      this.stats.publishFailures++;
      return;
    }
    const header = Buffer.alloc(INSTANCE_ID_BYTES + 1);
    this.instanceId.copy(header, 0);
    header.writeDoubleBE(performance.timeOrigin + performance.now(), SENDER_PREFIX_BYTES);
    header[INSTANCE_ID_BYTES] = KIND_CODES[kind];
    const message = Buffer.concat([header, payload]);
    this.stats.published++;
    this.publisher.publish(this.channel(docId), message).catch((error: unknown) => {
      this.stats.publishFailures++;
      this.warn(error, 'redis publish failed');
    });
  }

  /** Called after every reconnection (not the first connection): documents must catch up. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private async onSubscriberReady(): Promise<void> {
    const channels = [...this.handlers.keys()];
    if (channels.length > 0) {
      await this.subscriber.subscribe(...channels).catch((error: unknown) => this.warn(error, 'redis re-subscribe failed'));
    }
    if (this.everReady) {
      this.stats.reconnects++;
      this.logger.info({ documents: channels.length }, 'redis is back; documents catch up');
    }
    // Every (re)connection, the first one included: a document loaded while Redis was
    // unreachable at start has never been subscribed before this moment.
    if (this.everReady || channels.length > 0) {
      for (const listener of this.reconnectListeners) listener();
    }
    this.everReady = true;
  }

  private receive(channel: string, message: Buffer): void {
    if (message.length <= INSTANCE_ID_BYTES) return;
    if (message.subarray(0, SENDER_PREFIX_BYTES).equals(this.instanceId)) return;
    const handler = this.handlers.get(channel);
    if (!handler) return;
    const kind = KINDS_BY_CODE.get(message[INSTANCE_ID_BYTES]!);
    if (!kind) return;
    this.stats.received++;
    if (this.metrics) {
      const at = publishedAt(message);
      if (at !== null) this.metrics.busMessageArrived(at);
    }
    const payload = new Uint8Array(message.buffer, message.byteOffset + INSTANCE_ID_BYTES + 1, message.length - INSTANCE_ID_BYTES - 1);
    try {
      handler(kind, payload);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'could not apply a message from another instance');
    }
  }

  private warn(error: unknown, message: string): void {
    if (this.closed) return;
    const now = Date.now();
    if (now - this.lastWarning < WARN_INTERVAL_MS) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, message);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reconnectListeners = [];
    this.handlers.clear();
    for (const client of [this.publisher, this.subscriber]) {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    }
  }
}

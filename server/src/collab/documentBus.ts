/**
 * Fan-out of document updates and awareness between server instances over Redis
 * pub/sub (one channel per document), so that people connected to different instances
 * edit the same live document. The instance that accepted an update stores it; the
 * others only apply it and pass it on to their own connections.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type BusMessageKind = 'update' | 'awareness';
export type BusHandler = (kind: BusMessageKind, payload: Uint8Array) => void;

const KIND_CODES: Record<BusMessageKind, number> = { update: 1, awareness: 2 };
const INSTANCE_ID_BYTES = 16;

export class RedisDocumentBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<string, BusHandler>();
  /** Identifies this instance's own messages, which Redis also delivers back to it. */
  private readonly instanceId = randomBytes(INSTANCE_ID_BYTES);
  private reconnectListeners: (() => void)[] = [];
  private everReady = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.publisher = new Redis(url, { lazyConnect: true });
    this.subscriber = new Redis(url, { lazyConnect: true });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    this.subscriber.on('ready', () => {
      if (this.everReady) {
        // Messages may have been missed while disconnected: let documents catch up.
        for (const listener of this.reconnectListeners) listener();
      }
      this.everReady = true;
    });
    this.subscriber.on('error', (error) => this.logger.warn({ err: error }, 'redis subscriber error'));
    this.publisher.on('error', (error) => this.logger.warn({ err: error }, 'redis publisher error'));
  }

  async connect(): Promise<void> {
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
  }

  private channel(docId: string): string {
    return `${this.prefix}:doc:${docId}`;
  }

  /** Resolves once Redis confirmed the subscription: from then on nothing is missed. */
  async subscribe(docId: string, handler: BusHandler): Promise<void> {
    this.handlers.set(this.channel(docId), handler);
    await this.subscriber.subscribe(this.channel(docId));
  }

  async unsubscribe(docId: string): Promise<void> {
    this.handlers.delete(this.channel(docId));
    await this.subscriber.unsubscribe(this.channel(docId)).catch(() => undefined);
  }

  publish(docId: string, kind: BusMessageKind, payload: Uint8Array): void {
    const message = Buffer.concat([this.instanceId, Buffer.from([KIND_CODES[kind]]), payload]);
    this.publisher.publish(this.channel(docId), message).catch((error: unknown) => this.logger.warn({ err: error, docId }, 'redis publish failed'));
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private receive(channel: string, message: Buffer): void {
    if (message.length <= INSTANCE_ID_BYTES) return;
    if (message.subarray(0, INSTANCE_ID_BYTES).equals(this.instanceId)) return;
    const handler = this.handlers.get(channel);
    if (!handler) return;
    const code = message[INSTANCE_ID_BYTES];
    const kind: BusMessageKind | null = code === 1 ? 'update' : code === 2 ? 'awareness' : null;
    if (!kind) return;
    const payload = new Uint8Array(message.buffer, message.byteOffset + INSTANCE_ID_BYTES + 1, message.length - INSTANCE_ID_BYTES - 1);
    try {
      handler(kind, payload);
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'could not apply a message from another instance');
    }
  }

  async close(): Promise<void> {
    this.reconnectListeners = [];
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

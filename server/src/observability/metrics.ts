/**
 * Prometheus metrics: one registry per server (several servers may run in one process in
 * tests), every name prefixed `jane_`. The hot path only increments pre-bound counters;
 * what can be read from live state (connections, documents, pending updates, Redis) is
 * read when Prometheus scrapes, never kept up to date per event. No label takes an
 * unbounded value: no document, user or connection ids, no raw URLs.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Why a change frame from a client was not (or only partly) accepted. */
export type UpdateRejectReason =
  /** Undecodable, or an update Yjs could not integrate (the connection is closed). */
  | 'malformed'
  /** Sent on a read-only connection (observer, archived document): dropped. */
  | 'read_only'
  /** Touched an agreed section the sender may not change: that part was undone. */
  | 'section_lock'
  /** Too many updates with unknown dependencies in a minute (the connection is closed). */
  | 'rate_limit'
  /** A sync answer that still builds on changes nobody has (the connection is closed). */
  | 'unknown_dependencies';

export type AwarenessRefusal =
  /** Beyond any typist's pace or size: the connection is closed with 4429. */
  | 'flood'
  /** Spoofing or absurdly many entries: the connection is closed. */
  | 'violation'
  /** Over the frame rate: replaced by a newer frame before it was relayed (normal for fast typists). */
  | 'coalesced';

export type StoreOperation = 'append' | 'load' | 'compact' | 'catch_up';

/** Live values read at scrape time; set by the boot code once the parts exist. */
export interface MetricsProbes {
  collabConnections: () => number;
  realtimeConnections: () => number;
  documentsLoaded: () => number;
  pendingUpdates: () => number;
  /** Per Redis client group (`documents`, `socketio`): whether it is connected. */
  redis: Map<string, () => boolean>;
}

const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  readonly registry = new Registry();
  readonly probes: MetricsProbes = {
    collabConnections: () => 0,
    realtimeConnections: () => 0,
    documentsLoaded: () => 0,
    pendingUpdates: () => 0,
    redis: new Map(),
  };

  readonly updatesAccepted: Counter;
  private readonly updatesRejected: Counter<'reason'>;
  readonly commitBatchSize: Histogram;
  readonly commitSeconds: Histogram;
  private readonly storeErrors: Counter<'operation'>;
  readonly storeRetries: Counter;
  private readonly awarenessRefused: Counter<'reason'>;
  readonly socketEventsRefused: Counter;
  private readonly connectionsRefused: Counter<'kind' | 'status'>;
  readonly busLag: Histogram;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  private defaultMetrics = false;

  constructor() {
    const registers = [this.registry];
    const probes = this.probes;
    new Gauge({
      name: 'jane_connections',
      help: 'Open connections on this instance, by kind (collab: /collab WebSockets; socketio: socket.io clients).',
      labelNames: ['kind'],
      registers,
      collect() {
        this.set({ kind: 'collab' }, probes.collabConnections());
        this.set({ kind: 'socketio' }, probes.realtimeConnections());
      },
    });
    new Gauge({
      name: 'jane_documents_loaded',
      help: 'Documents held in memory on this instance (loaded or loading).',
      registers,
      collect() {
        this.set(probes.documentsLoaded());
      },
    });
    new Gauge({
      name: 'jane_pending_updates',
      help: 'Accepted updates not yet durable in the store (queued or being written).',
      registers,
      collect() {
        this.set(probes.pendingUpdates());
      },
    });
    new Gauge({
      name: 'jane_redis_connected',
      help: 'Whether a Redis client group is connected (1) or not (0); absent without REDIS_URL.',
      labelNames: ['client'],
      registers,
      collect() {
        for (const [client, connected] of probes.redis) this.set({ client }, connected() ? 1 : 0);
      },
    });
    this.updatesAccepted = new Counter({
      name: 'jane_updates_accepted_total',
      help: 'Document change frames from clients accepted into the live document.',
      registers,
    });
    this.updatesRejected = new Counter({
      name: 'jane_updates_rejected_total',
      help: 'Document change frames from clients refused, by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.commitBatchSize = new Histogram({
      name: 'jane_commit_batch_size',
      help: 'Updates written to the store in one group-commit write.',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 1000, 10000],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'jane_commit_duration_seconds',
      help: 'Duration of successful group-commit writes to the store.',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.storeErrors = new Counter({
      name: 'jane_store_errors_total',
      help: 'Failed store operations, by operation (append: group commit; load; compact; catch_up).',
      labelNames: ['operation'],
      registers,
    });
    this.storeRetries = new Counter({
      name: 'jane_store_retries_total',
      help: 'Group-commit writes retried after a failure.',
      registers,
    });
    this.awarenessRefused = new Counter({
      name: 'jane_awareness_frames_refused_total',
      help: 'Awareness frames not relayed, by reason (flood and violation close the connection).',
      labelNames: ['reason'],
      registers,
    });
    this.socketEventsRefused = new Counter({
      name: 'jane_socketio_events_refused_total',
      help: 'socket.io events refused by the rate limits.',
      registers,
    });
    this.connectionsRefused = new Counter({
      name: 'jane_connections_refused_total',
      help: 'Connections refused before they opened, by kind and HTTP status (401, 403, 404, 429, 503).',
      labelNames: ['kind', 'status'],
      registers,
    });
    this.busLag = new Histogram({
      name: 'jane_redis_bus_lag_seconds',
      help: 'Time between publishing a document message on one instance and receiving it on another (includes clock skew).',
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'jane_http_request_duration_seconds',
      help: 'HTTP request durations by method, Express route pattern and status class.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
  }

  /** Process metrics (CPU, memory, GC, event-loop lag as `jane_nodejs_eventloop_lag_seconds`); once per registry. */
  enableDefaultMetrics(): void {
    if (this.defaultMetrics) return;
    this.defaultMetrics = true;
    collectDefaultMetrics({ register: this.registry, prefix: 'jane_' });
  }

  updateRejected(reason: UpdateRejectReason): void {
    this.updatesRejected.inc({ reason });
  }

  storeError(operation: StoreOperation): void {
    this.storeErrors.inc({ operation });
  }

  awarenessRefusedFor(reason: AwarenessRefusal): void {
    this.awarenessRefused.inc({ reason });
  }

  connectionRefused(kind: 'collab' | 'socketio', status: number): void {
    this.connectionsRefused.inc({ kind, status: String(status) });
  }

  /** A bus message published at `publishedAtMs` (the sender's clock) arrived now. */
  busMessageArrived(publishedAtMs: number): void {
    this.busLag.observe(Math.max(0, performance.timeOrigin + performance.now() - publishedAtMs) / 1000);
  }

  /** Text exposition for Prometheus. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

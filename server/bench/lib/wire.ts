/**
 * A light load-generator client that speaks the real protocols over `ws`: the
 * y-websocket protocol (our server, @y/websocket-server) or the Hocuspocus protocol
 * (the same y-protocols frames prefixed with the document name, plus an auth
 * handshake). Each client keeps its own `Y.Doc` and answers the sync handshake like a
 * provider would; it skips reconnects and BroadcastChannel, and awareness unless the
 * workload handles it (`onAwareness`, `sendAwareness`), so 500 of them fit in one process.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type WireProtocol = 'y-websocket' | 'hocuspocus';

/** Where and how to connect to one document on one server. */
export interface Endpoint {
  url: string;
  protocol: WireProtocol;
  /** Document name inside Hocuspocus frames (unused for y-websocket). */
  docName: string;
  headers: Record<string, string>;
}

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_SYNC_REPLY = 4; // Hocuspocus: a sync frame that must not trigger another step 1
const MESSAGE_SYNC_STATUS = 8; // Hocuspocus: per-update "applied" acknowledgement (not durability)
const MESSAGE_SAVED = 100; // JANE: durable count
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;
const AUTH_TOKEN = 0;
const AUTH_PERMISSION_DENIED = 1;

const REMOTE = Symbol('remote');

export class WireClient {
  readonly doc = new Y.Doc();
  ws: WebSocket | null = null;
  /** Resolves when the first sync step 2 from the server was applied. */
  readonly synced: Promise<void>;
  /** JANE: highest durable count acknowledged by the server. */
  savedCount = 0;
  /** Change frames (step 2 / update) sent on this connection (what JANE acknowledges). */
  sentChangeFrames = 0;
  /** Called after a remote update was applied to `doc`. */
  onRemoteUpdate: ((client: WireClient) => void) | null = null;
  /**
   * When set, update frames after the first sync are handed to this instead of being
   * applied to `doc` (a reader that only notes what arrived costs the generator a few
   * microseconds per frame instead of an `applyUpdate` into a growing document).
   */
  onUpdateFrame: ((update: Uint8Array, client: WireClient) => void) | null = null;
  /** Called with the payload of each awareness frame from the server (ignored when null). */
  onAwareness: ((update: Uint8Array, client: WireClient) => void) | null = null;
  private resolveSynced!: () => void;
  private rejectSynced!: (error: Error) => void;
  private step2Waiters: (() => void)[] = [];
  private savedWaiters: { count: number; resolve: () => void }[] = [];

  constructor(readonly endpoint: Endpoint) {
    this.synced = new Promise((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    this.synced.catch(() => undefined);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return;
      this.sendSync(SYNC_UPDATE, update);
    });
  }

  /** Opens the socket and starts the handshake; resolves when the socket is open. */
  open(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.endpoint.url, { headers: this.endpoint.headers, perMessageDeflate: false });
      ws.binaryType = 'nodebuffer';
      this.ws = ws;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`WebSocket to ${this.endpoint.url} did not open within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        if (this.endpoint.protocol === 'hocuspocus') {
          const encoder = this.encoder();
          encoding.writeVarUint(encoder, MESSAGE_AUTH);
          encoding.writeVarUint(encoder, AUTH_TOKEN);
          encoding.writeVarString(encoder, '');
          ws.send(encoding.toUint8Array(encoder));
        }
        this.sendSync(SYNC_STEP_1, Y.encodeStateVector(this.doc));
        resolve();
      });
      ws.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        reject(new Error(`upgrade to ${this.endpoint.url} refused: HTTP ${res.statusCode}`));
        res.resume();
      });
      ws.on('error', (error) => {
        clearTimeout(timer);
        this.rejectSynced(error);
        reject(error);
      });
      ws.on('close', (code) => this.rejectSynced(new Error(`socket closed with ${code} before sync`)));
      ws.on('message', (data: Buffer) => this.receive(data));
    });
  }

  /** Applies a local change; the resulting update is sent as one frame. */
  edit(change: (doc: Y.Doc) => void): void {
    this.doc.transact(() => change(this.doc));
  }

  /** Sends a raw update frame (an update built elsewhere). */
  sendUpdate(update: Uint8Array): void {
    this.sendSync(SYNC_UPDATE, update);
  }

  /**
   * Round-trip barrier: sends sync step 1 and resolves on the server's step 2 reply.
   * Servers handle a connection's frames in order, so everything sent before has been
   * applied (not necessarily stored) when this resolves.
   */
  barrier(timeoutMs = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sync step 2 reply within ${timeoutMs} ms`)), timeoutMs);
      this.step2Waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.sendSync(SYNC_STEP_1, Y.encodeStateVector(this.doc));
    });
  }

  /** JANE only: resolves once the server acknowledged `count` change frames as durable. */
  waitSaved(count: number, timeoutMs = 60_000): Promise<void> {
    if (this.savedCount >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.savedCount}/${count} change frames acknowledged as saved after ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.savedWaiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Sends an awareness update (as `awarenessProtocol.encodeAwarenessUpdate` makes it). */
  sendAwareness(update: Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const encoder = this.encoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, update);
    ws.send(encoding.toUint8Array(encoder));
  }

  bufferedAmount(): number {
    return this.ws?.bufferedAmount ?? 0;
  }

  close(): void {
    this.ws?.removeAllListeners('close');
    this.ws?.on('error', () => undefined);
    this.ws?.terminate();
    this.doc.destroy();
  }

  private encoder(): encoding.Encoder {
    const encoder = encoding.createEncoder();
    if (this.endpoint.protocol === 'hocuspocus') encoding.writeVarString(encoder, this.endpoint.docName);
    return encoder;
  }

  private sendSync(type: number, payload: Uint8Array): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const encoder = this.encoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, type);
    encoding.writeVarUint8Array(encoder, payload);
    if (type !== SYNC_STEP_1) this.sentChangeFrames++;
    ws.send(encoding.toUint8Array(encoder));
  }

  private receive(data: Buffer): void {
    const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    if (this.endpoint.protocol === 'hocuspocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
      case MESSAGE_SYNC_REPLY:
        this.receiveSync(decoder);
        return;
      case MESSAGE_SAVED: {
        this.savedCount = Math.max(this.savedCount, decoding.readVarUint(decoder));
        const due = this.savedWaiters.filter((w) => w.count <= this.savedCount);
        this.savedWaiters = this.savedWaiters.filter((w) => w.count > this.savedCount);
        for (const waiter of due) waiter.resolve();
        return;
      }
      case MESSAGE_AUTH: {
        if (decoding.readVarUint(decoder) === AUTH_PERMISSION_DENIED) {
          this.rejectSynced(new Error(`permission denied: ${decoding.readVarString(decoder)}`));
        }
        return;
      }
      case MESSAGE_AWARENESS:
        this.onAwareness?.(decoding.readVarUint8Array(decoder), this);
        return;
      case MESSAGE_SYNC_STATUS:
      default:
        return;
    }
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === SYNC_STEP_1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      // The server asks what we have that it lacks: answer with step 2 (as providers do).
      this.sendSync(SYNC_STEP_2, Y.encodeStateAsUpdate(this.doc, stateVector));
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    if (syncType === SYNC_UPDATE && this.onUpdateFrame) {
      this.onUpdateFrame(update, this);
      return;
    }
    Y.applyUpdate(this.doc, update, REMOTE);
    if (syncType === SYNC_STEP_2) {
      this.resolveSynced();
      const waiter = this.step2Waiters.shift();
      waiter?.();
    }
    this.onRemoteUpdate?.(this);
  }
}

/** Opens `clients` with at most `concurrency` handshakes in flight (servers bound pre-auth work). */
export async function openAll(clients: WireClient[], concurrency = 32, timeoutMs = 20_000): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < clients.length) {
      const client = clients[next++]!;
      await client.open(timeoutMs);
      await withTimeout(client.synced, timeoutMs, `sync of ${client.endpoint.url}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, clients.length) }, worker));
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

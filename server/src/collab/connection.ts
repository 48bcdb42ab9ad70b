/**
 * One WebSocket on `/collab/<documentId>`: decodes frames, enforces read-only access and
 * the awareness rules, and tells its client when what it sent is durable.
 *
 * Every frame is handled inside a try/catch: a frame that cannot be decoded closes this
 * connection with {@link CloseCode.MalformedMessage} and touches nothing else.
 */
import * as decoding from 'lib0/decoding';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import {
  CloseCode,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from '@jane/shared';
import type { AwarenessIdentity } from './awarenessGuard.js';
import type { LiveSession } from '../auth/liveSessions.js';
import type { Actor } from '@jane/shared';
import { AWARENESS_BUDGET, AWARENESS_FLOOD_BUDGET, FrameMeter } from '../limits/frameMeter.js';
import type { LogBudget } from '../limits/logBudget.js';
import type { Metrics } from '../observability/metrics.js';
import type { DocumentPeer, LiveDocument } from './liveDocument.js';
import { encodeAwarenessMessage, encodeSavedMessage, encodeSyncStep1, encodeSyncStep2 } from './messages.js';

/** Frames a connection may send while its document is still loading. */
const MAX_FRAMES_WHILE_LOADING = 256;
/** A client that does not read what we send is cut off past this many buffered bytes. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/**
 * Sync gaps a connection may make us fill per minute. An honest client makes one or two
 * per reconnection; a client that keeps sending updates nobody can integrate is broken.
 */
const MAX_RESYNCS_PER_MINUTE = 20;

export interface ConnectionInfo {
  documentId: string;
  workspaceId: string;
  userId: string;
  identity: AwarenessIdentity;
  canEdit: boolean;
  /** The client asked for MESSAGE_SAVED acknowledgements. */
  wantsAcks: boolean;
  /** The session it was opened with: the connection closes (4401) when that ends. */
  session: LiveSession;
  /** Who the person acts as in the document's workspace (agreed sections are checked against it). */
  actor: Actor;
}

export interface ConnectionHooks {
  /** The document rejected an update in a way that requires reloading it. */
  onDocumentBroken(doc: LiveDocument): void;
  onClose(connection: CollabConnection): void;
}

export class CollabConnection implements DocumentPeer {
  readonly awarenessClients = new Set<number>();
  /** Change frames (sync step 2 / update) received so far. */
  private changeFrames = 0;
  private lastAcknowledged = 0;
  /**
   * Sync step 1 frames we sent that the client has not answered yet (its step 2 holds
   * everything it has beyond our state at that moment, including any update it sent
   * before the answer).
   */
  private awaitingAnswers = 0;
  /**
   * Acknowledgements held back while a dropped update (a sync gap) is not yet durable:
   * frames from `from` on are acknowledged only once frame `until` (the answer that
   * carries the dropped content) is durable.
   */
  private ackHold: { from: number; until: number | null } | null = null;
  private resyncTimes: number[] = [];
  /** Awareness frames and bytes this connection may still send (a caret moves a few times a second). */
  private readonly awarenessMeter = new FrameMeter(AWARENESS_BUDGET);
  private readonly awarenessFloodMeter = new FrameMeter(AWARENESS_FLOOD_BUDGET);
  /** The latest awareness frame held back by the frame rate, and its timer. */
  private heldAwareness: Uint8Array | null = null;
  private heldTimer: NodeJS.Timeout | null = null;
  private doc: LiveDocument | null = null;
  private waiting: Uint8Array[] | null = [];
  private closed = false;
  alive = true;

  constructor(
    readonly ws: WebSocket,
    readonly info: ConnectionInfo,
    private readonly hooks: ConnectionHooks,
    private readonly logger: Logger,
    private readonly clientLog: LogBudget,
    private readonly metrics: Metrics | null = null,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => this.receive(data, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.handleClose());
    ws.on('error', (error) => this.logger.debug({ err: error, docId: info.documentId }, 'collab socket error'));
  }

  get userId(): string {
    return this.info.userId;
  }

  get identity(): AwarenessIdentity {
    return this.info.identity;
  }

  get actor(): Actor {
    return this.info.actor;
  }

  get document(): LiveDocument | null {
    return this.doc;
  }

  /** The document is loaded: replay what arrived meanwhile. */
  attach(doc: LiveDocument): void {
    if (this.closed) return;
    this.doc = doc;
    // The document sent this client its sync step 1 when it added us as a peer.
    this.awaitingAnswers = 1;
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const frame of waiting) {
      if (this.closed) return;
      this.handle(frame);
    }
  }

  send(message: Uint8Array): void {
    if (this.closed || this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.clientLog.warn('slow-reader', { docId: this.info.documentId, userId: this.userId }, 'client does not read; closing', this.logger);
      this.ws.terminate();
      return;
    }
    this.ws.send(message, { binary: true });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason);
    this.handleClose();
  }

  acknowledgeDurable(durable: number): void {
    let count = durable;
    if (this.ackHold) {
      if (this.ackHold.until !== null && count >= this.ackHold.until) this.ackHold = null;
      else count = Math.min(count, this.ackHold.from - 1);
    }
    if (!this.info.wantsAcks || count <= this.lastAcknowledged) return;
    this.lastAcknowledged = count;
    this.send(encodeSavedMessage(count));
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (!isBinary) {
      this.close(CloseCode.MalformedMessage, 'text frames are not part of the protocol');
      return;
    }
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.waiting) {
      if (this.waiting.length >= MAX_FRAMES_WHILE_LOADING) {
        this.close(CloseCode.MalformedMessage, 'too many frames before the document was ready');
        return;
      }
      this.waiting.push(frame);
      return;
    }
    this.handle(frame);
  }

  private handle(frame: Uint8Array): void {
    const doc = this.doc;
    if (!doc) return;
    try {
      const decoder = decoding.createDecoder(frame);
      const messageType = decoding.readVarUint(decoder);
      switch (messageType) {
        case MESSAGE_SYNC:
          this.handleSync(doc, decoder);
          return;
        case MESSAGE_AWARENESS:
          this.receiveAwareness(doc, decoding.readVarUint8Array(decoder), frame.byteLength);
          return;
        case MESSAGE_QUERY_AWARENESS:
          this.send(encodeAwarenessMessage(doc.awareness, [...doc.awareness.getStates().keys()]));
          return;
        case MESSAGE_AUTH:
          return; // sent by some clients; permissions are decided at the upgrade
        default:
          this.close(CloseCode.MalformedMessage, 'unknown message type');
      }
    } catch (error) {
      this.metrics?.updateRejected('malformed');
      this.clientLog.warn('malformed-frame', { err: error, docId: doc.id, userId: this.userId }, 'malformed collab frame', this.logger);
      this.close(CloseCode.MalformedMessage, 'malformed message');
    }
  }

  /**
   * Awareness within budget is applied at once. Faster than the frame rate (a fast typist),
   * only the latest frame is kept and applied when the budget allows — a caret needs no
   * history. States far beyond a caret's size, or frames beyond any typist's pace, are a
   * flood: the connection is closed with 4429.
   */
  private receiveAwareness(doc: LiveDocument, update: Uint8Array, size: number): void {
    if (!this.awarenessFloodMeter.spend(0) || !this.awarenessMeter.hasBytes(size)) {
      this.metrics?.awarenessRefusedFor('flood');
      this.clientLog.warn('awareness-flood', { docId: doc.id, userId: this.userId }, 'awareness over budget; closing', this.logger);
      this.close(CloseCode.AwarenessViolation, 'awareness flood');
      return;
    }
    if (this.heldAwareness || !this.awarenessMeter.spend(size)) {
      if (this.heldAwareness) this.metrics?.awarenessRefusedFor('coalesced');
      this.heldAwareness = update;
      this.heldTimer ??= setTimeout(() => this.releaseAwareness(doc), Math.max(10, this.awarenessMeter.msUntilNextFrame()));
      return;
    }
    this.applyAwareness(doc, update);
  }

  private releaseAwareness(doc: LiveDocument): void {
    this.heldTimer = null;
    const update = this.heldAwareness;
    if (!update || this.closed) return;
    if (!this.awarenessMeter.spend(update.byteLength)) {
      this.heldTimer = setTimeout(() => this.releaseAwareness(doc), Math.max(10, this.awarenessMeter.msUntilNextFrame()));
      return;
    }
    this.heldAwareness = null;
    try {
      this.applyAwareness(doc, update);
    } catch (error) {
      this.clientLog.warn('malformed-frame', { err: error, docId: doc.id, userId: this.userId }, 'malformed awareness frame', this.logger);
      this.close(CloseCode.MalformedMessage, 'malformed message');
    }
  }

  private applyAwareness(doc: LiveDocument, update: Uint8Array): void {
    const verdict = doc.applyPeerAwareness(this, update);
    if (verdict.kind === 'violation') {
      this.metrics?.awarenessRefusedFor('violation');
      this.clientLog.warn('awareness-violation', { docId: doc.id, userId: this.userId, reason: verdict.reason }, 'awareness violation', this.logger);
      this.close(CloseCode.AwarenessViolation, 'awareness flood');
    }
  }

  private handleSync(doc: LiveDocument, decoder: decoding.Decoder): void {
    const syncType = decoding.readVarUint(decoder);
    if (syncType === SYNC_STEP_1) {
      this.send(encodeSyncStep2(doc.doc, decoding.readVarUint8Array(decoder)));
      return;
    }
    if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) {
      this.close(CloseCode.MalformedMessage, 'unknown sync message');
      return;
    }
    const update = decoding.readVarUint8Array(decoder);
    const count = ++this.changeFrames;
    const isAnswer = syncType === SYNC_STEP_2 && this.awaitingAnswers > 0;
    if (isAnswer) this.awaitingAnswers--;
    if (!this.info.canEdit) {
      // Read-only: dropped here, whatever a modified client sends. Never acknowledged.
      if (update.byteLength > 2) this.metrics?.updateRejected('read_only');
      if (update.byteLength > 2) this.clientLog.warn('read-only-update', { docId: doc.id, userId: this.userId }, 'dropped update from read-only connection', this.logger);
      return;
    }
    const result = doc.applyPeerUpdate(this, update, count);
    if (result === 'gap') {
      this.fillSyncGap(doc, count, isAnswer);
      return;
    }
    if (isAnswer && this.ackHold && this.ackHold.until === null) this.ackHold.until = count;
    // An empty update (2 bytes: a sync answer with nothing new) is not a change.
    if (result === 'applied' && update.byteLength > 2) this.metrics?.updatesAccepted.inc();
    if (result === 'rejected' || result === 'document-reloaded') {
      this.metrics?.updateRejected('malformed');
      this.clientLog.warn('malformed-update', { docId: doc.id, userId: this.userId, result }, 'malformed update; closing', this.logger);
    }
    if (result === 'rejected') {
      this.close(CloseCode.MalformedMessage, 'malformed update');
    } else if (result === 'document-reloaded') {
      this.close(CloseCode.MalformedMessage, 'malformed update');
      this.hooks.onDocumentBroken(doc);
    }
  }

  /**
   * The client sent an update that builds on changes we do not have (it typed before its
   * reconnection finished syncing, or holds text from an instance that died before
   * storing it). Not a protocol violation: we ask for everything it has beyond our state
   * (sync step 1), and its answer brings the dropped update along with what it needs.
   * Only an answer that still cannot be integrated, or endless gaps, close the connection.
   */
  private fillSyncGap(doc: LiveDocument, frame: number, isAnswer: boolean): void {
    if (isAnswer) {
      this.metrics?.updateRejected('unknown_dependencies');
      this.clientLog.warn('unfillable-gap', { docId: doc.id, userId: this.userId }, 'sync answer depends on changes nobody has', this.logger);
      this.close(CloseCode.MalformedMessage, 'update depends on unknown changes');
      return;
    }
    if (this.ackHold) this.ackHold.until = null;
    else this.ackHold = { from: frame, until: null };
    if (this.awaitingAnswers > 0) return; // the answer on its way covers this update
    const now = Date.now();
    this.resyncTimes = this.resyncTimes.filter((at) => now - at < 60_000);
    if (this.resyncTimes.length >= MAX_RESYNCS_PER_MINUTE) {
      this.metrics?.updateRejected('rate_limit');
      this.clientLog.warn('sync-gaps', { docId: doc.id, userId: this.userId }, 'too many sync gaps', this.logger);
      this.close(CloseCode.MalformedMessage, 'too many updates with unknown dependencies');
      return;
    }
    this.resyncTimes.push(now);
    this.awaitingAnswers++;
    this.send(encodeSyncStep1(doc.doc));
  }

  private handleClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldAwareness = null;
    this.waiting = null;
    this.hooks.onClose(this);
  }
}

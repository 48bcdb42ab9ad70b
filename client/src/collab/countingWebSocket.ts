/**
 * A WebSocket that counts the document-changing frames it sends (sync step 2 and sync
 * update), so that the client can compare them with the server's MESSAGE_SAVED count.
 * Passed to y-websocket as `WebSocketPolyfill`; counts are per socket, as on the server.
 */
import * as decoding from 'lib0/decoding';
import { MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from '@jane/shared/core';

type SocketData = string | ArrayBufferLike | Blob | ArrayBufferView;

function bytesOf(data: SocketData): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** Whether a frame is a y-websocket sync step 2 or sync update (first two varUints). */
export function isChangeFrame(data: SocketData): boolean {
  const bytes = bytesOf(data);
  if (!bytes || bytes.byteLength < 2) return false;
  try {
    const decoder = decoding.createDecoder(bytes);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return false;
    const syncType = decoding.readVarUint(decoder);
    return syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE;
  } catch {
    return false;
  }
}

export interface SocketCounters {
  /** A new socket was created (the previous socket's counts no longer apply). */
  created(socket: WebSocket): void;
  /** `socket` sent a change frame; `isStep2` when it was a sync step 2. */
  changeSent(socket: WebSocket, isStep2: boolean): void;
}

function isStep2(data: SocketData): boolean {
  const bytes = bytesOf(data);
  return bytes !== null && bytes[0] === MESSAGE_SYNC && bytes[1] === SYNC_STEP_2;
}

/** A WebSocket class reporting to `counters`; one class per provider. */
export function countingWebSocketClass(counters: SocketCounters): typeof WebSocket {
  return class CountingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      counters.created(this);
    }

    override send(data: SocketData): void {
      super.send(data);
      // Counted only once the browser accepted the frame for this socket.
      if (this.readyState === WebSocket.OPEN && isChangeFrame(data)) counters.changeSent(this, isStep2(data));
    }
  };
}

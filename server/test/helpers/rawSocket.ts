import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MESSAGE_SYNC, SYNC_STEP_1, SYNC_STEP_2, SYNC_UPDATE } from '@jane/shared';

export type UpgradeOutcome = { kind: 'open'; ws: WebSocket } | { kind: 'refused'; status: number };

/** Opens a raw collab socket; resolves with the HTTP status when the upgrade is refused. */
export function openRawSocket(baseUrl: string, documentId: string, headers: Record<string, string>, query = ''): Promise<UpgradeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/collab/${documentId}${query}`, { headers });
    ws.once('open', () => resolve({ kind: 'open', ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}

export async function openOrThrow(baseUrl: string, documentId: string, headers: Record<string, string>, query = ''): Promise<WebSocket> {
  const outcome = await openRawSocket(baseUrl, documentId, headers, query);
  if (outcome.kind !== 'open') throw new Error(`upgrade refused with ${outcome.status}`);
  return outcome.ws;
}

export function closeCodeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve(-1);
    ws.once('close', (code) => resolve(code));
  });
}

export function syncFrame(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const updateFrame = (update: Uint8Array) => syncFrame(SYNC_UPDATE, update);
export const step2Frame = (update: Uint8Array) => syncFrame(SYNC_STEP_2, update);
export const step1Frame = (doc: Y.Doc) => syncFrame(SYNC_STEP_1, Y.encodeStateVector(doc));

/**
 * Collects the server's frames; `syncedDoc` follows the server's document from
 * sync step 2 and update frames, as a client would.
 */
export function recordFrames(ws: WebSocket): { frames: Uint8Array[]; syncedDoc: Y.Doc } {
  const frames: Uint8Array[] = [];
  const syncedDoc = new Y.Doc();
  ws.on('message', (data: Buffer) => {
    const frame = new Uint8Array(data);
    frames.push(frame);
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
    const type = decoding.readVarUint(decoder);
    if (type === SYNC_STEP_2 || type === SYNC_UPDATE) Y.applyUpdate(syncedDoc, decoding.readVarUint8Array(decoder));
  });
  return { frames, syncedDoc };
}

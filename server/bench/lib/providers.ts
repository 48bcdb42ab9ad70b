/**
 * Stock provider clients, as an application would use them: y-websocket's
 * `WebsocketProvider` (ours, @y/websocket-server) and `HocuspocusProvider` (Hocuspocus
 * speaks a different framing, so y-websocket cannot talk to it). Used where realism
 * matters more than load: edit latency (workload a).
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import type { ServerHandle } from './servers.js';
import { withTimeout } from './wire.js';

export interface ProviderClient {
  doc: Y.Doc;
  synced: Promise<void>;
  destroy(): void;
}

/** A `ws` WebSocket class that sends fixed headers (the session cookie) like a browser would. */
function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers, perMessageDeflate: false });
    }
  } as typeof WebSocket;
}

export function connectProvider(server: ServerHandle, name: string, timeoutMs = 10_000): ProviderClient {
  const doc = new Y.Doc();
  if (server.spec.protocol === 'hocuspocus') {
    const socket = new HocuspocusProviderWebsocket({ url: `ws://127.0.0.1:${server.port}`, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc });
    provider.attach();
    const synced = new Promise<void>((resolve) => {
      if (provider.isSynced) resolve();
      provider.on('synced', () => resolve());
    });
    return {
      doc,
      synced: withTimeout(synced, timeoutMs, `Hocuspocus provider sync on ${name}`),
      destroy: () => {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }
  const target = server.providerTarget(name);
  const provider = new WebsocketProvider(target.serverUrl, target.room, doc, {
    WebSocketPolyfill: webSocketWithHeaders(target.headers) as never,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
  });
  return {
    doc,
    synced: withTimeout(synced, timeoutMs, `y-websocket provider sync on ${name}`),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

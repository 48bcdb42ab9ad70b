import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebsocketProvider as WebsocketProviderV1 } from 'y-websocket-v1';
import { WebsocketProvider as WebsocketProviderV2 } from 'y-websocket-v2';
import { COLLAB_ACK_PARAM, DOCUMENT_FIELD, MESSAGE_SAVED, SYNC_STEP_2, SYNC_UPDATE, MESSAGE_SYNC } from '@jane/shared';
import * as decoding from 'lib0/decoding';

/** A `ws` WebSocket class that sends the given headers (cookie, origin) like a browser would. */
export function webSocketWithHeaders(headers: Record<string, string>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  } as typeof WebSocket;
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text(): string;
  destroy(): void;
}

/**
 * A stock y-websocket client (no JANE extensions unless `acks`), over `ws`, with
 * BroadcastChannel disabled so that it really goes through the server. `version`: the
 * major version of y-websocket (default 3, what our client uses).
 */
export function connectClient(
  baseUrl: string,
  documentId: string,
  cookie: string | null,
  options: { origin?: string; doc?: Y.Doc; connect?: boolean; acks?: boolean; version?: 1 | 2 | 3 } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (options.origin) headers.origin = options.origin;
  // Older major versions of the stock client, as people with older integrations run them.
  const Provider = (options.version === 1 ? WebsocketProviderV1 : options.version === 2 ? WebsocketProviderV2 : WebsocketProvider) as typeof WebsocketProvider;
  const provider = new Provider(baseUrl.replace(/^http/, 'ws') + '/collab', documentId, doc, {
    WebSocketPolyfill: webSocketWithHeaders(headers) as never,
    disableBc: true,
    connect: options.connect ?? true,
    params: options.acks ? { [COLLAB_ACK_PARAM]: '1' } : {},
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    text: () => textOf(doc),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Plain text of the editor fragment (paragraph texts joined by newlines). */
export function textOf(doc: Y.Doc): string {
  return doc
    .getXmlFragment(DOCUMENT_FIELD)
    .toArray()
    .map((node) => (node instanceof Y.XmlElement ? node.toArray().map((child) => (child instanceof Y.XmlText ? child.toString() : '')).join('') : ''))
    .join('\n');
}

/** Appends a paragraph with `text`, as typing into a new paragraph would. */
export function addParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  const content = new Y.XmlText();
  content.insert(0, text);
  paragraph.insert(0, [content]);
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  fragment.insert(fragment.length, [paragraph]);
}

/** Types `text` into paragraph `index` at `offset`, one character per transaction. */
export function typeInto(doc: Y.Doc, index: number, offset: number, text: string): void {
  const paragraph = doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement;
  const content = paragraph.get(0) as Y.XmlText;
  [...text].forEach((char, i) => content.insert(offset + i, char));
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function waitForSync(client: TestClient, timeoutMs = 5_000): Promise<void> {
  return waitFor(() => client.provider.synced, timeoutMs, 'sync');
}

/** Resolves with the close code when the provider's socket closes. */
export function nextClose(client: TestClient): Promise<number> {
  return new Promise((resolve) => {
    client.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code ?? -1));
  });
}

/**
 * Counts the change frames a client sends and the server's MESSAGE_SAVED replies, the
 * way the JANE client computes "All changes saved". Attach before connecting.
 */
export function trackSaved(client: TestClient): { sent(): number; saved(): number } {
  let sent = 0;
  let saved = 0;
  client.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
    saved = Math.max(saved, decoding.readVarUint(decoder));
  };
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'connected') return;
    sent = 0;
    saved = 0;
    const ws = client.provider.ws as unknown as WebSocket;
    const send = ws.send.bind(ws);
    ws.send = ((data: Uint8Array, ...rest: unknown[]) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === MESSAGE_SYNC) {
        const type = decoding.readVarUint(decoder);
        if (type === SYNC_STEP_2 || type === SYNC_UPDATE) sent++;
      }
      return (send as (...args: unknown[]) => void)(data, ...rest);
    }) as typeof ws.send;
  });
  return { sent: () => sent, saved: () => saved };
}

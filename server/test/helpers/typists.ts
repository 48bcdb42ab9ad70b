/**
 * People typing unique tokens through stock y-websocket 3 providers that ask for "saved"
 * acknowledgements (`?ack=1`), the way the JANE client does. Each one knows exactly which
 * of its tokens the server has acknowledged as durable, with the client's own rule:
 * a token typed while connected is acknowledged with the update frame that carried it;
 * a token typed offline, or not yet acknowledged when the connection was lost, with the
 * next connection's sync step 2 (which carries everything the server lacked).
 *
 * The instance a typist connects to is asked at every (re)connection (`target`), as a
 * load balancer would route a reconnecting browser.
 *
 * `version` 1 or 2: an older stock y-websocket that knows nothing of acknowledgements
 * (none are asked for); such a typist only tells what it typed.
 */
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { WebsocketProvider as WebsocketProviderV1 } from 'y-websocket-v1';
import { WebsocketProvider as WebsocketProviderV2 } from 'y-websocket-v2';
import { COLLAB_ACK_PARAM, DOCUMENT_FIELD, MESSAGE_SAVED, MESSAGE_SYNC, SYNC_STEP_2, SYNC_UPDATE } from '@jane/shared';
import { textOf } from './collab.js';

interface Token {
  text: string;
  /** Connection generation and change-frame number that carry it; null while not sent. */
  socket: number | null;
  frame: number;
  acked: boolean;
}

interface SocketState {
  sent: number;
  saved: number;
}

export class Typist {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private readonly tokens: Token[] = [];
  private readonly sockets: SocketState[] = [];
  private closeCodes: number[] = [];
  private counter = 0;

  constructor(
    readonly name: string,
    documentId: string,
    cookie: string,
    target: () => string,
    readonly version: 1 | 2 | 3 = 3,
  ) {
    const typist = this;
    class RoutedWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        const routed = new URL(String(url));
        const base = new URL(target());
        routed.host = base.host;
        super(routed, protocols, { headers: { cookie } });
        const generation = typist.sockets.push({ sent: 0, saved: 0 }) - 1;
        const send = this.send.bind(this);
        this.send = ((data: Uint8Array, ...rest: unknown[]) => {
          typist.onSend(generation, data);
          return (send as (...args: unknown[]) => void)(data, ...rest);
        }) as typeof this.send;
        this.on('close', (code) => typist.closeCodes.push(code));
      }
    }
    const Provider = (version === 1 ? WebsocketProviderV1 : version === 2 ? WebsocketProviderV2 : WebsocketProvider) as typeof WebsocketProvider;
    this.provider = new Provider(target().replace(/^http/, 'ws') + '/collab', documentId, this.doc, {
      WebSocketPolyfill: RoutedWebSocket as never,
      disableBc: true,
      params: version === 3 ? { [COLLAB_ACK_PARAM]: '1' } : {},
      maxBackoffTime: 300,
    });
    if (version === 3) {
      this.provider.messageHandlers[MESSAGE_SAVED] = (_encoder, decoder) => {
        const state = this.sockets[this.sockets.length - 1]!;
        state.saved = Math.max(state.saved, decoding.readVarUint(decoder));
        this.markAcknowledged();
      };
    }
  }

  private onSend(generation: number, data: Uint8Array): void {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
    const type = decoding.readVarUint(decoder);
    if (type !== SYNC_STEP_2 && type !== SYNC_UPDATE) return;
    const state = this.sockets[generation]!;
    state.sent++;
    if (type === SYNC_STEP_2) {
      // Everything not yet acknowledged is (re)sent in this frame, or already held by the server.
      for (const token of this.tokens) {
        if (token.acked) continue;
        token.socket = generation;
        token.frame = state.sent;
      }
    }
  }

  private markAcknowledged(): void {
    for (const token of this.tokens) {
      if (token.acked || token.socket === null) continue;
      if ((this.sockets[token.socket]?.saved ?? 0) >= token.frame) token.acked = true;
    }
  }

  /** Inserts a paragraph holding a new unique token at a random place (building on others' text). */
  typeToken(random: () => number): void {
    const text = `${this.name}.${++this.counter}`;
    const generation = this.sockets.length - 1;
    const before = this.sockets[generation]?.sent ?? 0;
    const fragment = this.doc.getXmlFragment(DOCUMENT_FIELD);
    const paragraph = new Y.XmlElement('paragraph');
    const content = new Y.XmlText();
    content.insert(0, text);
    paragraph.insert(0, [content]);
    fragment.insert(Math.floor(random() * (fragment.length + 1)), [paragraph]);
    const after = this.sockets[generation]?.sent ?? 0;
    // Sent right away while connected; otherwise the next sync step 2 carries it.
    this.tokens.push({ text, socket: after > before ? generation : null, frame: after, acked: false });
  }

  get typed(): string[] {
    return this.tokens.map((t) => t.text);
  }

  get acknowledged(): string[] {
    return this.tokens.filter((t) => t.acked).map((t) => t.text);
  }

  /** Whether it asks for acknowledgements (y-websocket 3, as our client). */
  get tracksAcks(): boolean {
    return this.version === 3;
  }

  /** Connected, synced, and (with acknowledgements) everything typed acknowledged as durable. */
  get settled(): boolean {
    return this.provider.wsconnected && this.provider.synced && (!this.tracksAcks || this.tokens.every((t) => t.acked));
  }

  get closes(): readonly number[] {
    return this.closeCodes;
  }

  text(): string {
    return textOf(this.doc);
  }

  destroy(): void {
    this.provider.destroy();
    this.doc.destroy();
  }
}

/** The tokens present in a document's text (one per paragraph). */
export function tokensIn(text: string): Set<string> {
  return new Set(text.split('\n').filter(Boolean));
}

/**
 * The collaboration wire protocol on `/collab/<documentId>`.
 *
 * It is the y-websocket protocol (message types 0–3 below, encoded with lib0 and
 * y-protocols), so an unmodified `y-websocket` `WebsocketProvider` can connect. Our own
 * client additionally asks for "saved" acknowledgements by adding
 * `?{COLLAB_ACK_PARAM}=1` to the URL; only such connections ever receive
 * {@link MESSAGE_SAVED}, because a stock client logs an error on unknown types.
 */

/** Path of the socket.io endpoint (presence, meetings, threads, notifications). */
export const REALTIME_PATH = '/socket.io';

/** Path prefix of the collaboration WebSocket endpoint. */
export const COLLAB_PATH_PREFIX = '/collab/';

/** y-websocket message types (first varUint of every frame). */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/**
 * JANE extension: `[MESSAGE_SAVED, varUint durableCount]`.
 *
 * `durableCount` is the number of document-changing frames (sync step 2 and sync
 * update) that this connection has sent and that are now durable in the store, counted
 * from the start of the connection. The client counts the same frames as it sends them;
 * when both counts match, everything it sent is saved.
 */
export const MESSAGE_SAVED = 100;

/** URL query parameter with which our client asks for {@link MESSAGE_SAVED} frames. */
export const COLLAB_ACK_PARAM = 'ack';

/** y-protocols sync sub-types (second varUint of a MESSAGE_SYNC frame). */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

/** Name of the `Y.XmlFragment` holding a draft's rich text. */
export const DOCUMENT_FIELD = 'default';

/**
 * WebSocket close codes used by the collaboration server. They follow the convention
 * `y-websocket` 3 applies by default: 4400–4499 mean "reconnecting cannot help" (the
 * provider stops), 4500–4599 mean "try again" (the provider reconnects; nothing is lost).
 */
export const CloseCode = {
  /** A frame could not be decoded, or an update was malformed or had missing dependencies. */
  MalformedMessage: 4400,
  /** The session ended (signed out, expired, account deactivated). */
  Unauthorized: 4401,
  /** The user lost access to this document while connected. */
  Forbidden: 4403,
  /** The document was deleted. */
  NotFound: 4404,
  /** Awareness flood or spoofing: too many awareness entries in one frame. */
  AwarenessViolation: 4429,
  /** The server reloads this document (after rejecting a corrupt update, or a role change); reconnect. */
  DocumentReloaded: 4500,
  /** The document could not be loaded from the store, or the server is shutting down; reconnect later. */
  Unavailable: 4503,
  /** Standard code sent by the `ws` library when a frame exceeds the size limit. */
  MessageTooLarge: 1009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/**
 * The identity the server stamps into `state.user` of every awareness state it relays
 * (from the session — never what a client claims). Clients read names and colours of
 * others from it.
 */
export interface AwarenessIdentity {
  id: string;
  name: string;
  /** `#rrggbb` (a caret with another format is drawn transparent). */
  color: string;
  country: string;
  organisation: string;
  /** The person may only read (observer, or an archived document). */
  readOnly: boolean;
}

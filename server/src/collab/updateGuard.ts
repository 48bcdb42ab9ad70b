/**
 * Checks a client's Yjs update against the live document *before* it is applied.
 *
 * Yjs throws on most garbage, but a corrupted or hostile update can also be accepted
 * silently as "pending" structs (missing dependencies) that `encodeStateAsUpdate` would
 * then store and send to every later client, or throw half-way through changing the
 * document. So we decode first and refuse anything whose dependencies the document
 * does not have. The live document then only ever sees updates it can integrate fully;
 * `LiveDocument` re-checks for pending state after applying, as a second guard.
 */
import * as Y from 'yjs';

export type UpdateRejection =
  | 'undecodable'
  | 'missing-dependency'
  | 'gap'
  | 'subdocument'
  | 'bad-parent'
  | 'unknown-deletion';

/**
 * Rejections that mean "this builds on changes the document does not have": a sync gap
 * (e.g. a client typed before its reconnection finished syncing, or deleted text it got
 * from a server that died before storing it). Asking the client for what it has beyond
 * our state fills it; only the other rejections are malformed input.
 */
export function isSyncGap(rejection: UpdateRejection): boolean {
  return rejection === 'missing-dependency' || rejection === 'gap' || rejection === 'unknown-deletion';
}

interface ClientRange {
  /** First clock of this client's structs in the update. */
  start: number;
  /** Clock after the last struct. */
  end: number;
}

function isItem(struct: unknown): struct is Y.Item {
  return struct instanceof Y.Item;
}

function isSkip(struct: unknown): boolean {
  return struct instanceof Y.Skip;
}

/*
 * The helpers below are module functions taking what they need, not closures: the server
 * runs under tsx, whose `keepNames` wraps every named closure in a defineProperty call
 * each time it is created, which cost about as much as the whole check.
 */

/** Where this update's structs for `client` start and end. */
type Ranges = Map<number, ClientRange>;
type StructsByClient = Map<number, Array<Y.Item | Y.GC | Y.Skip>>;

function knownEnd(store: Y.Doc['store'], ranges: Ranges, client: number): number {
  return Math.max(Y.getState(store, client), ranges.get(client)?.end ?? 0);
}

function isKnown(store: Y.Doc['store'], ranges: Ranges, id: Y.ID): boolean {
  return id.clock < knownEnd(store, ranges, id.client);
}

/** Whether the struct with this id (in the document or in the update) holds a shared type. */
function isTypeItem(store: Y.Doc['store'], byClient: StructsByClient, id: Y.ID): boolean {
  if (id.clock < Y.getState(store, id.client)) {
    const existing = Y.getItem(store, id);
    return existing instanceof Y.GC || (existing instanceof Y.Item && existing.content instanceof Y.ContentType);
  }
  const list = byClient.get(id.client);
  if (!list) return false;
  for (const struct of list) {
    if (struct.id.clock <= id.clock && id.clock < struct.id.clock + struct.length) return isItem(struct) && struct.content instanceof Y.ContentType;
  }
  return false;
}

/** Returns why the update must be refused, or `null` if it can be applied cleanly. */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateRejection | null {
  return inspectUpdate(doc, update).rejection;
}

export interface UpdateInspection {
  rejection: UpdateRejection | null;
  /**
   * The update only adds structs the document does not have yet, each client's starting
   * exactly where the document's ends, and deletes nothing: applied, it changes the
   * document by exactly these bytes, so they can be stored and relayed as they came
   * instead of re-encoded from the transaction (a keystroke).
   */
  onlyNewInsertions: boolean;
}

const REFUSED = (rejection: UpdateRejection): UpdateInspection => ({ rejection, onlyNewInsertions: false });

/** Checks the update (see {@link checkUpdate}) and says whether it is only new insertions. */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  const rejection = findRejection(doc, update);
  if (typeof rejection === 'string') return REFUSED(rejection);
  return { rejection: null, onlyNewInsertions: rejection.onlyNewInsertions };
}

function findRejection(doc: Y.Doc, update: Uint8Array): UpdateRejection | { onlyNewInsertions: boolean } {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'undecodable';
  }
  const store = doc.store;
  let onlyNewInsertions = decoded.structs.length > 0 && decoded.ds.clients.size === 0;

  // Per client, the structs must continue the document without a gap.
  const ranges: Ranges = new Map();
  const byClient: StructsByClient = new Map();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const range = ranges.get(client);
    if (!range) {
      const docEnd = Y.getState(store, client);
      if (clock > docEnd) return 'missing-dependency';
      if (clock !== docEnd) onlyNewInsertions = false;
      ranges.set(client, { start: clock, end: clock + struct.length });
    } else {
      if (clock !== range.end) return 'gap';
      range.end = clock + struct.length;
    }
    if (isSkip(struct)) {
      if (clock + struct.length > Y.getState(store, client)) return 'gap';
      onlyNewInsertions = false;
    }
    let list = byClient.get(client);
    if (!list) byClient.set(client, (list = []));
    list.push(struct);
  }

  for (const struct of decoded.structs) {
    if (!isItem(struct)) continue;
    if (struct.content instanceof Y.ContentDoc) return 'subdocument';
    if (struct.origin && !isKnown(store, ranges, struct.origin)) return 'missing-dependency';
    if (struct.rightOrigin && !isKnown(store, ranges, struct.rightOrigin)) return 'missing-dependency';
    // A struct may only build on earlier structs of its own client; otherwise it waits forever.
    if (struct.origin && struct.origin.client === struct.id.client && struct.origin.clock >= struct.id.clock) return 'missing-dependency';
    const parent = struct.parent as unknown;
    if (parent instanceof Y.ID) {
      if (!isKnown(store, ranges, parent)) return 'missing-dependency';
      if (!isTypeItem(store, byClient, parent)) return 'bad-parent';
    } else if (parent !== null && typeof parent !== 'string') {
      return 'bad-parent';
    }
    if (parent === null && !struct.origin && !struct.rightOrigin) return 'bad-parent';
  }

  for (const [client, deletions] of decoded.ds.clients) {
    for (const deletion of deletions) {
      if (deletion.clock + deletion.len > knownEnd(store, ranges, client)) return 'unknown-deletion';
    }
  }
  return { onlyNewInsertions };
}

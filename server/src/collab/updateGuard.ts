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

/** Returns why the update must be refused, or `null` if it can be applied cleanly. */
export function checkUpdate(doc: Y.Doc, update: Uint8Array): UpdateRejection | null {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return 'undecodable';
  }
  const store = doc.store;
  const docEnd = (client: number) => Y.getState(store, client);

  // Per client, the structs must continue the document without a gap.
  const ranges = new Map<number, ClientRange>();
  const byId = new Map<number, Array<Y.Item | Y.GC | Y.Skip>>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    const range = ranges.get(client);
    if (!range) {
      if (clock > docEnd(client)) return 'missing-dependency';
      ranges.set(client, { start: clock, end: clock + struct.length });
    } else {
      if (clock !== range.end) return 'gap';
      range.end = clock + struct.length;
    }
    if (isSkip(struct) && clock + struct.length > docEnd(client)) return 'gap';
    let list = byId.get(client);
    if (!list) byId.set(client, (list = []));
    list.push(struct);
  }

  const knownEnd = (client: number) => Math.max(docEnd(client), ranges.get(client)?.end ?? 0);
  const isKnown = (id: Y.ID) => id.clock < knownEnd(id.client);

  /** Whether the struct with this id (in the document or in the update) holds a shared type. */
  const isTypeItem = (id: Y.ID): boolean => {
    if (id.clock < docEnd(id.client)) {
      const existing = Y.getItem(store, id);
      return existing instanceof Y.GC || (existing instanceof Y.Item && existing.content instanceof Y.ContentType);
    }
    const inUpdate = byId.get(id.client)?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);
    return isItem(inUpdate) && inUpdate.content instanceof Y.ContentType;
  };

  for (const struct of decoded.structs) {
    if (!isItem(struct)) continue;
    if (struct.content instanceof Y.ContentDoc) return 'subdocument';
    if (struct.origin && !isKnown(struct.origin)) return 'missing-dependency';
    if (struct.rightOrigin && !isKnown(struct.rightOrigin)) return 'missing-dependency';
    // A struct may only build on earlier structs of its own client; otherwise it waits forever.
    if (struct.origin && struct.origin.client === struct.id.client && struct.origin.clock >= struct.id.clock) return 'missing-dependency';
    const parent = struct.parent as unknown;
    if (parent instanceof Y.ID) {
      if (!isKnown(parent)) return 'missing-dependency';
      if (!isTypeItem(parent)) return 'bad-parent';
    } else if (parent !== null && typeof parent !== 'string') {
      return 'bad-parent';
    }
    if (parent === null && !struct.origin && !struct.rightOrigin) return 'bad-parent';
  }

  for (const [client, deletions] of decoded.ds.clients) {
    for (const deletion of deletions) {
      if (deletion.clock + deletion.len > knownEnd(client)) return 'unknown-deletion';
    }
  }
  return null;
}

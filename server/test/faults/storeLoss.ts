/**
 * When a fault run finds promised edits missing from the store, this records why while
 * the data is still there: what the stored state cannot integrate (pending structs), which
 * ranges of which Yjs clients the store lacks compared with a running instance, whether
 * the authored history (`docHistory`, written before the log) holds them — "in history,
 * not in the log or snapshot" points at compaction, "nowhere" at the write path — and a
 * dump of every stored record of the document for replaying offline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient, type Binary } from 'mongodb';
import * as Y from 'yjs';

interface Missing {
  client: number;
  from: number;
  to: number;
}

/** Ranges (per client) that `have` holds beyond `lack`. */
function rangesBeyond(have: Map<number, number>, lack: Map<number, number>): Missing[] {
  const out: Missing[] = [];
  for (const [client, clock] of have) {
    const other = lack.get(client) ?? 0;
    if (clock > other) out.push({ client, from: other, to: clock });
  }
  return out;
}

/** The clock ranges, per client, that these raw updates carry (integrable or not). */
function carried(updates: Uint8Array[]): Map<number, [number, number][]> {
  const byClient = new Map<number, [number, number][]>();
  for (const update of updates) {
    for (const struct of Y.decodeUpdate(update).structs) {
      if (struct instanceof Y.Skip) continue;
      let list = byClient.get(struct.id.client);
      if (!list) byClient.set(struct.id.client, (list = []));
      list.push([struct.id.clock, struct.id.clock + struct.length]);
    }
  }
  return byClient;
}

/** The parts of `range` that none of `ranges` carries, as "from-to" strings. */
function uncovered(ranges: Map<number, [number, number][]>, range: Missing): string[] {
  const list = [...(ranges.get(range.client) ?? [])].sort((a, b) => a[0] - b[0]);
  const gaps: string[] = [];
  let at = range.from;
  for (const [from, to] of list) {
    if (to <= at) continue;
    if (from > at) gaps.push(`${at}-${Math.min(from, range.to)}`);
    at = Math.max(at, to);
    if (at >= range.to) break;
  }
  if (at < range.to) gaps.push(`${at}-${range.to}`);
  return gaps;
}

const b64 = (data: Uint8Array) => Buffer.from(data).toString('base64');
const raw = (data: Binary) => new Uint8Array(data.buffer.buffer, data.buffer.byteOffset, data.buffer.byteLength);

function docOf(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/**
 * Returns one line for the run's notes and writes `loss-<documentId>.json` into `logDir`.
 * `instanceStates`: the full state a fresh client got from each running instance.
 */
export async function diagnoseStoreLoss(mongoUri: string, documentId: string, instanceStates: Map<string, Uint8Array>, logDir: string): Promise<string> {
  const client = await MongoClient.connect(mongoUri);
  try {
    const db = client.db();
    const [updates, head, chunks, history] = await Promise.all([
      db.collection('docUpdates').find({ docId: documentId }).sort({ _id: 1 }).toArray(),
      db.collection('docHeads').findOne({ _id: documentId as never }),
      db.collection('docSnapshotChunks').find({ docId: documentId }).sort({ gen: 1, index: 1 }).toArray(),
      db.collection('docHistory').find({ docId: documentId }).sort({ _id: 1 }).toArray(),
    ]);
    const current = chunks.filter((chunk) => head && chunk.gen === head.gen).map((chunk) => raw(chunk.data as Binary));
    const snapshot = current.length > 0 ? Buffer.concat(current) : null;
    const logUpdates = updates.map((u) => raw(u.data as Binary));
    const stored = docOf([...(snapshot ? [new Uint8Array(snapshot)] : []), ...logUpdates]);
    const historyDoc = docOf(history.map((h) => raw(h.data as Binary)));
    const storedState = Y.decodeStateVector(Y.encodeStateVector(stored));
    const storedRanges = carried([...(snapshot ? [new Uint8Array(snapshot)] : []), ...logUpdates]);
    const historyRanges = carried(history.map((h) => raw(h.data as Binary)));
    const parts: string[] = [];
    parts.push(`store: log ${updates.length} updates, head ${head ? `${head.gen} (${head.chunks} chunks, ${head.bytes} B)` : 'none'}, ${chunks.length} chunk records, history ${history.length} entries`);
    const pending = stored.store.pendingStructs;
    parts.push(`store pending structs: ${pending ? JSON.stringify(Object.fromEntries(pending.missing)) : 'none'}, pending deletions: ${stored.store.pendingDs ? 'yes' : 'no'}`);
    parts.push(`history pending structs: ${historyDoc.store.pendingStructs ? JSON.stringify(Object.fromEntries(historyDoc.store.pendingStructs.missing)) : 'none'}`);
    for (const [name, state] of instanceStates) {
      const instanceDoc = docOf([state]);
      const beyond = rangesBeyond(Y.decodeStateVector(Y.encodeStateVector(instanceDoc)), storedState);
      instanceDoc.destroy();
      const described = beyond.map((r) => {
        const notStored = uncovered(storedRanges, r);
        const notInHistory = uncovered(historyRanges, r);
        return `${r.client}:${r.from}-${r.to} (carried by no stored record: ${notStored.join(' ') || 'none'}; by no history entry: ${notInHistory.join(' ') || 'none'})`;
      });
      parts.push(`${name} has beyond the store: ${described.join(', ') || 'nothing'}`);
    }
    stored.destroy();
    historyDoc.destroy();
    const dump = {
      documentId,
      head,
      chunks: chunks.map((c) => ({ _id: c._id, gen: c.gen, index: c.index, data: b64(raw(c.data as Binary)) })),
      log: updates.map((u) => ({ _id: String(u._id), data: b64(raw(u.data as Binary)) })),
      history: history.map((h) => ({ _id: String(h._id), userId: h.userId, at: h.at, data: b64(raw(h.data as Binary)) })),
      instances: Object.fromEntries([...instanceStates].map(([name, state]) => [name, b64(state)])),
    };
    const file = path.join(logDir, `loss-${documentId}.json`);
    fs.writeFileSync(file, JSON.stringify(dump));
    parts.push(`dump: ${file}`);
    return parts.join('; ');
  } finally {
    await client.close();
  }
}

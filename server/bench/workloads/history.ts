/**
 * (h) Version history, ours only, in process on the real SQLite store: what keeping the
 * authored history costs and how fast it answers.
 *   - a 50-page call for expressions of interest (8 sections × 30 paragraphs of ~100
 *     words) is written, and a version taken;
 *   - two people make `edits` one-character edits (appended in batches of 20, as the
 *     group commit does), and a second version is taken;
 *   - extra storage: the history's bytes per 1,000 edits;
 *   - listing the versions (the REST answer, people included), and computing `changes`
 *     between the two versions (both through the history service, as the routes do);
 *   - cold open of the document (read the compacted snapshot and log, build the Y.Doc:
 *     what the server does on first connection) with all that history kept.
 * The write path (LiveDocuments) is not used by these calls and is left out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { pino } from 'pino';
import { DOCUMENT_FIELD } from '@jane/shared';
import { writeFiftyPages } from '../lib/documents.js';
import { HistoryService } from '../../src/history/service.js';
import type { LiveDocuments } from '../../src/collab/liveDocuments.js';
import { docFromState } from '../../src/storage/docState.js';
import { openSqliteStore } from '../../src/storage/sqlite/sqliteStore.js';
import type { PendingUpdate, UserRecord } from '../../src/storage/port.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface HistoryBenchResult {
  edits: number;
  documentChars: number;
  /** History bytes per 1,000 one-character edits. */
  historyBytesPer1000Edits: number;
  /** The update log plus snapshot after compaction, for comparison. */
  loadPathBytes: number;
  historyBytes: number;
  listVersionsMs: Summary;
  changesMs: Summary;
  coldOpenMs: Summary;
  /** The changes found the right number of inserted characters, credited to the two people. */
  correct: boolean;
}

export async function runHistoryBench(options: { edits: number; repeats: number }): Promise<HistoryBenchResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jane-bench-history-'));
  const store = await openSqliteStore({ dataDir });
  try {
    const now = new Date().toISOString();
    const admin: UserRecord = { id: 'bench-admin', email: 'admin@bench.eu', name: 'Bench Admin', country: 'BE', organisation: 'Bench', passwordHash: 'x', isAdmin: true, active: true, createdAt: now };
    await store.users.create(admin);
    for (const [id, name, country] of [['anna', 'Anna Rossi', 'IT'], ['bram', 'Bram de Vries', 'NL']] as const) {
      await store.users.create({ ...admin, id, email: `${id}@bench.eu`, name, country, isAdmin: false });
    }
    await store.workspaces.create({ id: 'bench-ws', kind: 'network', title: 'Bench', createdAt: now } as never);
    const docId = 'bench-history-doc';
    await store.documents.create({ id: docId, workspaceId: 'bench-ws', title: 'Call', template: 'call-for-expressions-of-interest', archived: false, createdAt: now, createdBy: admin.id, updatedAt: now, updatedBy: admin.id });

    // The 50-page document, written by Anna.
    const doc = new Y.Doc();
    const pending: PendingUpdate[] = [];
    let author = 'anna';
    doc.on('update', (data: Uint8Array) => pending.push({ docId, data, userId: author }));
    writeFiftyPages(doc);
    const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
    await store.content.append(pending.splice(0), now);
    const history = new HistoryService(store, null as unknown as LiveDocuments, pino({ level: 'silent' }), { pauseMs: 600_000 });
    const first = (await history.createVersion(docId, { kind: 'named', name: 'Before', createdBy: admin.id }))!;
    const bytesBefore = await store.history.bytes(docId);

    // Two people type, one character per update, in different sections.
    const paragraphs = fragment.toArray().filter((b): b is Y.XmlElement => b instanceof Y.XmlElement && b.nodeName === 'paragraph' && b.length > 0);
    for (let i = 0; i < options.edits; i++) {
      author = i % 2 === 0 ? 'anna' : 'bram';
      const text = paragraphs[(i * 7) % paragraphs.length]!.get(0) as Y.XmlText;
      text.insert((i * 13) % text.length, 'x');
      if (pending.length >= 20) await store.content.append(pending.splice(0), new Date().toISOString());
    }
    if (pending.length > 0) await store.content.append(pending.splice(0), new Date().toISOString());
    const second = (await history.createVersion(docId, { kind: 'named', name: 'After', createdBy: admin.id }))!;
    const historyBytes = await store.history.bytes(docId);
    await store.content.compact(docId);
    const loadState = await store.content.load(docId);
    const loadPathBytes = (loadState.snapshot?.byteLength ?? 0) + loadState.updates.reduce((n, u) => n + u.byteLength, 0);

    const listSamples: number[] = [];
    const changesSamples: number[] = [];
    const openSamples: number[] = [];
    let correct = true;
    for (let r = 0; r < options.repeats; r++) {
      let t0 = performance.now();
      const versions = await history.list(admin, docId);
      listSamples.push(performance.now() - t0);
      if (versions.length !== 2) correct = false;

      t0 = performance.now();
      const changes = await history.changes(admin, docId, first.id, second.id);
      changesSamples.push(performance.now() - t0);
      const inserted = changes.sections.flatMap((s) => s.inserted);
      const chars = inserted.reduce((n, c) => n + c.text.length, 0);
      const authors = new Set(inserted.map((c) => c.userId));
      if (chars !== options.edits || authors.size !== 2 || !authors.has('anna') || !authors.has('bram')) correct = false;

      t0 = performance.now();
      const opened = docFromState(await store.content.load(docId));
      openSamples.push(performance.now() - t0);
      opened.destroy();
    }
    const documentChars = fragment.toArray().reduce((n, b) => n + (b instanceof Y.XmlElement ? b.toString().length : 0), 0);
    doc.destroy();
    return {
      edits: options.edits,
      documentChars,
      historyBytesPer1000Edits: Math.round(((historyBytes - bytesBefore) / options.edits) * 1000),
      loadPathBytes,
      historyBytes,
      listVersionsMs: summarize(listSamples),
      changesMs: summarize(changesSamples),
      coldOpenMs: summarize(openSamples),
      correct,
    };
  } finally {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * (l) What keeping agreed text agreed costs, ours only, in process: server CPU per
 * update in the document room (`LiveDocument.applyPeerUpdate`: checks, apply, lock
 * check, net result, broadcast encoding) for a contributor typing one character at a
 * time into a call for expressions of interest, with
 *   - no agreed section (the plain path),
 *   - 3 of 8 sections agreed, typing in a draft section (checked and allowed),
 *   - 3 of 8 sections agreed, typing in an agreed one (checked, undone, net result sent).
 * The store is left out (a writer that acknowledges at once), so that the figure is the
 * room's own CPU; the client applies the server's answer after each update, as a stock
 * client does. Two document sizes: 5 and 50 paragraphs of ~400 characters per section.
 */
import * as Y from 'yjs';
import { pino } from 'pino';
import { buildTemplateUpdate, DOCUMENT_FIELD, documentSections, type Actor } from '@jane/shared';
import { LiveDocument, type DocumentPeer } from '../../src/collab/liveDocument.js';
import type { CommitEntry, GroupCommitWriter } from '../../src/collab/groupCommit.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface SectionLockCase {
  paragraphsPerSection: number;
  blocks: number;
  scenario: 'no agreed section' | 'agreed elsewhere (allowed)' | 'inside agreed (refused)';
  updates: number;
  /** Server CPU (wall time of the synchronous room code) per update. */
  usPerUpdate: Summary;
  /** Whether the document ended as it should (the refused text absent, the allowed text present). */
  correct: boolean;
}

export interface SectionLockResult {
  cases: SectionLockCase[];
}

const PARAGRAPH = 'Networks shall demonstrate sustained activity volume, multidisciplinary teams and the capacity to share data across borders. '.repeat(3);

/** The acknowledging writer: nothing is stored, every change is "durable" at once. */
const instantWriter = {
  enqueue(entry: CommitEntry) {
    entry.onDurable?.(entry);
  },
} as unknown as GroupCommitWriter;

function peer(actor: Actor): DocumentPeer {
  return {
    userId: actor.userId,
    actor,
    identity: { id: actor.userId, name: 'Bench', color: '#1f6feb', country: 'IT', organisation: 'Bench', readOnly: false },
    awarenessClients: new Set(),
    send() {},
    close() {},
    acknowledgeDurable() {},
  };
}

function buildDocument(paragraphsPerSection: number): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildTemplateUpdate('call-for-expressions-of-interest', 'Call for expressions of interest'));
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  // After each section heading (top-level index of headings, from the end so that indexes hold).
  const headings = documentSections(doc).filter((s) => s.level === 2).map((s) => s.start);
  for (const start of headings.reverse()) {
    const paragraphs = Array.from({ length: paragraphsPerSection }, () => {
      const p = new Y.XmlElement('paragraph');
      const t = new Y.XmlText();
      t.insert(0, PARAGRAPH);
      p.insert(0, [t]);
      return p;
    });
    fragment.insert(start + 1, paragraphs);
  }
  return doc;
}

function runCase(paragraphsPerSection: number, scenario: SectionLockCase['scenario'], updates: number): SectionLockCase {
  const source = buildDocument(paragraphsPerSection);
  const serverDoc = new Y.Doc();
  Y.applyUpdate(serverDoc, Y.encodeStateAsUpdate(source));
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(source));
  const live = new LiveDocument('bench-locks', serverDoc, 0, { writer: instantWriter, logger: pino({ level: 'silent' }), onLogGrew: () => {} });
  const contributor = peer({ userId: 'contributor', isAdmin: false, role: 'contributor' });
  live.addPeer(contributor);

  const sections = documentSections(client).filter((s) => s.level === 2);
  const agreed = [sections[1]!, sections[3]!, sections[5]!];
  if (scenario !== 'no agreed section') live.setAgreedSections(new Map(agreed.map((s) => [s.id!, { ownerId: null }])));
  const target = scenario === 'inside agreed (refused)' ? sections[3]! : sections[2]!;
  const fragment = client.getXmlFragment(DOCUMENT_FIELD);
  const paragraphText = () => (fragment.get(target.start + 1) as Y.XmlElement).get(0) as Y.XmlText;
  const before = paragraphText().toString();

  let pending: Uint8Array[] = [];
  client.on('update', (update: Uint8Array) => pending.push(update));
  const samples: number[] = [];
  for (let i = 0; i < updates; i++) {
    pending = [];
    paragraphText().insert(i % 50, 'x');
    const update = Y.mergeUpdates(pending);
    const t0 = process.hrtime.bigint();
    live.applyPeerUpdate(contributor, update, i + 1);
    samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    // The client takes the server's answer (the net result when refused), as a stock client does.
    Y.applyUpdate(client, Y.encodeStateAsUpdate(serverDoc, Y.encodeStateVector(client)));
  }
  const after = (serverDoc.getXmlFragment(DOCUMENT_FIELD).get(target.start + 1) as Y.XmlElement).get(0) as Y.XmlText;
  const correct = scenario === 'inside agreed (refused)' ? after.toString() === before && paragraphText().toString() === before : after.toString().length === before.length + updates;
  const blocks = fragment.length;
  live.removePeer(contributor);
  for (const doc of [source, serverDoc, client]) doc.destroy();
  return { paragraphsPerSection, blocks, scenario, updates, usPerUpdate: summarize(samples), correct };
}

export function runSectionLocks(options: { updates: number }): SectionLockResult {
  const sizes = [5, 50];
  const scenarios = ['no agreed section', 'agreed elsewhere (allowed)', 'inside agreed (refused)'] as const;
  // Every path warmed up (JIT) before anything is measured.
  for (const size of sizes) for (const scenario of scenarios) runCase(size, scenario, Math.min(500, options.updates));
  const cases: SectionLockCase[] = [];
  for (const size of sizes) for (const scenario of scenarios) cases.push(runCase(size, scenario, options.updates));
  return { cases };
}

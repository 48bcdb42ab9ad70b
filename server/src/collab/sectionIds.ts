/**
 * Every heading has its own section id. Our editor gives new headings none (and a split
 * heading's second half none) and a stock client knows nothing of ids; a copied heading
 * arrives with its original's id. Shortly after a change — and when a document written
 * before sections existed is loaded — the server gives each heading that lacks one, or
 * shares one with an earlier heading, an id derived from the heading's own Yjs item,
 * through the write path. Derived, so that two instances fixing the same document at the
 * same moment write the same value.
 */
import { DOCUMENT_FIELD, sectionIdRepairs, SECTION_ID_ATTRIBUTE } from '@jane/shared';
import type { Logger } from 'pino';
import type * as Y from 'yjs';
import { SERVER_AUTHOR } from '../storage/port.js';
import { REMOTE_ORIGIN, type LiveDocument } from './liveDocument.js';
import type { LiveDocuments } from './liveDocuments.js';

/**
 * Whether the transaction may have added, removed or re-identified a heading: headings are
 * the document's top-level blocks, so only a change to that list (a block inserted, split,
 * pasted or deleted) or to a top-level block's attributes can. Typing inside a block — a
 * keystroke, nearly every transaction — changes neither, and costs no look at the headings.
 */
function mayChangeSectionIds(transaction: Y.Transaction, fragment: Y.XmlFragment): boolean {
  for (const [type, keys] of transaction.changed) {
    if ((type as unknown) === fragment) return true;
    if (type._item?.parent === fragment) for (const key of keys) if (key !== null) return true;
  }
  return false;
}

/** How long after a change the headings are looked at (typing a heading is several changes). */
const SETTLE_MS = 300;

export class SectionIdKeeper {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly documents: LiveDocuments,
    private readonly logger: Logger,
  ) {}

  /** Starts looking after a freshly loaded document (and fixes it now if it needs it). */
  watch(live: LiveDocument): void {
    // 'afterTransaction', not 'update': Yjs encodes an update only while someone listens.
    const fragment = live.doc.getXmlFragment(DOCUMENT_FIELD);
    live.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      // Another instance fixes what its own clients wrote.
      if (transaction.origin !== REMOTE_ORIGIN && mayChangeSectionIds(transaction, fragment)) this.schedule(live);
    });
    this.schedule(live, 0);
  }

  private schedule(live: LiveDocument, delay = SETTLE_MS): void {
    if (this.timers.has(live.id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(live.id);
      void this.repair(live);
    }, delay);
    timer.unref();
    this.timers.set(live.id, timer);
  }

  private async repair(live: LiveDocument): Promise<void> {
    if (live.broken || sectionIdRepairs(live.doc).length === 0) return;
    try {
      await this.documents.change(live.id, SERVER_AUTHOR, (doc) => {
        doc.transact(() => {
          for (const { heading, id } of sectionIdRepairs(doc)) heading.setAttribute(SECTION_ID_ATTRIBUTE, id);
        });
      });
    } catch (error) {
      this.logger.warn({ err: error, docId: live.id }, 'could not give headings their section ids');
    }
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

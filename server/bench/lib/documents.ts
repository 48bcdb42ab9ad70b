/** Documents the benchmarks work on. */
import * as Y from 'yjs';
import { buildTemplateUpdate, DOCUMENT_FIELD, documentSections } from '@jane/shared';

const WORDS = 'networks shall demonstrate sustained activity volume multidisciplinary teams and capacity to share data across borders '.split(' ');

function paragraphText(n: number): string {
  return Array.from({ length: 100 }, (_, i) => WORDS[(i + n) % WORDS.length]).join(' ');
}

/**
 * Writes a 50-page call for expressions of interest into `doc` (in one transaction): the
 * template's 8 sections, each with 30 paragraphs of 100 words (24,000 words).
 */
export function writeFiftyPages(doc: Y.Doc): void {
  Y.applyUpdate(doc, buildTemplateUpdate('call-for-expressions-of-interest', 'Call for expressions of interest'));
  fillFiftyPages(doc);
}

/**
 * Fills a document that already holds the call's template (its level-2 headings) to 50
 * pages, as {@link writeFiftyPages} does: 30 paragraphs of 100 words under each heading.
 */
export function fillFiftyPages(doc: Y.Doc): void {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const headings = documentSections(doc).filter((s) => s.level === 2).map((s) => s.start);
  doc.transact(() => {
    for (const start of headings.reverse()) {
      fragment.insert(
        start + 1,
        Array.from({ length: 30 }, (_, n) => {
          const p = new Y.XmlElement('paragraph');
          const t = new Y.XmlText();
          t.insert(0, paragraphText(n));
          p.insert(0, [t]);
          return p;
        }),
      );
    }
  });
}

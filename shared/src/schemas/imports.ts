/** "New draft from file": what an import kept and what it left out (POST …/documents/import). */
import type { DocumentMeta } from './api.js';

/** How many of each kind of thing the imported document holds. */
export interface ImportKept {
  headings: number;
  paragraphs: number;
  lists: number;
  tables: number;
  links: number;
}

/** Something in the file the document could not hold: images, footnotes, comments, anything else. */
export interface ImportDropped {
  what: 'image' | 'footnote' | 'comment' | 'unsupported';
  count: number;
  /** One instance, for the person to recognise it (e.g. "HTML: <script>"). */
  example?: string;
}

export interface ImportReport {
  kept: ImportKept;
  dropped: ImportDropped[];
  /** What the converter noticed besides (at most a few, worded for people). */
  notes: string[];
}

export interface ImportDocumentResponse {
  document: DocumentMeta;
  report: ImportReport;
}

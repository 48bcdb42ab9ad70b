/**
 * Exporting a document: a plain function from a `Y.Doc` and its facts to a file (no
 * server, no store — the bench times it), the file names, and the comment matrix.
 */
import * as Y from 'yjs';
import { DOCUMENT_FIELD, sectionsOf, workSections } from '@jane/shared';
import { fromYXml } from '@jane/shared/content';
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderMatrixCsv, renderMatrixDocx } from './matrix.js';
import { isoDate, type ExportFormat, type ExportMeta, type ExportOptions, type ExportThread, type SectionInfo } from './model.js';

export * from './model.js';
export { loadThreads, exportThreads } from './threads.js';

export interface ExportedFile {
  body: Buffer;
  contentType: string;
  fileName: string;
}

export const CONTENT_TYPES: Record<ExportFormat | 'csv', string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Lowercase ASCII words joined by hyphens ("Réseau — Plan 2026" → "reseau-plan-2026"). */
export function slug(text: string, max = 60): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii.slice(0, max).replace(/-+$/, '');
}

/** `<workspace>-<title>[-<suffix>]-<YYYY-MM-DD>.<ext>`, ASCII only. */
export function exportFileName(meta: ExportMeta, extension: string, suffix?: string): string {
  const parts = [slug(meta.workspaceTitle, 40), slug(meta.documentTitle) || 'document', ...(suffix ? [suffix] : []), isoDate(meta.date)].filter(Boolean);
  return `${parts.join('-')}.${extension}`;
}

/** The same name as people typed it (for `filename*`): only characters no file system minds. */
export function unicodeFileName(meta: ExportMeta, extension: string, suffix?: string): string {
  const clean = (text: string) => text.replace(/[\u0000-\u001f\u007f"*/:<>?\\|]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  const parts = [clean(meta.workspaceTitle), clean(meta.documentTitle) || 'document', ...(suffix ? [suffix] : []), isoDate(meta.date)].filter(Boolean);
  return `${parts.join(' - ')}.${extension}`;
}

/** `Content-Disposition` for a download: an ASCII name and the UTF-8 one (RFC 6266 / 5987). */
export function contentDisposition(asciiName: string, unicodeName: string): string {
  const encoded = encodeURIComponent(unicodeName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName.replace(/["\\]/g, '')}"; filename*=UTF-8''${encoded}`;
}

export interface ExportExtras {
  /** Section id → status and owner (used with `status`). */
  sections?: Map<string, SectionInfo>;
  /** Threads in document order (open ones become comments with `comments`, DOCX only). */
  threads?: ExportThread[];
}

/** Renders the document in `doc` (its editor fragment) as a file. */
export async function exportDocument(doc: Y.Doc, meta: ExportMeta, format: ExportFormat, options: ExportOptions = {}, extras: ExportExtras = {}): Promise<ExportedFile> {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  // Every work section has a status: a section without a record is a draft without an owner.
  const sections = new Map<string, SectionInfo>();
  for (const section of workSections(sectionsOf(fragment))) {
    if (section.id) sections.set(section.id, extras.sections?.get(section.id) ?? { status: 'draft', owner: null });
  }
  const input = {
    blocks: fromYXml(fragment),
    meta,
    options,
    sections,
    threads: extras.threads ?? [],
  };
  const body = format === 'docx' ? await renderDocx(input) : Buffer.from(format === 'html' ? renderHtml(input) : renderMarkdown(input), 'utf8');
  return { body, contentType: CONTENT_TYPES[format], fileName: exportFileName(meta, format) };
}

/** The comment-resolution matrix of these threads. */
export async function exportCommentMatrix(meta: ExportMeta, threads: readonly ExportThread[], format: 'docx' | 'csv'): Promise<ExportedFile> {
  const body = format === 'docx' ? await renderMatrixDocx(meta, threads) : Buffer.from(renderMatrixCsv(threads), 'utf8');
  return { body, contentType: CONTENT_TYPES[format], fileName: exportFileName(meta, format, 'comments') };
}

/**
 * What an export is made of: the document as ProseMirror JSON (`fromYXml`), the facts
 * around it (workspace, title, version, date), optionally the sections' status and
 * owners, and the comment threads with their passages as offsets into the document's
 * text. The renderers (docx.ts, html.ts, markdown.ts) read only this, so they need no
 * server and no store.
 */
import type { SectionStatus } from '@jane/shared';
import type { ContentBlock, ContentNode, ContentText } from '@jane/shared/content';

export type { ContentBlock, ContentNode, ContentText };

export const EXPORT_FORMATS = ['docx', 'html', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportMeta {
  workspaceTitle: string;
  documentTitle: string;
  /** The version exported (null: the current draft). */
  versionName: string | null;
  /** When the exported content was saved (the version's date, or now for the draft). */
  date: Date;
}

export interface SectionInfo {
  status: SectionStatus;
  /** The owner as a reader should see them ("Anna Rossi (IT)"), null: nobody. */
  owner: string | null;
}

export interface ExportPerson {
  name: string;
  country: string;
}

export interface ExportComment {
  author: ExportPerson;
  createdAt: string;
  body: string;
  deleted: boolean;
}

/** A comment thread, with its passage resolved against the exported document. */
export interface ExportThread {
  id: string;
  kind: 'section' | 'text';
  sectionId: string | null;
  /** The section's title: the current one if the section is still there. */
  sectionTitle: string | null;
  quote: string;
  /**
   * The passage as offsets into the document's text — every text node of the JSON in
   * document order, counted in UTF-16 units; null when the passage is gone (an orphan).
   */
  range: { start: number; end: number } | null;
  comments: ExportComment[];
  resolvedAt: string | null;
  resolvedBy: ExportPerson | null;
}

export interface ExportOptions {
  /** Open threads as Word comments (DOCX only). */
  comments?: boolean;
  /** Each section heading followed by its status and owner. */
  status?: boolean;
}

/** Everything a renderer needs. */
export interface ExportInput {
  blocks: ContentBlock[];
  meta: ExportMeta;
  options: ExportOptions;
  /** The work sections (not the document's title), by section id, with their status (status=1). */
  sections: Map<string, SectionInfo>;
  /** Open threads to show as comments (comments=1), in document order. */
  threads: ExportThread[];
}

export const STATUS_LABELS: Record<SectionStatus, string> = { draft: 'Draft', 'in-review': 'In review', agreed: 'Agreed' };

export const isText = (node: ContentNode): node is ContentText => node.type === 'text';

/** The heading level, clamped to what the editor allows (1–4). */
export function levelOf(block: ContentBlock): number {
  const level = Number(block.attrs?.level);
  return Number.isInteger(level) ? Math.min(4, Math.max(1, level)) : 1;
}

/** A positive integer attribute (colspan, rowspan, start), or the fallback. */
export function intAttr(block: ContentBlock, name: string, fallback: number, max = 1000): number {
  const value = Number(block.attrs?.[name]);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, max) : fallback;
}

export function markOf(node: ContentText, type: string) {
  return node.marks?.find((mark) => mark.type === type);
}

/** The plain text of a node. */
export function plainText(node: ContentNode): string {
  if (isText(node)) return node.text;
  if (node.type === 'hardBreak') return '\n';
  return (node.content ?? []).map(plainText).join('');
}

/** "Current draft" or the version's name. */
export function versionLabel(meta: ExportMeta): string {
  return meta.versionName ?? 'Current draft';
}

/** 2026-03-14, in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** 14 March 2026, in UTC (for title pages). */
export function longDate(date: Date): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** "Status: In review · Owner: Anna Rossi (IT)". */
export function statusLine(info: SectionInfo): string {
  return `Status: ${STATUS_LABELS[info.status]} · Owner: ${info.owner ?? 'none'}`;
}

/** "Anna Rossi (IT)". */
export function personLabel(person: ExportPerson): string {
  return person.country ? `${person.name} (${person.country})` : person.name;
}

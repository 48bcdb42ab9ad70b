/**
 * A file → the content of a new document and the report of what was kept and dropped:
 * one plain function (no server, no store), for the import route and for benchmarks.
 * The kind of file is decided by its content, not its name: a zip (a Word document) or
 * UTF-8 text (Markdown).
 */
import type { ImportReport } from '@jane/shared';
import type { ContentBlock } from '@jane/shared/content';
import { ContentConverter } from './convert.js';
import { docxTree, inspectDocx } from './docx.js';
import { IMPORT_LIMITS, refusals } from './limits.js';
import { markdownTree } from './markdown.js';

export type ImportKind = 'docx' | 'markdown';

export interface ImportedFile {
  kind: ImportKind;
  blocks: ContentBlock[];
  report: ImportReport;
  /** A title for the document: its first heading, else the file's name without extension. */
  suggestedTitle: string;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text when it is UTF-8 text (a BOM is dropped), else null. */
function asText(buffer: Buffer): string | null {
  if (buffer.includes(0)) return null;
  try {
    return utf8.decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

export function detectKind(buffer: Buffer): { kind: 'docx' } | { kind: 'markdown'; text: string } {
  if (buffer.subarray(0, 4).equals(ZIP_MAGIC)) return { kind: 'docx' };
  const text = asText(buffer);
  if (text === null) throw refusals.notADocument();
  return { kind: 'markdown', text };
}

function titleFrom(firstHeading: string | null, fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(docx|md|markdown|txt)$/i, '');
  const candidate = (firstHeading || base || 'Imported document').replace(/\s+/g, ' ').trim();
  return (candidate || 'Imported document').slice(0, IMPORT_LIMITS.titleChars).trim();
}

/** Reads a .docx or .md file; throws ImportRefusedError (400/413) for anything it will not import. */
export async function importFile(buffer: Buffer, fileName: string): Promise<ImportedFile> {
  if (buffer.length > IMPORT_LIMITS.fileBytes) throw refusals.tooLarge();
  const detected = detectKind(buffer);
  if (detected.kind === 'docx') {
    await inspectDocx(buffer);
    const converter = new ContentConverter({ countImages: false });
    const tree = await docxTree(buffer, converter);
    const { blocks, report, firstHeading } = converter.convert(tree.children);
    return { kind: 'docx', blocks, report, suggestedTitle: titleFrom(firstHeading, fileName) };
  }
  const converter = new ContentConverter({ countImages: true });
  const { blocks, report, firstHeading } = converter.convert(markdownTree(detected.text).children);
  return { kind: 'markdown', blocks, report, suggestedTitle: titleFrom(firstHeading, fileName) };
}

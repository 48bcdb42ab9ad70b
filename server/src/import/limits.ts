/**
 * How big and how strange an imported file may be. Every limit refuses the whole file
 * with a message for the person who chose it: nothing half-imported, the server unharmed.
 */
import { AppError } from '../errors.js';

export const IMPORT_LIMITS = {
  /** The uploaded file itself. */
  fileBytes: 10 * 1024 * 1024,
  /** A DOCX unpacked (every entry of the archive together). */
  unpackedBytes: 50 * 1024 * 1024,
  /** Entries in a DOCX archive. */
  zipEntries: 2_000,
  /** An entry may unpack to more than this only at a sane compression ratio… */
  ratioCheckedAboveBytes: 1024 * 1024,
  /** …which is at most this (uncompressed : compressed). */
  compressionRatio: 100,
  /** Block nodes (paragraphs, headings, list items, quotes…) outside tables; a table counts as one. */
  blocks: 20_000,
  /** Rows of one table. */
  tableRows: 1_000,
  /** Columns of one table. */
  tableColumns: 50,
  /** Cells of all tables together. */
  tableCells: 50_000,
  /** Characters of text in the whole document. */
  characters: 5_000_000,
  /** Nesting of lists, quotes and tables. */
  depth: 40,
  /** The optional title field. */
  titleChars: 200,
} as const;

const MB = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** A file we refuse: 400 (or 413 when it is too large to take at all). */
export class ImportRefusedError extends AppError {
  constructor(message: string, status = 400, code = 'import_refused') {
    super(status, code, message);
    this.name = 'ImportRefusedError';
  }
}

export const NOT_A_DOCUMENT = 'This file is not a Word (.docx) or Markdown (.md) file.';

export const refusals = {
  notADocument: () => new ImportRefusedError(NOT_A_DOCUMENT, 400, 'unsupported_file'),
  tooLarge: () => new ImportRefusedError(`The file is larger than ${MB(IMPORT_LIMITS.fileBytes)}. Split it, or remove large images, and try again.`, 413, 'too_large'),
  unpacksTooLarge: () =>
    new ImportRefusedError(`This Word file unpacks to more than ${MB(IMPORT_LIMITS.unpackedBytes)}, which is more than a draft can hold. Save it without large images and try again.`),
  suspiciousCompression: (entry: string) =>
    new ImportRefusedError(`This Word file looks damaged or hostile: "${entry}" is compressed far more than any real document. It was not imported.`),
  tooManyEntries: () => new ImportRefusedError(`This Word file holds more than ${IMPORT_LIMITS.zipEntries.toLocaleString('en')} parts, more than any real document. It was not imported.`),
  damagedZip: () => new ImportRefusedError('This Word file is damaged and cannot be read. Open it in Word, save it again as .docx, and try again.'),
  xmlEntities: () =>
    new ImportRefusedError('This Word file contains XML declarations (DOCTYPE or ENTITY) that real Word documents do not use. It was not imported.'),
  unreadableDocx: () => new ImportRefusedError('This Word file could not be read. Open it in Word, save it again as .docx, and try again.'),
  tooManyBlocks: () =>
    new ImportRefusedError(`The file holds more than ${IMPORT_LIMITS.blocks.toLocaleString('en')} paragraphs, headings and list items, more than one draft should. Split it into several documents.`),
  tableTooLong: () => new ImportRefusedError(`A table in the file has more than ${IMPORT_LIMITS.tableRows.toLocaleString('en')} rows. Split it, or attach the data as a spreadsheet.`),
  tableTooWide: () => new ImportRefusedError(`A table in the file has more than ${IMPORT_LIMITS.tableColumns} columns, more than a page can show.`),
  tooManyCells: () => new ImportRefusedError(`The tables in the file have more than ${IMPORT_LIMITS.tableCells.toLocaleString('en')} cells together. Attach the data as a spreadsheet instead.`),
  tooMuchText: () => new ImportRefusedError(`The file holds more than ${IMPORT_LIMITS.characters.toLocaleString('en')} characters of text, more than one draft should. Split it into several documents.`),
  tooDeep: () => new ImportRefusedError(`The file nests lists, quotes or tables more than ${IMPORT_LIMITS.depth} levels deep.`),
  empty: () => new ImportRefusedError('The file has no text to import.'),
};

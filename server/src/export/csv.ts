/**
 * The one way the product writes CSV. Every cell that a spreadsheet would read as a
 * formula (starting with =, +, -, @, a tab or a carriage return — names and
 * organisations are chosen by the people themselves) is neutralised with a leading
 * apostrophe, so opening an export in Excel or LibreOffice never runs anything.
 */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null;

/** CSV with a byte-order mark, so that spreadsheets read accents correctly. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return '\ufeff' + stringify(rows.map((row) => row.map((cell) => cell ?? '')), { escape_formulas: true });
}

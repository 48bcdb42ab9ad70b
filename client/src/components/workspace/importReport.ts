/** An import's report in words: "Kept 12 headings and 3 tables. Dropped 2 images." */
import type { ImportDropped, ImportReport } from '@jane/shared/core';
import { t, tn } from '../../i18n';

const list = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

const KEPT = [
  ['headings', 'import.keptHeadings'],
  ['paragraphs', 'import.keptParagraphs'],
  ['lists', 'import.keptLists'],
  ['tables', 'import.keptTables'],
  ['links', 'import.keptLinks'],
] as const;

const DROPPED: Record<ImportDropped['what'], 'import.droppedImage' | 'import.droppedFootnote' | 'import.droppedComment' | 'import.droppedUnsupported'> = {
  image: 'import.droppedImage',
  footnote: 'import.droppedFootnote',
  comment: 'import.droppedComment',
  unsupported: 'import.droppedUnsupported',
};

export interface ReportInWords {
  kept: string;
  dropped: string;
  /** One line per kind of thing dropped that has an example. */
  examples: string[];
}

export function importReportInWords(report: ImportReport): ReportInWords {
  const kept = KEPT.filter(([field]) => report.kept[field] > 0).map(([field, key]) => tn(key, report.kept[field]));
  const dropped = report.dropped.filter((d) => d.count > 0);
  return {
    kept: kept.length > 0 ? t('import.kept', { list: list.format(kept) }) : t('import.keptText'),
    dropped: dropped.length > 0 ? t('import.dropped', { list: list.format(dropped.map((d) => tn(DROPPED[d.what], d.count))) }) : t('import.droppedNothing'),
    examples: dropped.filter((d) => d.example).map((d) => `${tn(DROPPED[d.what], d.count)} — ${t('import.example', { example: d.example! })}`),
  };
}

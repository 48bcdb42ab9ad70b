/**
 * The comment-resolution matrix: every thread of a document in document order (orphans
 * — threads whose passage is gone — at the end), one row each: section, quoted passage,
 * the comment and its replies (author, country, date, text), status, who resolved it and
 * when. As CSV (formula-safe, through toCsv) or as a landscape DOCX table.
 */
import { AlignmentType, BorderStyle, Document, Footer, Packer, PageNumber, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableLayoutType, TableRow, TextRun, WidthType } from 'docx';
import { toCsv, type CsvCell } from '../csv.js';
import { FONT } from './docx.js';
import { longDate, personLabel, versionLabel, type ExportMeta, type ExportThread } from './model.js';

const commentLine = (comment: ExportThread['comments'][number]) =>
  `${personLabel(comment.author)}, ${comment.createdAt.slice(0, 10)}: ${comment.deleted ? '(comment deleted)' : comment.body}`;

export const MATRIX_COLUMNS = ['No.', 'Section', 'Quoted passage', 'Comment by', 'Country', 'Date', 'Comment', 'Replies', 'Status', 'Resolved by', 'Resolved on'] as const;

export function matrixRows(threads: readonly ExportThread[]): CsvCell[][] {
  return threads.map((thread, index) => {
    const [first, ...replies] = thread.comments;
    return [
      index + 1,
      thread.sectionTitle ?? '',
      (thread.range ? '' : '[passage no longer in the document] ') + thread.quote,
      first?.author.name ?? '',
      first?.author.country ?? '',
      first?.createdAt.slice(0, 10) ?? '',
      first ? (first.deleted ? '(comment deleted)' : first.body) : '',
      replies.map(commentLine).join('\n'),
      thread.resolvedAt ? 'resolved' : 'open',
      thread.resolvedBy ? personLabel(thread.resolvedBy) : '',
      thread.resolvedAt?.slice(0, 10) ?? '',
    ];
  });
}

export function renderMatrixCsv(threads: readonly ExportThread[]): string {
  return toCsv([[...MATRIX_COLUMNS], ...matrixRows(threads)]);
}

/** A4 landscape, 2 cm margins. */
const PAGE = { width: 16838, height: 11906, margin: 1134 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;

export async function renderMatrixDocx(meta: ExportMeta, threads: readonly ExportThread[]): Promise<Buffer> {
  const headers = ['No.', 'Section', 'Quoted passage', 'Comment', 'Replies', 'Status', 'Resolved'];
  const weights = [4, 13, 20, 24, 23, 7, 9];
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((TEXT_WIDTH * w) / total));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '9AA5B1' };
  const cellText = (text: string, options: { bold?: boolean; italics?: boolean; color?: string } = {}) =>
    (text === '' ? [''] : text.split('\n')).map((line) => new Paragraph({ spacing: { after: 40, line: 240 }, children: [new TextRun({ text: line, size: 17, ...options })] }));
  const cell = (width: number, children: Paragraph[], header = false) =>
    new TableCell({
      width: { size: width, type: WidthType.DXA },
      margins: { top: 50, bottom: 50, left: 80, right: 80 },
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E3E9F4', color: 'auto' } } : {}),
      children,
    });
  const rows = threads.map((thread, index) => {
    const [first, ...replies] = thread.comments;
    const comment = first
      ? [new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: `${personLabel(first.author)}, ${first.createdAt.slice(0, 10)}`, bold: true, size: 17 })] }), ...cellText(first.deleted ? '(comment deleted)' : first.body)]
      : cellText('');
    const replyParagraphs = replies.flatMap((reply) => [
      new Paragraph({ spacing: { after: 0 }, children: [new TextRun({ text: `${personLabel(reply.author)}, ${reply.createdAt.slice(0, 10)}`, bold: true, size: 17 })] }),
      ...cellText(reply.deleted ? '(comment deleted)' : reply.body),
    ]);
    return new TableRow({
      cantSplit: false,
      children: [
        cell(widths[0]!, cellText(String(index + 1))),
        cell(widths[1]!, cellText(thread.sectionTitle ?? '')),
        cell(widths[2]!, [...(thread.range ? [] : cellText('Passage no longer in the document:', { italics: true, color: 'B00020' })), ...cellText(thread.quote, { italics: true })]),
        cell(widths[3]!, comment),
        cell(widths[4]!, replyParagraphs.length > 0 ? replyParagraphs : cellText('')),
        cell(widths[5]!, cellText(thread.resolvedAt ? 'Resolved' : 'Open', { bold: true, color: thread.resolvedAt ? '1E7B34' : 'B00020' })),
        cell(widths[6]!, cellText(thread.resolvedAt ? `${thread.resolvedBy ? personLabel(thread.resolvedBy) : ''}\n${thread.resolvedAt.slice(0, 10)}` : '')),
      ],
    });
  });
  const document = new Document({
    creator: 'JANE Workspace',
    title: `Comment-resolution matrix: ${meta.documentTitle}`,
    styles: { default: { document: { run: { font: FONT, size: 20 }, paragraph: { spacing: { after: 100 } } } } },
    sections: [
      {
        properties: {
          page: { size: { width: PAGE.height, height: PAGE.width, orientation: PageOrientation.LANDSCAPE }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } },
        },
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], size: 16, color: '5A6270' })] })] }),
        },
        children: [
          new Paragraph({ children: [new TextRun({ text: meta.workspaceTitle, bold: true, color: '003399', size: 22 })] }),
          new Paragraph({ children: [new TextRun({ text: `Comment-resolution matrix: ${meta.documentTitle}`, bold: true, size: 32 })] }),
          new Paragraph({
            spacing: { after: 240 },
            children: [new TextRun({ text: `${versionLabel(meta)} · ${longDate(meta.date)} · ${threads.length} thread${threads.length === 1 ? '' : 's'}, ${threads.filter((t) => !t.resolvedAt).length} open`, color: '5A6270' })],
          }),
          new Table({
            width: { size: TEXT_WIDTH, type: WidthType.DXA },
            columnWidths: widths,
            layout: TableLayoutType.FIXED,
            borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
            rows: [new TableRow({ tableHeader: true, cantSplit: true, children: headers.map((h, i) => cell(widths[i]!, cellText(h, { bold: true }), true)) }), ...rows],
          }),
          ...(threads.length === 0 ? [new Paragraph({ spacing: { before: 200 }, children: [new TextRun({ text: 'No comments on this document.', italics: true })] })] : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}


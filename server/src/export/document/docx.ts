/**
 * DOCX export with the `docx` library, laid out as an EU deliverable: a title page
 * (workspace, title, version, date, "Draft"), Word's own Heading 1–4 styles (the
 * navigation pane and a table of contents work), real Word numbering for lists (one
 * list per instance, nesting as levels), tables with a repeated header row, hyperlinks
 * (safe targets only), character formatting, a quote style, monospace code, page numbers
 * in the footer; optionally each section's status and owner, and open comment threads
 * as Word comments on their passages.
 */
import {
  AlignmentType,
  BorderStyle,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  ExternalHyperlink,
  Footer,
  Header,
  HeadingLevel,
  LevelFormat,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  WidthType,
  type ICommentOptions,
  type ILevelsOptions,
  type INumberingOptions,
  type ParagraphChild,
} from 'docx';
import { isSafeHref } from '@jane/shared';
import {
  isText,
  intAttr,
  levelOf,
  longDate,
  markOf,
  personLabel,
  plainText,
  statusLine,
  versionLabel,
  type ContentBlock,
  type ContentNode,
  type ContentText,
  type ExportInput,
  type ExportThread,
} from './model.js';

export const FONT = 'Arial';
export const MONO = 'Courier New';
const BLUE = '003399';
const GREY = '5A6270';
/** A4 with 2.5 cm margins: the text is 16 cm wide. */
const PAGE = { width: 11906, height: 16838, margin: 1418 };
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;

/* ---------------------------------------------------------------- numbering */

const BULLETS = ['\u2022', '\u25e6', '\u25aa'];
const levelIndent = (level: number) => ({ left: 567 * (level + 1), hanging: 340 });

function listLevels(kind: 'bullet' | 'ordered', start: number): ILevelsOptions[] {
  return Array.from({ length: 9 }, (_, level) =>
    kind === 'bullet'
      ? { level, format: LevelFormat.BULLET, text: BULLETS[level % 3]!, alignment: AlignmentType.LEFT, style: { paragraph: { indent: levelIndent(level) } } }
      : { level, format: LevelFormat.DECIMAL, text: `%${level + 1}.`, start: level === 0 ? start : 1, alignment: AlignmentType.LEFT, style: { paragraph: { indent: levelIndent(level) } } },
  );
}

/* ---------------------------------------------------------------- comments */

interface Markers {
  starts: Map<number, number[]>;
  ends: Map<number, number[]>;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase())
    .join('')
    .slice(0, 4);
}

function commentOf(thread: ExportThread, id: number): ICommentOptions {
  const [first, ...replies] = thread.comments;
  const text = (comment: ExportThread['comments'][number]) => (comment.deleted ? '(comment deleted)' : comment.body);
  const paragraphs = (body: string, prefix?: string) =>
    body.split('\n').map((line, i) => new Paragraph({ children: [...(prefix && i === 0 ? [new TextRun({ text: prefix, bold: true })] : []), new TextRun(line)] }));
  return {
    id,
    author: first ? personLabel(first.author) : 'Unknown',
    initials: first ? initials(first.author.name) : '?',
    date: first ? new Date(first.createdAt) : new Date(),
    children: [
      ...(first ? paragraphs(text(first)) : []),
      ...replies.flatMap((reply) => paragraphs(text(reply), `${personLabel(reply.author)}, ${longDate(new Date(reply.createdAt))}: `)),
    ],
  };
}

/* ---------------------------------------------------------------- writer */

class DocxWriter {
  private offset = 0;
  private orderedInstances = 0;
  private readonly starts = new Set<number>();
  readonly numbering: INumberingOptions['config'][number][] = [{ reference: 'jane-bullets', levels: listLevels('bullet', 1) }];

  constructor(
    private readonly input: ExportInput,
    private readonly markers: Markers,
  ) {}

  private numberedReference(start: number): string {
    const reference = `jane-numbers-${start}`;
    if (!this.starts.has(start)) {
      this.starts.add(start);
      this.numbering.push({ reference, levels: listLevels('ordered', start) });
    }
    return reference;
  }

  /** Comment markers at `at`: ends first (a passage that ends where the next starts), then starts. */
  private markersAt(at: number, which: 'starts' | 'ends'): ParagraphChild[] {
    const ids = this.markers[which].get(at);
    if (!ids) return [];
    this.markers[which].delete(at);
    return ids.flatMap((id): ParagraphChild[] => (which === 'starts' ? [new CommentRangeStart(id)] : [new CommentRangeEnd(id), new TextRun({ children: [new CommentReference(id)] })]));
  }

  private run(node: ContentText, text: string, extra: { mono?: boolean } = {}): TextRun {
    const href = markOf(node, 'link')?.attrs?.href;
    const code = Boolean(markOf(node, 'code')) || extra.mono;
    return new TextRun({
      text,
      bold: Boolean(markOf(node, 'bold')) || undefined,
      italics: Boolean(markOf(node, 'italic')) || undefined,
      strike: Boolean(markOf(node, 'strike')) || undefined,
      underline: markOf(node, 'underline') ? {} : undefined,
      ...(code ? { font: MONO, size: 19, shading: extra.mono ? undefined : { type: ShadingType.CLEAR, fill: 'EEF0F3', color: 'auto' } } : {}),
      ...(isSafeHref(href) ? { style: 'Hyperlink' } : code && !extra.mono ? { style: 'VerbatimChar' } : {}),
    });
  }

  /** The runs of a textblock's inline content, split where comments start and end, links grouped. */
  inline(nodes: ContentNode[], options: { mono?: boolean } = {}): ParagraphChild[] {
    const items: ({ child: ParagraphChild; href: string | null } | { marker: ParagraphChild })[] = [];
    const markers = (at: number, which: 'starts' | 'ends') => this.markersAt(at, which).forEach((marker) => items.push({ marker }));
    for (const node of nodes) {
      if (!isText(node)) {
        if (node.type === 'hardBreak') items.push({ child: new TextRun({ break: 1 }), href: null });
        continue;
      }
      const href = markOf(node, 'link')?.attrs?.href;
      const safe = isSafeHref(href) ? href.trim() : null;
      const from = this.offset;
      const to = from + node.text.length;
      // Cut points inside this text: where any comment starts or ends.
      const cuts = new Set<number>([from, to]);
      for (const map of [this.markers.starts, this.markers.ends]) for (const at of map.keys()) if (at > from && at < to) cuts.add(at);
      const points = [...cuts].sort((a, b) => a - b);
      for (let i = 0; i < points.length - 1; i++) {
        const a = points[i]!;
        const b = points[i + 1]!;
        if (a > from) markers(a, 'ends');
        markers(a, 'starts');
        const lines = node.text.slice(a - from, b - from).split('\n');
        lines.forEach((line, j) => {
          if (j > 0) items.push({ child: new TextRun({ break: 1 }), href: null });
          if (line) items.push({ child: this.run(node, line, options), href: safe });
        });
      }
      this.offset = to;
      markers(to, 'ends');
    }
    // Group runs with the same safe target into one hyperlink.
    const children: ParagraphChild[] = [];
    let index = 0;
    while (index < items.length) {
      const item = items[index]!;
      if ('marker' in item || !item.href) {
        children.push('marker' in item ? item.marker : item.child);
        index++;
        continue;
      }
      const group: ParagraphChild[] = [];
      while (index < items.length) {
        const next = items[index]!;
        if ('marker' in next || next.href !== item.href) break;
        group.push(next.child);
        index++;
      }
      children.push(new ExternalHyperlink({ link: item.href, children: group as never }));
    }
    return children;
  }

  /** Comment markers before a block's text (a thread starting on an empty block). */
  private leading(): ParagraphChild[] {
    return this.markersAt(this.offset, 'starts');
  }

  blocks(nodes: ContentNode[], context: { list?: { reference: string; level: number; instance?: number }; quote?: boolean; inCell?: 'header' | 'body' } = {}): (Paragraph | Table)[] {
    const out: (Paragraph | Table)[] = [];
    for (const node of nodes) {
      if (isText(node)) continue;
      out.push(...this.block(node, context));
    }
    return out;
  }

  private paragraph(node: ContentBlock, context: Parameters<DocxWriter['blocks']>[1] = {}, firstInItem = true): Paragraph {
    const children = [...this.leading(), ...this.inline(node.content ?? [])];
    if (context.list) {
      return new Paragraph({
        children,
        ...(firstInItem ? { numbering: { reference: context.list.reference, level: context.list.level, ...(context.list.instance !== undefined ? { instance: context.list.instance } : {}) } } : { indent: levelIndent(context.list.level) }),
        spacing: { after: 60 },
        style: context.quote ? 'Quote' : undefined,
      });
    }
    return new Paragraph({ children, style: context.quote ? 'Quote' : context.inCell === 'header' ? 'TableHeading' : context.inCell ? 'TableText' : undefined });
  }

  private block(node: ContentBlock, context: Parameters<DocxWriter['blocks']>[1] = {}): (Paragraph | Table)[] {
    switch (node.type) {
      case 'heading': {
        const level = levelOf(node);
        const heading = new Paragraph({ heading: HEADINGS[level - 1], children: [...this.leading(), ...this.inline(node.content ?? [])] });
        const id = node.attrs?.sectionId;
        const info = typeof id === 'string' ? this.input.sections.get(id) : undefined;
        if (!this.input.options.status || !info) return [heading];
        return [heading, new Paragraph({ style: 'SectionStatus', children: [new TextRun(statusLine(info))] })];
      }
      case 'paragraph':
        return [this.paragraph(node, context)];
      case 'bulletList':
      case 'orderedList': {
        const ordered = node.type === 'orderedList';
        const level = context.list ? Math.min(8, context.list.level + 1) : 0;
        const list = ordered
          ? { reference: this.numberedReference(intAttr(node, 'start', 1, 999_999)), level, instance: ++this.orderedInstances }
          : { reference: 'jane-bullets', level };
        const out: (Paragraph | Table)[] = [];
        for (const item of node.content ?? []) {
          if (isText(item)) continue;
          let first = true;
          for (const child of item.type === 'listItem' ? item.content ?? [] : [item]) {
            if (isText(child)) continue;
            if (child.type === 'paragraph') {
              out.push(this.paragraph(child, { ...context, list }, first));
              first = false;
            } else {
              out.push(...this.block(child, { ...context, list }));
            }
          }
        }
        return out;
      }
      case 'listItem':
        return this.blocks(node.content ?? [], context);
      case 'blockquote':
        return this.blocks(node.content ?? [], { ...context, quote: true });
      case 'codeBlock': {
        const children = [...this.leading(), ...this.inline(node.content ?? [], { mono: true })];
        return [new Paragraph({ style: 'SourceCode', children })];
      }
      case 'horizontalRule':
        return [new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '9AA5B1', space: 1 } }, spacing: { after: 240 }, children: [] })];
      case 'table':
        return [this.table(node), new Paragraph({ spacing: { after: 0 }, children: [] })];
      default:
        return this.blocks(node.content ?? [], context);
    }
  }

  private table(node: ContentBlock): Table {
    const rows = (node.content ?? []).filter((row): row is ContentBlock => !isText(row) && row.type === 'tableRow');
    const cellsOf = (row: ContentBlock) => (row.content ?? []).filter((cell): cell is ContentBlock => !isText(cell));
    const columns = Math.max(1, ...rows.map((row) => cellsOf(row).reduce((sum, cell) => sum + intAttr(cell, 'colspan', 1, 63), 0)));
    // Columns as wide as their longest text suggests (within limits), filling the text width.
    const weights = Array<number>(columns).fill(10);
    for (const row of rows) {
      let column = 0;
      for (const cell of cellsOf(row)) {
        const span = intAttr(cell, 'colspan', 1, 63);
        if (span === 1 && column < columns) weights[column] = Math.max(weights[column]!, Math.min(40, plainText(cell).length + 3));
        column += span;
      }
    }
    const total = weights.reduce((a, b) => a + b, 0);
    const widths = weights.map((weight) => Math.floor((TEXT_WIDTH * weight) / total));
    const border = { style: BorderStyle.SINGLE, size: 4, color: '9AA5B1' };
    return new Table({
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      rows: rows.map((row, index) => {
        const header = cellsOf(row).length > 0 && cellsOf(row).every((cell) => cell.type === 'tableHeader');
        return new TableRow({
          tableHeader: header && index === 0 ? true : undefined,
          cantSplit: true,
          children: cellsOf(row).map((cell, cellIndex, cells) => {
            const first = cells.slice(0, cellIndex).reduce((sum, c) => sum + intAttr(c, 'colspan', 1, 63), 0);
            const colspan = intAttr(cell, 'colspan', 1, 63);
            const rowspan = intAttr(cell, 'rowspan', 1, 1000);
            const isHeader = cell.type === 'tableHeader';
            const content = this.blocks(cell.content ?? [], { inCell: isHeader ? 'header' : 'body' });
            return new TableCell({
              width: { size: widths.slice(first, first + colspan).reduce((a, b) => a + b, 0) || widths[0]!, type: WidthType.DXA },
              ...(colspan > 1 ? { columnSpan: colspan } : {}),
              ...(rowspan > 1 ? { rowSpan: rowspan } : {}),
              ...(isHeader ? { shading: { type: ShadingType.CLEAR, fill: 'E3E9F4', color: 'auto' } } : {}),
              margins: { top: 60, bottom: 60, left: 100, right: 100 },
              children: content.length > 0 ? content : [new Paragraph({ style: 'TableText', children: [] })],
            });
          }),
        });
      }),
    });
  }

  /** Markers of passages past the last text (should not happen): closed at the end. */
  leftovers(): Paragraph | null {
    const rest: ParagraphChild[] = [];
    for (const at of [...this.markers.starts.keys()]) rest.push(...this.markersAt(at, 'starts'));
    for (const at of [...this.markers.ends.keys()]) rest.push(...this.markersAt(at, 'ends'));
    return rest.length > 0 ? new Paragraph({ children: rest }) : null;
  }
}

function titlePage(input: ExportInput): Paragraph[] {
  const { meta } = input;
  return [
    new Paragraph({ spacing: { before: 2400, after: 120 }, children: [new TextRun({ text: meta.workspaceTitle, color: BLUE, bold: true, size: 28 })] }),
    new Paragraph({
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: BLUE, space: 8 } },
      spacing: { after: 480 },
      children: [],
    }),
    new Paragraph({ style: 'Title', children: [new TextRun(meta.documentTitle)] }),
    new Paragraph({ spacing: { before: 480, after: 60 }, children: [new TextRun({ text: versionLabel(meta), size: 26 })] }),
    new Paragraph({ spacing: { after: 480 }, children: [new TextRun({ text: longDate(meta.date), size: 26, color: GREY })] }),
    new Paragraph({
      children: [new TextRun({ text: 'DRAFT', bold: true, color: 'B00020', size: 28, characterSpacing: 60 })],
    }),
    new Paragraph({
      spacing: { before: 120 },
      children: [new TextRun({ text: 'Working document of the network. Not an official position of the European Commission.', italics: true, color: GREY, size: 18 })],
    }),
    new Paragraph({ children: [new PageBreak()] }),
  ];
}

/** Offsets where each open thread's comment starts and ends, and the comments. */
function commentMarkers(input: ExportInput): { markers: Markers; comments: ICommentOptions[] } {
  const markers: Markers = { starts: new Map(), ends: new Map() };
  const comments: ICommentOptions[] = [];
  if (!input.options.comments) return { markers, comments };
  input.threads.forEach((thread) => {
    if (!thread.range || thread.resolvedAt) return;
    const id = comments.length;
    comments.push(commentOf(thread, id));
    const push = (map: Map<number, number[]>, at: number) => map.set(at, [...(map.get(at) ?? []), id]);
    push(markers.starts, thread.range.start);
    push(markers.ends, thread.range.end);
  });
  return { markers, comments };
}

export async function renderDocx(input: ExportInput): Promise<Buffer> {
  const { meta } = input;
  const { markers, comments } = commentMarkers(input);
  const writer = new DocxWriter(input, markers);
  const body = writer.blocks(input.blocks);
  const leftovers = writer.leftovers();
  if (leftovers) body.push(leftovers);
  const small = { size: 16, color: GREY };
  const document = new Document({
    creator: 'JANE Workspace',
    title: meta.documentTitle,
    subject: meta.workspaceTitle,
    description: `${versionLabel(meta)}, ${longDate(meta.date)}`,
    ...(comments.length > 0 ? { comments: { children: comments } } : {}),
    numbering: { config: writer.numbering },
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 }, paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } } },
        title: { run: { font: FONT, size: 52, bold: true, color: '1B1F24' }, paragraph: { spacing: { after: 120, line: 252, lineRule: LineRuleType.AUTO } } },
        heading1: { run: { font: FONT, size: 32, bold: true, color: BLUE }, paragraph: { spacing: { before: 360, after: 120 }, keepNext: true, keepLines: true, outlineLevel: 0 } },
        heading2: { run: { font: FONT, size: 26, bold: true, color: BLUE }, paragraph: { spacing: { before: 300, after: 100 }, keepNext: true, keepLines: true, outlineLevel: 1 } },
        heading3: { run: { font: FONT, size: 23, bold: true, color: '1B1F24' }, paragraph: { spacing: { before: 240, after: 80 }, keepNext: true, keepLines: true, outlineLevel: 2 } },
        heading4: { run: { font: FONT, size: 21, bold: true, italics: true, color: '1B1F24' }, paragraph: { spacing: { before: 200, after: 60 }, keepNext: true, keepLines: true, outlineLevel: 3 } },
        hyperlink: { run: { color: '0645AD', underline: {} } },
      },
      paragraphStyles: [
        { id: 'Quote', name: 'Quote', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true, color: '39414D' }, paragraph: { indent: { left: 567, right: 567 }, border: { left: { style: BorderStyle.SINGLE, size: 18, color: '9AA5B1', space: 8 } } } },
        { id: 'SourceCode', name: 'Source Code', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: MONO, size: 19 }, paragraph: { spacing: { after: 160, line: 240, lineRule: LineRuleType.AUTO }, shading: { type: ShadingType.CLEAR, fill: 'F3F5F8', color: 'auto' }, indent: { left: 113, right: 113 } } },
        { id: 'SectionStatus', name: 'Section status', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { italics: true, size: 18, color: GREY }, paragraph: { spacing: { after: 120 }, keepNext: true } },
        { id: 'TableText', name: 'Table text', basedOn: 'Normal', next: 'TableText', quickFormat: true, run: { size: 19 }, paragraph: { spacing: { before: 0, after: 0, line: 252, lineRule: LineRuleType.AUTO } } },
        { id: 'TableHeading', name: 'Table heading', basedOn: 'TableText', next: 'TableText', quickFormat: true, run: { bold: true }, paragraph: { keepNext: true } },
      ],
      // The names pandoc and Word know code by.
      characterStyles: [{ id: 'VerbatimChar', name: 'Verbatim Char', run: { font: MONO, size: 19 } }],
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin, header: 709, footer: 709 } },
        },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
                border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: 'C8CED6', space: 4 } },
                children: [new TextRun({ text: meta.workspaceTitle, ...small }), new TextRun({ text: `\t${meta.documentTitle}`, ...small })],
              }),
            ],
          }),
        },
        footers: {
          first: new Footer({ children: [new Paragraph({ children: [] })] }),
          default: new Footer({
            children: [
              new Paragraph({
                tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
                children: [
                  new TextRun({ text: `Draft · ${versionLabel(meta)} · ${longDate(meta.date)}`, ...small }),
                  new TextRun({ children: ['\tPage ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], ...small }),
                ],
              }),
            ],
          }),
        },
        children: [...titlePage(input), ...body],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/**
 * The element tree (tree.ts) → the editor's content (ProseMirror JSON, @jane/shared/content)
 * with exactly the editor schema's node and mark names, plus the report of what was kept
 * and what was dropped. Whatever the schema cannot hold is fitted to it, never passed
 * through: headings deeper than 4 become 4, headings inside lists, quotes and tables become
 * bold paragraphs (a section is a top-level heading), a list item starts with a paragraph,
 * a cell holds at least one, code holds plain text, and a link survives only when its
 * target is safe (else its text stays, without the link).
 */
import { isSafeHref, newSectionId, SECTION_ID_ATTRIBUTE, type ImportDropped, type ImportKept, type ImportReport } from '@jane/shared';
import type { ContentBlock, ContentMark, ContentNode, ContentText } from '@jane/shared/content';
import { IMPORT_LIMITS, refusals } from './limits.js';
import { DROPPED_TAG, type DroppedKind, type TreeElement, type TreeNode } from './tree.js';

export interface Converted {
  blocks: ContentBlock[];
  report: ImportReport;
  /** The text of the first section heading (a title to suggest), if any. */
  firstHeading: string | null;
}

type Where = 'top' | 'list' | 'quote' | 'cell';

const INLINE_TAGS = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'br', 'cite', 'code', 'del', 'dfn', 'em', 'font', 'i', 'img', 'input', 'ins', 'kbd', 'label', 'mark', 'q',
  's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', DROPPED_TAG,
]);

const MARK_OF: Record<string, string> = { strong: 'bold', b: 'bold', em: 'italic', i: 'italic', cite: 'italic', s: 'strike', del: 'strike', strike: 'strike', u: 'underline', ins: 'underline', code: 'code', kbd: 'code', samp: 'code', tt: 'code' };

const HEADING = /^h([1-6])$/;
const SKIPPED_TAGS = new Set(['script', 'style', 'template', 'head', 'title', 'meta', 'link', 'colgroup', 'col', 'caption']);

/** Text as a paragraph holds it: line breaks become spaces, control characters go. */
const cleanText = (value: string) => value.replace(/\r\n?|\n/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

const EXAMPLE_CHARS = 60;
const shorten = (value: string) => (value.length > EXAMPLE_CHARS ? `${value.slice(0, EXAMPLE_CHARS - 1)}…` : value);

/** Fits a set of marks to the schema: one of each type (the innermost wins), and `code` alone (it excludes every other mark; a link is kept over it). */
function fitMarks(marks: ContentMark[]): ContentMark[] {
  const byType = new Map<string, ContentMark>();
  for (const mark of marks) byType.set(mark.type, mark);
  if (byType.has('code') && byType.size > 1) {
    if (byType.has('link')) byType.delete('code');
    else return [byType.get('code')!];
  }
  return [...byType.values()];
}

function textOf(node: TreeNode): string {
  if (node.kind === 'text') return node.text;
  if (node.tag === DROPPED_TAG || SKIPPED_TAGS.has(node.tag)) return '';
  if (node.tag === 'br') return '\n';
  return node.children.map(textOf).join('');
}

const plainText = (nodes: ContentNode[]) => nodes.map((n) => (n.type === 'text' ? (n as ContentText).text : '')).join('');
const hasText = (nodes: ContentNode[]) => nodes.some((n) => n.type === 'text' && (n as ContentText).text.trim() !== '');

function positiveInt(value: string | undefined, fallback: number, max: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
}

export class ContentConverter {
  private readonly kept: ImportKept = { headings: 0, paragraphs: 0, lists: 0, tables: 0, links: 0 };
  private readonly dropped = new Map<DroppedKind, ImportDropped>();
  private readonly notes = new Set<string>();
  private blockCount = 0;
  private cellCount = 0;
  private characters = 0;
  private firstHeading: string | null = null;

  constructor(private readonly options: { countImages: boolean } = { countImages: true }) {}

  /** Records something the document will not hold. */
  drop(what: DroppedKind, example?: string, count = 1): void {
    if (count <= 0) return;
    const entry = this.dropped.get(what) ?? { what, count: 0 };
    entry.count += count;
    if (entry.example === undefined && example) entry.example = shorten(example);
    this.dropped.set(what, entry);
  }

  note(message: string): void {
    if (this.notes.size < 10) this.notes.add(message);
  }

  convert(nodes: TreeNode[]): Converted {
    const blocks = this.blocks(nodes, 'top', 0, false);
    if (blocks.length === 0 || this.characters === 0) throw refusals.empty();
    const order: DroppedKind[] = ['image', 'footnote', 'comment', 'unsupported'];
    return {
      blocks,
      report: { kept: { ...this.kept }, dropped: order.flatMap((what) => (this.dropped.has(what) ? [{ ...this.dropped.get(what)! }] : [])), notes: [...this.notes] },
      firstHeading: this.firstHeading,
    };
  }

  private countBlock(inTable: boolean): void {
    if (inTable) return;
    if (++this.blockCount > IMPORT_LIMITS.blocks) throw refusals.tooManyBlocks();
  }

  /** Block content: loose inline content between blocks becomes a paragraph. */
  private blocks(nodes: TreeNode[], where: Where, depth: number, inTable: boolean, inList = false): ContentBlock[] {
    if (depth > IMPORT_LIMITS.depth) throw refusals.tooDeep();
    const out: ContentBlock[] = [];
    let pending: TreeNode[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const content = this.inlines(pending, []);
      pending = [];
      if (hasText(content)) out.push(this.paragraph(content, inTable, inList));
    };
    for (const node of nodes) {
      if (node.kind === 'text' || INLINE_TAGS.has(node.tag)) {
        pending.push(node);
        continue;
      }
      flush();
      out.push(...this.block(node, where, depth, inTable, inList));
    }
    flush();
    return out;
  }

  /** A paragraph; body text (not in a list or table) is what the report counts. */
  private paragraph(content: ContentNode[], inTable: boolean, inList: boolean): ContentBlock {
    this.countBlock(inTable);
    if (!inTable && !inList) this.kept.paragraphs++;
    return { type: 'paragraph', content };
  }

  private block(node: TreeElement, where: Where, depth: number, inTable: boolean, inList: boolean): ContentBlock[] {
    const tag = node.tag;
    const heading = HEADING.exec(tag);
    if (heading) {
      if (where !== 'top') {
        // Only a top-level heading starts a section: elsewhere it stays as bold text.
        const bold = this.inlines(node.children, [{ type: 'bold' }]);
        return hasText(bold) ? [this.paragraph(bold, inTable, inList)] : [];
      }
      const content = this.inlines(node.children, []);
      if (!hasText(content)) return [];
      this.countBlock(false);
      this.kept.headings++;
      this.firstHeading ??= plainText(content).trim();
      return [{ type: 'heading', attrs: { level: Math.min(Number(heading[1]), 4), [SECTION_ID_ATTRIBUTE]: newSectionId() }, content }];
    }
    switch (tag) {
      case 'p': {
        const content = this.inlines(node.children, []);
        return hasText(content) ? [this.paragraph(content, inTable, inList)] : [];
      }
      case 'ul':
      case 'ol':
        return this.list(node, depth, inTable, inList);
      case 'blockquote': {
        const content = this.blocks(node.children, 'quote', depth + 1, inTable, inList);
        if (content.length === 0) return [];
        this.countBlock(inTable);
        return [{ type: 'blockquote', content }];
      }
      case 'pre': {
        const code = textOf(node).replace(/\r\n?/g, '\n').replace(/\n$/, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
        this.countText(code);
        this.countBlock(inTable);
        const language = node.attrs['data-language'] || /(?:^|\s)language-(\S+)/.exec(node.children.find((c): c is TreeElement => c.kind === 'element')?.attrs.class ?? '')?.[1];
        return [{ type: 'codeBlock', attrs: { language: language ? shorten(language) : null }, content: code ? [{ type: 'text', text: code }] : [] }];
      }
      case 'hr':
        this.countBlock(inTable);
        return [{ type: 'horizontalRule' }];
      case 'table':
        return this.table(node, depth, inTable);
      default:
        if (SKIPPED_TAGS.has(tag)) return [];
        // Containers (div, section, a stray li, thead…): their content, in place.
        return this.blocks(node.children, where, depth + 1, inTable, inList);
    }
  }

  private list(node: TreeElement, depth: number, inTable: boolean, inList: boolean): ContentBlock[] {
    const items: ContentBlock[] = [];
    let loose: TreeNode[] = [];
    const addItem = (children: TreeNode[]) => {
      const content = this.blocks(children, 'list', depth + 1, inTable, true);
      if (content.length === 0) return;
      if (content[0]!.type !== 'paragraph') content.unshift({ type: 'paragraph', content: [] });
      this.countBlock(inTable);
      items.push({ type: 'listItem', content });
    };
    for (const child of node.children) {
      if (child.kind === 'element' && child.tag === 'li') {
        if (loose.length > 0) addItem(loose);
        loose = [];
        addItem(child.children);
      } else if (child.kind === 'element' && (child.tag === 'ul' || child.tag === 'ol') && items.length > 0) {
        // A list directly inside a list (some writers put it there): it belongs to the item before it.
        const last = items[items.length - 1]!;
        last.content!.push(...this.list(child, depth + 1, inTable, true));
      } else if (child.kind === 'element' || child.text.trim() !== '') {
        loose.push(child);
      }
    }
    if (loose.length > 0) addItem(loose);
    if (items.length === 0) return [];
    this.countBlock(inTable);
    if (!inList && !inTable) this.kept.lists++;
    if (node.tag === 'ol') return [{ type: 'orderedList', attrs: { start: positiveInt(node.attrs.start, 1, 1_000_000) }, content: items }];
    return [{ type: 'bulletList', content: items }];
  }

  private table(node: TreeElement, depth: number, inTable: boolean): ContentBlock[] {
    const rows: TreeElement[] = [];
    const collect = (parent: TreeElement) => {
      for (const child of parent.children) {
        if (child.kind !== 'element') continue;
        if (child.tag === 'tr') rows.push(child);
        else if (child.tag === 'thead' || child.tag === 'tbody' || child.tag === 'tfoot') collect(child);
      }
    };
    collect(node);
    if (rows.length > IMPORT_LIMITS.tableRows) throw refusals.tableTooLong();
    const outRows: ContentBlock[] = [];
    let width = 0;
    let spansRows = false;
    for (const row of rows) {
      const cells: ContentBlock[] = [];
      let rowWidth = 0;
      for (const cell of row.children) {
        if (cell.kind !== 'element' || (cell.tag !== 'td' && cell.tag !== 'th')) continue;
        const colspan = positiveInt(cell.attrs.colspan, 1, IMPORT_LIMITS.tableColumns);
        const rowspan = positiveInt(cell.attrs.rowspan, 1, IMPORT_LIMITS.tableRows);
        if (rowspan > 1) spansRows = true;
        rowWidth += colspan;
        if (rowWidth > IMPORT_LIMITS.tableColumns) throw refusals.tableTooWide();
        if (++this.cellCount > IMPORT_LIMITS.tableCells) throw refusals.tooManyCells();
        const content = this.blocks(cell.children, 'cell', depth + 1, true);
        cells.push({
          type: cell.tag === 'th' ? 'tableHeader' : 'tableCell',
          attrs: { colspan, rowspan },
          content: content.length > 0 ? content : [{ type: 'paragraph', content: [] }],
        });
      }
      if (cells.length === 0) continue;
      width = Math.max(width, rowWidth);
      outRows.push({ type: 'tableRow', content: cells });
    }
    if (outRows.length === 0) return [];
    // Rows of different widths are filled up with empty cells (when no cell spans rows, which would make the count wrong).
    if (!spansRows) {
      for (const row of outRows) {
        const rowWidth = row.content!.reduce((sum, cell) => sum + Number((cell as ContentBlock).attrs!.colspan), 0);
        for (let i = rowWidth; i < width; i++) row.content!.push({ type: 'tableCell', attrs: { colspan: 1, rowspan: 1 }, content: [{ type: 'paragraph', content: [] }] });
      }
    }
    this.countBlock(inTable);
    if (!inTable) this.kept.tables++;
    return [{ type: 'table', content: outRows }];
  }

  private countText(value: string): void {
    this.characters += value.length;
    if (this.characters > IMPORT_LIMITS.characters) throw refusals.tooMuchText();
  }

  /** Inline content with the marks around it. */
  private inlines(nodes: TreeNode[], marks: ContentMark[]): ContentNode[] {
    const out: ContentNode[] = [];
    for (const node of nodes) {
      if (node.kind === 'text') {
        const value = cleanText(node.text);
        if (value === '') continue;
        this.countText(value);
        const fitted = fitMarks(marks);
        out.push(fitted.length > 0 ? { type: 'text', text: value, marks: fitted } : { type: 'text', text: value });
        continue;
      }
      const tag = node.tag;
      if (tag === DROPPED_TAG) {
        this.drop(node.attrs.what as DroppedKind, node.attrs.example);
      } else if (tag === 'br') {
        out.push({ type: 'hardBreak' });
      } else if (tag === 'img') {
        if (this.options.countImages) this.drop('image', node.attrs.alt || node.attrs.src);
      } else if (tag === 'input' || tag === 'wbr' || SKIPPED_TAGS.has(tag)) {
        // a checkbox, a break opportunity, a script: nothing to keep
      } else if (tag === 'a') {
        const target = (node.attrs.href ?? '').trim();
        const safe = isSafeHref(target as unknown);
        if (safe) {
          const content = this.inlines(node.children, [...marks, { type: 'link', attrs: { href: target } }]);
          if (hasText(content)) this.kept.links++;
          out.push(...content);
        } else {
          // An anchor inside the file (#…) is just text here; any other target is not safe to keep.
          if (target !== '' && !target.startsWith('#')) this.drop('unsupported', `link to ${target}`);
          out.push(...this.inlines(node.children, marks));
        }
      } else {
        const mark = MARK_OF[tag];
        out.push(...this.inlines(node.children, mark ? [...marks, { type: mark }] : marks));
      }
    }
    return out;
  }
}

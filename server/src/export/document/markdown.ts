/**
 * Markdown export (CommonMark with GFM tables and strikethrough): ATX headings, `-` and
 * `1.` lists nested by indentation, GFM tables, `**` / `*` or `_` / `~~` / backticks,
 * links only for safe targets, `>` quotes, fenced code. Every character of the text
 * that Markdown could read as markup is escaped, so a typed `*` or `<script>` stays text.
 */
import { isSafeHref } from '@jane/shared';
import { isText, intAttr, isoDate, levelOf, markOf, plainText, statusLine, versionLabel, type ContentBlock, type ContentNode, type ExportInput } from './model.js';

/** Characters escaped wherever they are. */
const SPECIAL = /[\\`*_[\]<>~|&#]/g;

function escapeText(text: string): string {
  return text.replace(SPECIAL, '\\$&');
}

/** Escapes what would start a block at the beginning of a line (the text is already escaped inline). */
function escapeLineStart(line: string): string {
  const trimmed = line.replace(/^[ \t]+/, '');
  return trimmed.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

function codeSpan(text: string, inTable: boolean): string {
  let content = text.replace(/\n/g, ' ');
  if (inTable) content = content.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

function safeDestination(href: string): string {
  return href.trim().replace(/[\s()<>\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

type Emphasis = 'strike' | 'bold' | 'italic';
const EMPHASIS: Emphasis[] = ['strike', 'bold', 'italic'];
type Token = { kind: 'text'; value: string } | { kind: 'open' | 'close'; mark: Emphasis; span: number };

interface InlineContext {
  /** Inside a GFM table cell: no line breaks, `|` escaped even in code. */
  inTable: boolean;
  /** Inside a heading: one line. */
  oneLine: boolean;
}

/** Emphasis for a run of text nodes that share one link (or none). */
function emphasised(nodes: ContentNode[], context: InlineContext): string {
  const tokens: Token[] = [];
  const stack: { mark: Emphasis; span: number }[] = [];
  let spans = 0;
  let pendingSpace = '';
  const close = (depth: number) => {
    while (stack.length > depth) {
      const top = stack.pop()!;
      tokens.push({ kind: 'close', mark: top.mark, span: top.span });
    }
  };
  for (const node of nodes) {
    if (!isText(node)) {
      // A hard break (or an unknown inline node).
      close(0);
      pendingSpace = '';
      tokens.push({ kind: 'text', value: node.type === 'hardBreak' && !context.inTable && !context.oneLine ? '\\\n' : ' ' });
      continue;
    }
    const active = EMPHASIS.filter((mark) => markOf(node, mark));
    const text = node.text.replace(/\t/g, ' ');
    const isCode = Boolean(markOf(node, 'code'));
    const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
    const [, lead, core, trail] = match as unknown as [string, string, string, string];
    let keep = 0;
    while (keep < stack.length && active.includes(stack[keep]!.mark)) keep++;
    close(keep);
    if (core === '' && !isCode) {
      pendingSpace += text;
      continue;
    }
    const space = isCode ? pendingSpace : pendingSpace + lead;
    if (space) tokens.push({ kind: 'text', value: context.inTable || context.oneLine ? space.replace(/\n/g, ' ') : space });
    pendingSpace = '';
    for (const mark of active) {
      if (stack.some((entry) => entry.mark === mark)) continue;
      const entry = { mark, span: spans++ };
      stack.push(entry);
      tokens.push({ kind: 'open', ...entry });
    }
    if (isCode) {
      tokens.push({ kind: 'text', value: codeSpan(text, context.inTable) });
    } else {
      tokens.push({ kind: 'text', value: escapeText(core) });
      pendingSpace = trail;
    }
  }
  close(0);
  if (pendingSpace) tokens.push({ kind: 'text', value: pendingSpace });

  // Italic is `_` at word boundaries (so it never touches a `**` into `***`), else `*`.
  const charAround = (index: number, step: -1 | 1): string => {
    for (let i = index + step; i >= 0 && i < tokens.length; i += step) {
      const token = tokens[i]!;
      if (token.kind === 'text' && token.value) return step < 0 ? token.value.slice(-1) : token.value[0]!;
    }
    return '';
  };
  const underscore = new Set<number>();
  tokens.forEach((token, index) => {
    if (token.kind !== 'open' || token.mark !== 'italic') return;
    const closeAt = tokens.findIndex((t) => t.kind === 'close' && t.span === token.span);
    if (!/[\p{L}\p{N}]/u.test(charAround(index, -1)) && !/[\p{L}\p{N}]/u.test(charAround(closeAt, 1))) underscore.add(token.span);
  });
  const delimiter = (token: Extract<Token, { mark: Emphasis }>) => (token.mark === 'strike' ? '~~' : token.mark === 'bold' ? '**' : underscore.has(token.span) ? '_' : '*');
  return tokens.map((token) => (token.kind === 'text' ? token.value : delimiter(token))).join('');
}

/** Inline content: links around their text when safe, the text alone otherwise. */
function inline(nodes: ContentNode[], context: InlineContext): string {
  let out = '';
  let index = 0;
  while (index < nodes.length) {
    const node = nodes[index]!;
    const href = isText(node) ? markOf(node, 'link')?.attrs?.href : undefined;
    let end = index + 1;
    while (end < nodes.length) {
      const next = nodes[end]!;
      const nextHref = isText(next) ? markOf(next, 'link')?.attrs?.href : undefined;
      if (nextHref !== href) break;
      end++;
    }
    const group = nodes.slice(index, end);
    const inner = emphasised(group, context);
    out += isSafeHref(href) && inner.trim() ? `[${inner}](${safeDestination(href)})` : inner;
    index = end;
  }
  // Every line (the first, and each after a hard break) must not start a block.
  return out.split('\n').map(escapeLineStart).join('\n');
}

const indent = (text: string, prefix: string, first: string): string =>
  text
    .split('\n')
    .map((line, i) => (i === 0 ? first + line : line === '' ? '' : prefix + line))
    .join('\n');

interface BlockContext {
  input: ExportInput;
}

function listItems(list: ContentBlock, context: BlockContext, alternate: boolean): string {
  const ordered = list.type === 'orderedList';
  const start = ordered ? intAttr(list, 'start', 1, 999_999_999) : 1;
  const items = (list.content ?? []).filter((child): child is ContentBlock => !isText(child));
  const rendered = items.map((item, i) => {
    const marker = ordered ? `${start + i}${alternate ? ')' : '.'} ` : alternate ? '* ' : '- ';
    const children = (item.type === 'listItem' ? item.content ?? [] : [item]).filter((child): child is ContentBlock => !isText(child));
    const parts = blocks(children, context);
    // Paragraphs inside one item are apart (loose); a paragraph and its nested list are not.
    let body = '';
    parts.forEach((part, j) => {
      if (j > 0) body += children[j]!.type.endsWith('List') ? '\n' : '\n\n';
      body += part;
    });
    return indent(body || '', ' '.repeat(marker.length), marker);
  });
  const loose = items.some((item) => (item.content ?? []).filter((c) => !c.type.endsWith('List')).length > 1);
  return rendered.join(loose ? '\n\n' : '\n');
}

function tableMarkdown(table: ContentBlock): string {
  const rows = (table.content ?? []).filter((row): row is ContentBlock => !isText(row) && row.type === 'tableRow');
  const grid = rows.map((row) =>
    (row.content ?? []).flatMap((cell) => {
      if (isText(cell)) return [];
      const paragraphs = (cell.content ?? []).filter((c): c is ContentBlock => !isText(c));
      const text = paragraphs.map((p) => (p.content ? inline(p.content, { inTable: true, oneLine: true }) : escapeText(plainText(p)).replace(/\n/g, ' '))).filter(Boolean).join(' ');
      return [text.trim(), ...Array<string>(intAttr(cell, 'colspan', 1, 100) - 1).fill('')];
    }),
  );
  if (grid.length === 0) return '';
  const columns = Math.max(1, ...grid.map((row) => row.length));
  const line = (cells: string[]) => `| ${Array.from({ length: columns }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  return [line(grid[0]!), `|${' --- |'.repeat(columns)}`, ...grid.slice(1).map(line)].join('\n');
}

function block(node: ContentBlock, context: BlockContext, previous: ContentBlock | undefined): string {
  switch (node.type) {
    case 'heading': {
      const text = `${'#'.repeat(levelOf(node))} ${inline(node.content ?? [], { inTable: false, oneLine: true })}`.trimEnd();
      const id = node.attrs?.sectionId;
      const info = typeof id === 'string' ? context.input.sections.get(id) : undefined;
      if (context.input.options.status && info) return `${text}\n\n*${escapeText(statusLine(info))}*`;
      return text;
    }
    case 'paragraph':
      return inline(node.content ?? [], { inTable: false, oneLine: false });
    case 'bulletList':
    case 'orderedList':
      // Two lists of the same kind in a row would merge: the second uses the other marker.
      return listItems(node, context, previous?.type === node.type);
    case 'blockquote':
      return blocks((node.content ?? []).filter((c): c is ContentBlock => !isText(c)), context)
        .join('\n\n')
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'codeBlock': {
      const code = plainText(node);
      const longest = Math.max(0, ...(code.match(/`{3,}/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(Math.max(3, longest + 1));
      const language = typeof node.attrs?.language === 'string' && /^[\w+-]{1,30}$/.test(node.attrs.language) ? node.attrs.language : '';
      return `${fence}${language}\n${code}\n${fence}`;
    }
    case 'horizontalRule':
      return '---';
    case 'table':
      return tableMarkdown(node);
    default:
      return blocks((node.content ?? []).filter((c): c is ContentBlock => !isText(c)), context).join('\n\n');
  }
}

function blocks(nodes: ContentBlock[], context: BlockContext): string[] {
  const out: string[] = [];
  let previous: ContentBlock | undefined;
  for (const node of nodes) {
    const text = block(node, context, previous);
    if (text.trim() !== '') {
      out.push(text);
      previous = node;
    }
  }
  return out;
}

export function renderMarkdown(input: ExportInput): string {
  const { meta } = input;
  const header = `*${escapeText(`${meta.workspaceTitle} · ${meta.documentTitle} · ${versionLabel(meta)} · ${isoDate(meta.date)} · Draft`)}*`;
  return `${[header, ...blocks(input.blocks, { input })].join('\n\n')}\n`;
}

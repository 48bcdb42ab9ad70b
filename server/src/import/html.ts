/**
 * A strict, minimal HTML reader for mammoth's output only (not for HTML from the web):
 * mammoth writes well-formed elements with double-quoted attributes and escapes `& < > "`.
 * Tags, attributes, text and comments are read in one linear pass (sticky regular
 * expressions, no backtracking across the input) into tree.ts' element tree; a closing tag
 * without its opening one is ignored, unclosed elements end with their parent. Nesting
 * deeper than the import limit is refused.
 */
import { IMPORT_LIMITS, refusals } from './limits.js';
import { element, textNode, type TreeElement } from './tree.js';

const VOID = new Set(['br', 'img', 'hr', 'input', 'col', 'meta', 'link', 'wbr', 'area', 'base', 'source']);
const OPEN = /<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const CLOSE = /<\/([a-zA-Z][a-zA-Z0-9]*)\s*>/y;
const COMMENT = /<!--[\s\S]*?-->/y;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos|nbsp));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(ENTITY, (match, decimal?: string, hex?: string, name?: string) => {
    if (name) return NAMED[name]!;
    const code = decimal ? Number.parseInt(decimal, 10) : Number.parseInt(hex!, 16);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : match;
  });
}

function parseAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]!.toLowerCase();
    attrs[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

/** The children of an implicit root element. */
export function parseHtml(html: string): TreeElement {
  const root = element('#root');
  const stack: TreeElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt === -1 ? html.length : lt;
    if (end > i) top().children.push(textNode(decodeEntities(html.slice(i, end))));
    if (lt === -1) break;
    i = lt;
    COMMENT.lastIndex = i;
    if (html.startsWith('<!--', i)) {
      const comment = COMMENT.exec(html);
      i = comment ? COMMENT.lastIndex : html.length;
      continue;
    }
    CLOSE.lastIndex = i;
    const close = CLOSE.exec(html);
    if (close) {
      i = CLOSE.lastIndex;
      const tag = close[1]!.toLowerCase();
      const at = stack.findLastIndex((open) => open.tag === tag);
      if (at > 0) stack.length = at;
      continue;
    }
    OPEN.lastIndex = i;
    const open = OPEN.exec(html);
    if (open) {
      i = OPEN.lastIndex;
      const tag = open[1]!.toLowerCase();
      const node = element(tag, parseAttributes(open[2] ?? ''));
      top().children.push(node);
      if (!VOID.has(tag) && open[3] !== '/') {
        if (stack.length > IMPORT_LIMITS.depth * 4) throw refusals.tooDeep();
        stack.push(node);
      }
      continue;
    }
    // A "<" that starts no tag is text.
    top().children.push(textNode('<'));
    i += 1;
  }
  return root;
}

/**
 * Markdown → the element tree (tree.ts), straight from markdown-it's tokens (CommonMark
 * plus GFM tables and strikethrough); nothing is rendered to HTML. Raw HTML in the file
 * (`html_block`, `html_inline`) is dropped and reported, never passed through — and what
 * stands between an inline `<script>`/`<style>`… and its closing tag goes with it. Images
 * are dropped and reported. Every link is parsed as a link, so that convert.ts can keep
 * the text of an unsafe one (`javascript:`) without its target and say so.
 */
import MarkdownIt from 'markdown-it';
import type { Token } from 'markdown-it';
import { dropped, element, textNode, type TreeElement } from './tree.js';

const markdown = new MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);
markdown.validateLink = () => true;

/** Inline HTML elements whose content is not text for people. */
const RAW_TEXT = /^<(script|style|template|iframe|object|noscript|textarea|svg|math|title)\b/i;

const htmlExample = (html: string) => `HTML: ${html.trim().replace(/\s+/g, ' ')}`;

function attrsOf(token: Token): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const [name, value] of token.attrs ?? []) attrs[name] = String(value);
  return attrs;
}

function inline(tokens: Token[], into: TreeElement): void {
  const stack: TreeElement[] = [into];
  const top = () => stack[stack.length - 1]!;
  let skipUntil: RegExp | null = null;
  for (const token of tokens) {
    if (skipUntil) {
      if (token.type === 'html_inline' && skipUntil.test(token.content)) skipUntil = null;
      continue;
    }
    switch (token.type) {
      case 'text':
        top().children.push(textNode(token.content));
        break;
      case 'code_inline':
        top().children.push(element('code', {}, [textNode(token.content)]));
        break;
      case 'softbreak':
        top().children.push(textNode(' '));
        break;
      case 'hardbreak':
        top().children.push(element('br'));
        break;
      case 'image':
        top().children.push(dropped('image', token.content || String(token.attrGet('src') ?? '') || undefined));
        break;
      case 'html_inline': {
        // A line break written as HTML (common in GFM table cells) is a line break.
        if (/^<br\s*\/?>$/i.test(token.content)) {
          top().children.push(element('br'));
          break;
        }
        const raw = RAW_TEXT.exec(token.content);
        if (raw && !/\/>\s*$/.test(token.content)) skipUntil = new RegExp(`^</${raw[1]}\\s*>`, 'i');
        // A closing tag belongs to the opening one already reported.
        if (!token.content.startsWith('</')) top().children.push(dropped('unsupported', htmlExample(token.content)));
        break;
      }
      default:
        if (token.nesting === 1) {
          const node = element(token.tag, attrsOf(token));
          top().children.push(node);
          stack.push(node);
        } else if (token.nesting === -1) {
          if (stack.length > 1) stack.pop();
        }
    }
  }
}

/** The Markdown source as an element tree. */
export function markdownTree(source: string): TreeElement {
  const tokens = markdown.parse(source, {});
  const root = element('#root');
  const stack: TreeElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  for (const token of tokens) {
    switch (token.type) {
      case 'inline':
        inline(token.children ?? [], top());
        break;
      case 'code_block':
      case 'fence': {
        const language = token.info.trim().split(/\s+/)[0] ?? '';
        top().children.push(element('pre', language ? { 'data-language': language } : {}, [textNode(token.content)]));
        break;
      }
      case 'hr':
        top().children.push(element('hr'));
        break;
      case 'html_block':
        top().children.push(dropped('unsupported', htmlExample(token.content)));
        break;
      default:
        if (token.nesting === 1) {
          const node = element(token.tag, attrsOf(token));
          top().children.push(node);
          stack.push(node);
        } else if (token.nesting === -1) {
          if (stack.length > 1) stack.pop();
        }
    }
  }
  return root;
}

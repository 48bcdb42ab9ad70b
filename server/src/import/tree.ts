/**
 * The one intermediate shape both importers produce: a small element tree with HTML tag
 * names (mammoth's HTML is parsed into it; markdown-it's tokens are folded into it), read
 * by convert.ts into the editor's content. `#dropped` marks something the file held that
 * the document will not (inline HTML, an image), for the report.
 */
export interface TreeElement {
  kind: 'element';
  tag: string;
  attrs: Record<string, string>;
  children: TreeNode[];
}

export interface TreeText {
  kind: 'text';
  text: string;
}

export type TreeNode = TreeElement | TreeText;

export type DroppedKind = 'image' | 'footnote' | 'comment' | 'unsupported';

export const DROPPED_TAG = '#dropped';

export const element = (tag: string, attrs: Record<string, string> = {}, children: TreeNode[] = []): TreeElement => ({ kind: 'element', tag, attrs, children });
export const textNode = (text: string): TreeText => ({ kind: 'text', text });
export const dropped = (what: DroppedKind, example?: string): TreeElement => element(DROPPED_TAG, example === undefined ? { what } : { what, example });

/**
 * Thread anchors: a passage (or a section heading) of the draft, held as two Yjs
 * relative positions so it follows the words through everyone's edits.
 *
 * - Creating: ProseMirror positions → Yjs positions through y-tiptap's sync binding.
 *   y-tiptap makes every text position stick to the character on its left (assoc -1);
 *   that is right for the end of a passage, but the start must stick to the character
 *   on its right (assoc 0), or text typed just before the passage would join it. The
 *   server's test "follows the passage…" encodes anchors the same way.
 * - Resolving: Yjs positions → ProseMirror positions. y-tiptap's
 *   `relativePositionToAbsolutePosition` refuses any text position that lands at
 *   ProseMirror position ≤ 1 (its guard against drag-and-drop misresolution), which
 *   would detach every thread on the first words of a document; and it walks through
 *   deleted blocks as if they were there. So resolution is done here: a position inside
 *   a deleted block is gone (null), anything else is counted out with the binding's
 *   mapping of Yjs types to ProseMirror nodes.
 *
 * A thread is detached when either end is gone or the passage has shrunk to nothing
 * (all of its characters were deleted).
 */
import type { EditorState } from '@tiptap/pm/state';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { MAX_QUOTE_LENGTH, type ThreadAnchor } from '@jane/shared/core';

/** The parts of y-tiptap's sync plugin state used here (it exports no types for them). */
export interface SyncBinding {
  doc: Y.Doc;
  /** The fragment the editor is bound to. */
  type: Y.XmlFragment;
  /** Yjs type → the ProseMirror node it is rendered as (kept current by the binding). */
  mapping: Map<Y.AbstractType<unknown>, ProseMirrorNode>;
}

/** The editor's Yjs binding, or null before the Collaboration extension is ready. */
export function syncBindingOf(state: EditorState): SyncBinding | null {
  const value: unknown = ySyncPluginKey.getState(state);
  if (typeof value !== 'object' || value === null) return null;
  const { doc, binding } = value as { doc?: unknown; binding?: { type?: unknown; mapping?: unknown } };
  if (!(doc instanceof Y.Doc) || !binding || !(binding.type instanceof Y.XmlFragment) || !(binding.mapping instanceof Map)) return null;
  return { doc, type: binding.type, mapping: binding.mapping as SyncBinding['mapping'] };
}

export interface PassageRange {
  from: number;
  to: number;
}

/**
 * Shrinks a range to the text it covers: a selection that starts at the very end of
 * one block or ends at the very start of the next (a triple click does that) would
 * otherwise anchor on an empty edge of a neighbouring block. Null if no text is left.
 */
export function trimToText(doc: ProseMirrorNode, from: number, to: number): PassageRange | null {
  let start = Math.max(0, Math.min(from, to));
  let end = Math.min(doc.content.size, Math.max(from, to));
  while (start < end) {
    const $start = doc.resolve(start);
    if ($start.parent.isTextblock && $start.parentOffset < $start.parent.content.size) break;
    start++;
  }
  while (end > start) {
    const $end = doc.resolve(end);
    if ($end.parent.isTextblock && $end.parentOffset > 0) break;
    end--;
  }
  if (start >= end || doc.textBetween(start, end, ' ', ' ').trim() === '') return null;
  return { from: start, to: end };
}

function relativeAt(binding: SyncBinding, pos: number, assoc: 0 | -1): Y.RelativePosition {
  const relative = absolutePositionToRelativePosition(pos, binding.type, binding.mapping) as Y.RelativePosition;
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, binding.doc);
  if (absolute && absolute.type instanceof Y.XmlText) return Y.createRelativePositionFromTypeIndex(absolute.type, absolute.index, assoc);
  return relative;
}

const encode = (position: Y.RelativePosition): string => toBase64(Y.encodeRelativePosition(position));

/** The text of a range as a reader would quote it (blocks separated by line breaks). */
export function quoteOf(doc: ProseMirrorNode, range: PassageRange): string {
  const text = doc.textBetween(range.from, range.to, '\n', ' ').trim();
  return text.length > MAX_QUOTE_LENGTH ? `${text.slice(0, MAX_QUOTE_LENGTH - 1)}…` : text;
}

/** An anchor for `range` of the editor's document (start sticks right, end sticks left). */
export function createAnchor(state: EditorState, range: PassageRange, kind: ThreadAnchor['kind']): ThreadAnchor | null {
  const binding = syncBindingOf(state);
  return binding ? anchorFor(binding, state.doc, range, kind) : null;
}

/** {@link createAnchor} for a binding and the document it renders. */
export function anchorFor(binding: SyncBinding, doc: ProseMirrorNode, range: PassageRange, kind: ThreadAnchor['kind']): ThreadAnchor {
  return {
    kind,
    start: encode(relativeAt(binding, range.from, 0)),
    end: encode(relativeAt(binding, range.to, -1)),
    quote: quoteOf(doc, range),
  };
}

/** The size a child type takes in ProseMirror, or null if the binding has not rendered it. */
function sizeOf(binding: SyncBinding, type: Y.AbstractType<unknown>): number | null {
  if (type instanceof Y.XmlText) return type.length;
  return binding.mapping.get(type)?.nodeSize ?? null;
}

/** Size of the live children of `parent` before `index` (children counted, not characters). */
function sizeBefore(binding: SyncBinding, parent: Y.AbstractType<unknown>, stop: { index?: number; child?: Y.AbstractType<unknown> }): number | null {
  let size = 0;
  let counted = 0;
  for (let item = parent._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentType)) continue;
    const child = item.content.type as Y.AbstractType<unknown>;
    if (stop.child === child) return size;
    if (item.deleted) continue;
    if (stop.index !== undefined && counted >= stop.index) return size;
    const childSize = sizeOf(binding, child);
    if (childSize === null) return null;
    size += childSize;
    counted++;
  }
  return stop.child ? null : size;
}

/** A Yjs relative position as a ProseMirror position, or null if its text is gone. */
export function resolvePosition(binding: SyncBinding, position: Y.RelativePosition): number | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, binding.doc);
  if (!absolute) return null;
  const target = absolute.type as Y.AbstractType<unknown>;
  // The position must sit in the bound fragment, in blocks that all still exist.
  for (let t = target; t !== binding.type; ) {
    const item = t._item;
    if (!item || item.deleted || !(item.parent instanceof Y.AbstractType)) return null;
    t = item.parent as Y.AbstractType<unknown>;
  }
  let pos: number;
  if (target instanceof Y.XmlText) {
    pos = absolute.index;
  } else {
    const inside = sizeBefore(binding, target, { index: absolute.index });
    if (inside === null) return null;
    pos = inside + 1;
  }
  let type = target as Y.AbstractType<unknown>;
  while (type !== binding.type) {
    const parent = type._item!.parent as Y.AbstractType<unknown>;
    const before = sizeBefore(binding, parent, { child: type });
    if (before === null) return null;
    pos += 1 + before;
    type = parent;
  }
  return pos - 1; // the fragment itself has no opening token
}

function decode(encoded: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
}

/** Decoded anchors, cached: decoding is pure, and highlights are resolved on every remote change. */
const decoded = new Map<string, Y.RelativePosition | null>();
function decodeCached(encoded: string): Y.RelativePosition | null {
  let position = decoded.get(encoded);
  if (position === undefined) {
    position = decode(encoded);
    if (decoded.size > 2000) decoded.clear();
    decoded.set(encoded, position);
  }
  return position;
}

/**
 * Where an anchor's passage is now, or null when it is detached (deleted, or not in this
 * document). The range is clamped to the document.
 */
export function resolveAnchor(binding: SyncBinding, doc: ProseMirrorNode, anchor: Pick<ThreadAnchor, 'start' | 'end'>): PassageRange | null {
  const start = decodeCached(anchor.start);
  const end = decodeCached(anchor.end);
  if (!start || !end) return null;
  const from = resolvePosition(binding, start);
  const to = resolvePosition(binding, end);
  if (from === null || to === null) return null;
  const size = doc.content.size;
  const range = { from: Math.max(0, Math.min(from, size)), to: Math.max(0, Math.min(to, size)) };
  return range.from < range.to ? range : null;
}

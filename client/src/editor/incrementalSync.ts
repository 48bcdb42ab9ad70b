/**
 * Remote changes cost what they change, not the size of the document.
 *
 * Work-around for @tiptap/y-tiptap 3.0.9: on every change that arrives through Yjs, its
 * binding (`_typeChanged`) first drops the Yjs → ProseMirror mapping of the types that
 * changed (and their parents, and the deleted ones) — enough to rebuild exactly those —
 * and then clears the whole mapping, so every block of the document is rebuilt from Yjs
 * (for a 50-page draft, ~25,000 words read out of Yjs for one typed letter). Every node
 * being new also makes everything after it slow: ProseMirror's view compares each
 * block deeply, prosemirror-tables re-checks every table, the editor compares the
 * documents to decide whether to emit 'update'.
 *
 * This keeps the mapping during that one call, so unchanged blocks keep their
 * ProseMirror nodes (y-tiptap before 3.0.9 did just that). Everything else — the first
 * render, snapshots, forced re-renders — still clears it.
 *
 * It does not scroll to our caret after a remote change, and the remote change's step
 * replaces only what changed (see {@link replacingOnlyWhatChanged}). And it exports
 * {@link changedRange}: y-tiptap applies a remote change as one step replacing the whole
 * document, which maps every position inside it to an edge; the range that really
 * differs lets plugins map their decorations instead of rebuilding.
 */
import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Mapping, ReplaceStep, StepMap } from '@tiptap/pm/transform';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

/** The parts of y-tiptap's binding this touches (it exports no types for them). */
interface BindingLike {
  type: { observeDeep(f: (...args: unknown[]) => void): void; unobserveDeep(f: (...args: unknown[]) => void): void };
  mapping: Map<unknown, unknown>;
  prosemirrorView: unknown;
  _isLocalCursorInView(): boolean;
  readonly _tr: Transaction;
  _observeFunction: (...args: unknown[]) => void;
}

function bindingOf(state: EditorState): BindingLike | null {
  const value = ySyncPluginKey.getState(state) as { binding?: Partial<BindingLike> } | undefined;
  const binding = value?.binding;
  if (!binding || !(binding.mapping instanceof Map) || typeof binding._observeFunction !== 'function' || !binding.type) return null;
  return binding as BindingLike;
}

/** y-tiptap's own observer of each binding (plugin views are made again when plugins change). */
const originalObservers = new WeakMap<BindingLike, (...args: unknown[]) => void>();

function snapshotShown(state: EditorState): boolean {
  const value = ySyncPluginKey.getState(state) as { snapshot?: unknown; prevSnapshot?: unknown } | undefined;
  return value?.snapshot != null || value?.prevSnapshot != null;
}

export const IncrementalSync = Extension.create({
  name: 'incrementalSync',

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('incrementalSync'),
        view: (view) => {
          const binding = bindingOf(view.state);
          if (!binding) return {};
          let keepMapping = false;
          const mapping = binding.mapping;
          mapping.clear = function (this: Map<unknown, unknown>) {
            if (!keepMapping) Map.prototype.clear.call(this);
          };
          const observe = originalObservers.get(binding) ?? binding._observeFunction;
          originalObservers.set(binding, observe);
          const observing = binding.prosemirrorView != null;
          // The sync plugin's view may already observe the fragment (plugin views start in order).
          if (observing) binding.type.unobserveDeep(binding._observeFunction);
          const observeKeepingMapping = (...args: unknown[]) => {
            keepMapping = !snapshotShown(view.state);
            try {
              observe(...args);
            } finally {
              keepMapping = false;
            }
          };
          binding._observeFunction = observeKeepingMapping;
          if (observing) binding.type.observeDeep(observeKeepingMapping);
          // y-tiptap scrolls to our caret after every remote change when it was in view:
          // that measures the page again for every keystroke of anyone. The browser's
          // scroll anchoring keeps what we look at in place anyway.
          binding._isLocalCursorInView = () => false;
          // The transaction y-tiptap fills with a remote change (or an undo): it replaces
          // only what changed, and autolinking is the author's business, not ours.
          Object.defineProperty(binding, '_tr', {
            configurable: true,
            get: () => replacingOnlyWhatChanged(view.state.tr.setMeta('addToHistory', false).setMeta('preventAutolink', true)),
          });
          return {
            destroy: () => {
              Reflect.deleteProperty(binding, '_tr');
              Reflect.deleteProperty(binding, '_isLocalCursorInView');
              Reflect.deleteProperty(mapping, 'clear');
            },
          };
        },
      }),
    ];
  },
});

/**
 * Where two documents differ: `from` in both, `toA` in the old one, `toB` in the new one;
 * null when they are the same. Cheap when unchanged blocks are the same nodes.
 */
export function changedRange(before: ProseMirrorNode, after: ProseMirrorNode): { from: number; toA: number; toB: number } | null {
  const from = before.content.findDiffStart(after.content);
  if (from === null) return null;
  const end = before.content.findDiffEnd(after.content);
  if (!end) return null;
  let { a: toA, b: toB } = end;
  // The ends may overlap the start when the change repeats neighbouring content.
  const overlap = Math.max(0, from - Math.min(toA, toB));
  toA += overlap;
  toB += overlap;
  return { from, toA, toB };
}

/**
 * Whether a transaction changed the top-level block(s) the (new) selection is in: what
 * the formatting state at the caret can depend on. A colleague typing pages away does not.
 */
export function changeTouchesSelection(tr: Transaction): boolean {
  const range = changedRange(tr.before, tr.doc);
  if (!range) return false;
  const { $from, $to } = tr.selection;
  const start = $from.depth > 0 ? $from.before(1) : 0;
  const end = $to.depth > 0 ? $to.after(1) : tr.doc.content.size;
  return range.from <= end && range.toB >= start;
}

/**
 * A mapping that only moves what comes after the changed range, for a transaction that
 * arrived through Yjs (one whole-document step); null when the documents are the same.
 */
export function remoteChangeMap(tr: Transaction, before: ProseMirrorNode): { map: Mapping; from: number; toA: number; toB: number } | null {
  const range = changedRange(before, tr.doc);
  return range ? { ...range, map: mappingOf(range) } : null;
}

/** A mapping for a change of `from`–`toA` into `from`–`toB`. */
export function mappingOf(range: { from: number; toA: number; toB: number }): Mapping {
  return new Mapping([new StepMap([range.from, range.toA - range.from, range.toB - range.from])]);
}

/**
 * Makes `tr.replace(0, size, slice)` — how y-tiptap applies every change from Yjs —
 * replace only the top-level blocks that changed (every other call replaces as asked).
 * Plugins that map positions or look at changed ranges then see a small change:
 * decorations keep their places, and "what changed" is one paragraph, not the document.
 *
 * The new document's blocks must be y-tiptap's own node objects, not equal copies: its
 * Yjs ↔ ProseMirror mapping goes by identity, and a copy makes the next local edit be
 * diffed against the wrong node. So the step inserts the new blocks themselves.
 */
export function replacingOnlyWhatChanged(tr: Transaction): Transaction {
  const replace = tr.replace;
  tr.replace = function (this: Transaction, from: number, to: number = from, slice?: Slice) {
    const doc = this.doc;
    if (from !== 0 || to !== doc.content.size || !slice || slice.openStart !== 0 || slice.openEnd !== 0) return replace.call(this, from, to, slice);
    const next = slice.content;
    const shorter = Math.min(doc.childCount, next.childCount);
    let head = 0;
    let headSize = 0;
    while (head < shorter && doc.child(head) === next.child(head)) headSize += doc.child(head++).nodeSize;
    if (head === doc.childCount && head === next.childCount) return replace.call(this, from, to, slice);
    let tail = 0;
    let tailSize = 0;
    while (tail < shorter - head && doc.child(doc.childCount - 1 - tail) === next.child(next.childCount - 1 - tail)) tailSize += doc.child(doc.childCount - 1 - tail++).nodeSize;
    const blocks: ProseMirrorNode[] = [];
    for (let i = head; i < next.childCount - tail; i++) blocks.push(next.child(i));
    return this.step(new ReplaceStep(headSize, doc.content.size - tailSize, new Slice(Fragment.from(blocks), 0, 0)));
  };
  return tr;
}

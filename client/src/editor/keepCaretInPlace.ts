/**
 * Keeps a caret where it is when someone else edits elsewhere.
 *
 * Work-around for @tiptap/y-tiptap 3.0.9: after a remote change, its selection
 * recovery (`isMisresolvedAfterStructuralChange`) second-guesses the Yjs position of a
 * caret at the start of a block by counting blocks with the same text. In our templates
 * every section starts with an empty paragraph, so when a colleague types the first
 * letter into an empty paragraph *above* yours, the count shifts and your caret jumps to
 * the next section's paragraph — and your next words land there. (Reproduced in the
 * browser; see e2e/specs/collaboration.spec.ts.)
 *
 * For exactly that case — a collapsed caret at the start of a text block whose Yjs
 * anchor still exists — this plugin puts the caret back where Yjs says it is. Every
 * other case (the anchor was deleted, e.g. the block was re-created by a remote type
 * change) is left to y-tiptap's recovery.
 */
import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type EditorState } from '@tiptap/pm/state';
import * as Y from 'yjs';

/** The parts of y-tiptap's sync plugin state this needs (it has no exported types for them). */
interface SyncBinding {
  mapping: Map<object, ProseMirrorNode>;
  beforeTransactionSelection: {
    type?: string;
    anchor: Y.RelativePosition | null;
    head: Y.RelativePosition | null;
    absAnchor: number;
    absHead: number;
  } | null;
}

interface SyncState {
  doc: Y.Doc;
  binding: SyncBinding;
}

function isSyncState(value: unknown): value is SyncState {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { doc?: unknown; binding?: unknown };
  if (!(candidate.doc instanceof Y.Doc) || typeof candidate.binding !== 'object' || candidate.binding === null) return false;
  const binding = candidate.binding as { mapping?: unknown };
  return binding.mapping instanceof Map && 'beforeTransactionSelection' in candidate.binding;
}

function syncStateOf(state: EditorState): SyncState | null {
  for (const plugin of state.plugins) {
    const value: unknown = plugin.getState(state);
    if (isSyncState(value)) return value;
  }
  return null;
}

function positionOfNode(doc: ProseMirrorNode, target: ProseMirrorNode): number | null {
  let found: number | null = null;
  doc.descendants((node, pos) => {
    if (found !== null) return false;
    if (node === target) {
      found = pos;
      return false;
    }
    // The target is a text block: nothing inside another text block can be it.
    return !node.isTextblock;
  });
  return found;
}

/** Where Yjs says a caret at `relative` is now, if its anchor still exists in a text block. */
function yjsCaretPosition(sync: SyncState, relative: Y.RelativePosition, doc: ProseMirrorNode): number | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(relative, sync.doc);
  if (!absolute) return null;
  const type = absolute.type;
  if (type._item?.deleted) return null;
  let element: object = type;
  let offset = 0;
  if (type instanceof Y.XmlText) {
    const parent = type._item?.parent;
    if (!(parent instanceof Y.XmlElement) || parent._item?.deleted) return null;
    // Only a text block holding this one text run: the offset is the text offset.
    if (parent.length !== 1) return null;
    element = parent;
    offset = absolute.index;
  } else if (absolute.index !== 0) {
    return null;
  }
  const node = sync.binding.mapping.get(element);
  if (!node || !node.isTextblock) return null;
  const start = positionOfNode(doc, node);
  if (start === null) return null;
  return start + 1 + Math.min(offset, node.content.size);
}

export const KeepCaretInPlace = Extension.create({
  name: 'keepCaretInPlace',

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('keepCaretInPlace'),
        appendTransaction(transactions, oldState, newState) {
          const remote = transactions.find((tr) => tr.docChanged && isChangeOrigin(tr));
          if (!remote || !newState.selection.empty) return null;
          const sync = syncStateOf(newState);
          const before = sync?.binding.beforeTransactionSelection;
          if (!sync || !before?.anchor || before.type !== 'text' || before.absAnchor !== before.absHead) return null;
          if (before.absAnchor > oldState.doc.content.size) return null;
          const $old = oldState.doc.resolve(before.absAnchor);
          if (!$old.parent.isTextblock || $old.parentOffset !== 0) return null;
          const intended = yjsCaretPosition(sync, before.anchor, newState.doc);
          if (intended === null || intended === newState.selection.from) return null;
          return newState.tr.setSelection(TextSelection.create(newState.doc, intended)).setMeta('addToHistory', false);
        },
      }),
    ];
  },
});

/**
 * Highlights of open threads in the editor: every open thread's passage is drawn as an
 * inline decoration (`comment-highlight`, stronger for the active thread) carrying
 * `data-thread-id`, so a click on it opens the thread. A passage being commented on
 * (the new-thread composer is open) is drawn as `comment-highlight--draft`.
 *
 * Positions come from Yjs, not from ProseMirror: whenever the threads change, and on a
 * change that arrives through Yjs (a colleague's edit, undo, the first load) where it
 * touches a highlighted passage or while some thread is not drawn (its text may have
 * come back), all anchors are resolved again. Otherwise — local typing, and a colleague
 * typing away from every passage — the decorations are only mapped through the change,
 * which agrees with the anchors (start sticks right, end sticks left, so neither side is
 * inclusive) until the next resolution.
 */
import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { ThreadAnchor } from '@jane/shared/core';
import { resolveAnchor, syncBindingOf, type PassageRange, type SyncBinding } from './anchors';
import { remoteChangeMap } from '../incrementalSync';

export interface HighlightedThread {
  id: string;
  anchor: Pick<ThreadAnchor, 'kind' | 'start' | 'end'>;
}

export interface CommentHighlightsInput {
  /** Open threads, drawn in this order (later ones on top where passages overlap). */
  threads: HighlightedThread[];
  activeId: string | null;
  /** The passage a new thread is being written for. */
  draft: Pick<ThreadAnchor, 'start' | 'end'> | null;
}

interface PluginState extends CommentHighlightsInput {
  decorations: DecorationSet;
  /** Threads (and the draft) whose passage could not be resolved at the last build. */
  undrawn: number;
}

export const commentHighlightsKey = new PluginKey<PluginState>('commentHighlights');

function build(doc: ProseMirrorNode, binding: SyncBinding | null, input: CommentHighlightsInput): Pick<PluginState, 'decorations' | 'undrawn'> {
  if (!binding) return { decorations: DecorationSet.empty, undrawn: input.threads.length + (input.draft ? 1 : 0) };
  const decorations: Decoration[] = [];
  let undrawn = 0;
  for (const thread of input.threads) {
    const range = resolveAnchor(binding, doc, thread.anchor);
    if (!range) {
      undrawn++;
      continue;
    }
    const classes = ['comment-highlight'];
    if (thread.anchor.kind === 'section') classes.push('comment-highlight--section');
    if (thread.id === input.activeId) classes.push('comment-highlight--active');
    decorations.push(
      Decoration.inline(range.from, range.to, { class: classes.join(' '), 'data-thread-id': thread.id }, { inclusiveStart: false, inclusiveEnd: false, threadId: thread.id }),
    );
  }
  if (input.draft) {
    const range = resolveAnchor(binding, doc, input.draft);
    if (range) decorations.push(Decoration.inline(range.from, range.to, { class: 'comment-highlight comment-highlight--draft' }, { inclusiveStart: false, inclusiveEnd: false }));
    else undrawn++;
  }
  return { decorations: DecorationSet.create(doc, decorations), undrawn };
}

/** After a change through Yjs: the highlights mapped when it is clear of them all, else resolved again. */
function afterRemoteChange(tr: Transaction, previous: PluginState, oldState: EditorState): PluginState {
  if (previous.undrawn === 0) {
    const change = remoteChangeMap(tr, oldState.doc);
    if (!change) return previous;
    if (previous.decorations.find(change.from, change.toA).length === 0) return { ...previous, decorations: previous.decorations.map(change.map, tr.doc) };
  }
  return { ...previous, ...build(tr.doc, syncBindingOf(oldState), previous) };
}

/**
 * The passages the highlights are drawn over, by thread: the same ranges resolving the
 * anchors gives (they are resolved again whenever they could differ, see above), without
 * resolving them. A passage over several blocks is drawn in pieces; its range spans them.
 */
export function highlightedPassages(state: EditorState): Map<string, PassageRange> {
  const passages = new Map<string, PassageRange>();
  for (const decoration of commentHighlightsKey.getState(state)?.decorations.find() ?? []) {
    const threadId = (decoration.spec as { threadId?: string }).threadId;
    if (!threadId) continue;
    const known = passages.get(threadId);
    if (!known) passages.set(threadId, { from: decoration.from, to: decoration.to });
    else {
      known.from = Math.min(known.from, decoration.from);
      known.to = Math.max(known.to, decoration.to);
    }
  }
  return passages;
}

/** Tells the highlights which threads to draw (call whenever threads or the active one change). */
export function setCommentHighlights(state: EditorState, dispatch: (tr: Transaction) => void, input: CommentHighlightsInput): void {
  dispatch(state.tr.setMeta(commentHighlightsKey, input).setMeta('addToHistory', false));
}

export interface CommentHighlightsOptions {
  /** A highlight was clicked. */
  onOpen: (threadId: string) => void;
}

export const CommentHighlights = Extension.create<CommentHighlightsOptions>({
  name: 'commentHighlights',

  addOptions() {
    return { onOpen: () => {} };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    return [
      new Plugin<PluginState>({
        key: commentHighlightsKey,
        state: {
          init: () => ({ threads: [], activeId: null, draft: null, decorations: DecorationSet.empty, undrawn: 0 }),
          // The binding is one object for the editor's lifetime; read it from the finished old state.
          apply(tr, previous, oldState) {
            const input = tr.getMeta(commentHighlightsKey) as CommentHighlightsInput | undefined;
            if (input) return { ...input, ...build(tr.doc, syncBindingOf(oldState), input) };
            if (!tr.docChanged) return previous;
            if (isChangeOrigin(tr)) return afterRemoteChange(tr, previous, oldState);
            return { ...previous, decorations: previous.decorations.map(tr.mapping, tr.doc) };
          },
        },
        props: {
          decorations(state) {
            return commentHighlightsKey.getState(state)?.decorations;
          },
          handleDOMEvents: {
            // A DOM handler rather than handleClick: it also runs in a read-only editor.
            click(_view, event) {
              const target = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-thread-id]') : null;
              const threadId = target?.dataset.threadId;
              // The end of a drag that selected text is not a click on the highlight.
              if (!threadId || window.getSelection()?.isCollapsed === false) return false;
              options.onOpen(threadId);
              return false; // let the caret land where the person clicked
            },
          },
        },
      }),
    ];
  },
});

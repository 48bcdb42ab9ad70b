/**
 * Comments on the editor side of the document page:
 * - keeps the highlight plugin told which threads to draw;
 * - resolves every thread's anchor after each change of the text (batched, right after
 *   the frame that shows the change) into `placements` — document order for the panel,
 *   detached threads as null. When only positions moved (the same threads, attached, in
 *   the same order: nearly every keystroke) the ranges are updated in place and nothing
 *   that shows them re-renders;
 * - follows the selection (editable or read-only editor alike) for the floating
 *   "Comment" button, and Ctrl+Alt+M — on local selection changes, and on colleagues'
 *   changes only while a passage is selected (remote carets moving cost nothing);
 * - starts drafts on a passage or on a whole section, and reveals a thread's passage.
 * The editor itself never enters reactive state; outputs are plain values.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { Editor } from '@tiptap/vue-3';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { EditorView } from '@tiptap/pm/view';
import { TextSelection } from '@tiptap/pm/state';
import { useCommentsStore } from '../../stores/comments';
import { headingIndexAt, outlineOf } from '../outline';
import { createAnchor, resolveAnchor, syncBindingOf, trimToText, type PassageRange } from './anchors';
import { highlightedPassages, setCommentHighlights } from './commentHighlights';
import { t } from '../../i18n';

export interface SelectionPrompt {
  range: PassageRange;
  /** Where to show the "Comment" button, in the scroll container's content coordinates. */
  top: number;
  left: number;
}

export interface EditorComments {
  /** Thread id → where its passage is now; null when detached. */
  placements: Ref<Record<string, PassageRange | null>>;
  selection: Ref<SelectionPrompt | null>;
  /** A message for the page's status region (e.g. "select some text first"). */
  notice: Ref<string>;
  commentOnSelection: () => boolean;
  commentOnSection: (headingPos: number) => boolean;
  reveal: (threadId: string) => void;
}

/** The selected range: the editor's own when it has focus, else the browser's (read-only editors). */
function selectedRange(view: EditorView): PassageRange | null {
  const { selection, doc } = view.state;
  if (view.hasFocus() && !selection.empty) return trimToText(doc, selection.from, selection.to);
  const dom = window.getSelection();
  if (!dom || dom.isCollapsed || dom.rangeCount === 0) return null;
  const range = dom.getRangeAt(0);
  if (!view.dom.contains(range.startContainer) || !view.dom.contains(range.endContainer)) return null;
  try {
    return trimToText(doc, view.posAtDOM(range.startContainer, range.startOffset), view.posAtDOM(range.endContainer, range.endOffset));
  } catch {
    return null;
  }
}

/** The section a position is in: its id and title (nulls above the first heading). */
function sectionAt(view: EditorView, pos: number): { sectionId: string | null; sectionTitle: string | null } {
  const outline = outlineOf(view.state.doc);
  const item = outline[headingIndexAt(outline, pos)];
  return { sectionId: item?.sectionId ?? null, sectionTitle: item?.text || null };
}

export function useEditorComments(editor: ShallowRef<Editor | undefined>, scroller: Ref<HTMLElement | null>): EditorComments {
  const comments = useCommentsStore();
  const placements = shallowRef<Record<string, PassageRange | null>>({});
  const selection = ref<SelectionPrompt | null>(null);
  const notice = ref('');

  const view = (): EditorView | null => {
    const instance = editor.value;
    return instance && !instance.isDestroyed ? instance.view : null;
  };

  /* ------------------------------------------------------------ highlights */
  function pushHighlights(): void {
    const instance = editor.value;
    if (!instance || instance.isDestroyed) return;
    setCommentHighlights(instance.state, instance.view.dispatch, {
      threads: comments.openThreads.map((thread) => ({ id: thread.id, anchor: thread.anchor })),
      activeId: comments.activeThreadId,
      draft: comments.draft?.anchor ?? null,
    });
  }

  /* ------------------------------------------------------------ placements */
  let placeFrame = 0;
  let placeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The threads in document order, detached ones marked: what the panel shows of `placements`. */
  let placementShape = '';
  function shapeOf(next: Record<string, PassageRange | null>): string {
    const ids = Object.keys(next).sort();
    const attached = ids.filter((id) => next[id]).sort((a, b) => next[a]!.from - next[b]!.from || next[a]!.to - next[b]!.to || (a < b ? -1 : 1));
    return `${attached.join(',')}|${ids.filter((id) => !next[id]).join(',')}`;
  }
  function placeNow(): void {
    const current = view();
    const binding = current ? syncBindingOf(current.state) : null;
    if (!current || !binding) return;
    const next: Record<string, PassageRange | null> = {};
    // Open threads are where their highlights are; only the others are resolved here.
    const highlighted = highlightedPassages(current.state);
    for (const thread of comments.threads) next[thread.id] = highlighted.get(thread.id) ?? resolveAnchor(binding, current.state.doc, thread.anchor);
    const shape = shapeOf(next);
    if (shape !== placementShape) {
      placementShape = shape;
      placements.value = next;
      return;
    }
    // Same threads, same order: the ranges move in place (read when revealing a passage).
    const before = placements.value;
    for (const [id, range] of Object.entries(next)) {
      const old = before[id];
      if (old && range) {
        old.from = range.from;
        old.to = range.to;
      }
    }
  }
  function schedulePlacements(): void {
    if (placeFrame || placeTimer !== undefined) return;
    // After the frame that shows the change: resolving every anchor is not in its way.
    placeFrame = requestAnimationFrame(() => {
      placeFrame = 0;
      placeTimer = setTimeout(() => {
        placeTimer = undefined;
        placeNow();
      });
    });
  }

  /* ------------------------------------------------------------ selection */
  let selectionFrame = 0;
  function scheduleSelection(): void {
    cancelAnimationFrame(selectionFrame);
    selectionFrame = requestAnimationFrame(() => {
      const current = view();
      const container = scroller.value;
      const range = current ? selectedRange(current) : null;
      if (!current || !container || !range) {
        selection.value = null;
        return;
      }
      const start = current.coordsAtPos(range.from, 1);
      const box = container.getBoundingClientRect();
      const top = start.top - box.top + container.scrollTop;
      const left = Math.min(Math.max(start.left - box.left, 8), Math.max(8, container.clientWidth - 140));
      selection.value = { range, top, left };
    });
  }

  /* ------------------------------------------------------------ drafts */
  function startDraft(range: PassageRange, kind: 'text' | 'section', section: { sectionId: string | null; sectionTitle: string | null }): boolean {
    const current = view();
    if (!current) return false;
    const anchor = createAnchor(current.state, range, kind);
    if (!anchor) {
      notice.value = t('comments.notReady');
      return false;
    }
    comments.startDraft({ anchor, ...section });
    selection.value = null;
    return true;
  }

  function commentOnSelection(): boolean {
    const current = view();
    if (!current) return false;
    const range = selectedRange(current);
    if (!range) {
      notice.value = t('comments.selectFirst');
      return false;
    }
    return startDraft(range, 'text', sectionAt(current, range.from));
  }

  function commentOnSection(headingPos: number): boolean {
    const current = view();
    const heading = current?.state.doc.nodeAt(headingPos);
    if (!current || !heading || heading.type.name !== 'heading') return false;
    const range = { from: headingPos + 1, to: headingPos + 1 + heading.content.size };
    if (range.from >= range.to) {
      notice.value = t('comments.emptyHeading');
      return false;
    }
    const sectionId = typeof heading.attrs.sectionId === 'string' ? heading.attrs.sectionId : null;
    return startDraft(range, 'section', { sectionId, sectionTitle: heading.textContent.trim() || null });
  }

  /** Scrolls the thread's passage into view (and puts the caret at its start when editable). */
  function reveal(threadId: string): void {
    const current = view();
    const range = placements.value[threadId];
    if (!current || !range) return;
    const instance = editor.value!;
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const dom = current.domAtPos(range.from);
    const element = dom.node instanceof Element ? dom.node : dom.node.parentElement;
    element?.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
    if (instance.isEditable) {
      current.dispatch(current.state.tr.setSelection(TextSelection.create(current.state.doc, range.from)).setMeta('addToHistory', false));
    }
  }

  /* ------------------------------------------------------------ wiring */
  function onKeydown(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || !event.altKey || event.shiftKey || event.code !== 'KeyM') return;
    const current = view();
    if (!current) return;
    // Only for a selection in this document (or with the caret in it).
    const target = event.target instanceof Node ? event.target : null;
    const inEditor = target !== null && current.dom.contains(target);
    const domSelection = window.getSelection();
    const selectionInEditor = domSelection !== null && domSelection.rangeCount > 0 && current.dom.contains(domSelection.getRangeAt(0).startContainer);
    if (!inEditor && !selectionInEditor) return;
    event.preventDefault();
    commentOnSelection();
  }

  const onSelectionChange = () => scheduleSelection();

  watch(
    editor,
    (instance) => {
      if (!instance) return;
      instance.on('transaction', ({ transaction }) => {
        if (transaction.docChanged) schedulePlacements();
        const local = !isChangeOrigin(transaction) && (transaction.selectionSet || transaction.docChanged || transaction.getMeta('focus') || transaction.getMeta('blur'));
        // A colleague's edit moves a selected passage (and may remove it); an unselected caret has no button.
        if (local || (transaction.docChanged && selection.value !== null)) scheduleSelection();
      });
      pushHighlights();
      schedulePlacements();
    },
    { immediate: true },
  );

  watch(
    () => [comments.openThreads, comments.activeThreadId, comments.draft] as const,
    () => pushHighlights(),
  );
  watch(
    () => comments.threads,
    () => schedulePlacements(),
  );

  onMounted(() => {
    document.addEventListener('selectionchange', onSelectionChange);
    document.addEventListener('keydown', onKeydown);
  });
  onBeforeUnmount(() => {
    cancelAnimationFrame(placeFrame);
    clearTimeout(placeTimer);
    cancelAnimationFrame(selectionFrame);
    document.removeEventListener('selectionchange', onSelectionChange);
    document.removeEventListener('keydown', onKeydown);
  });

  return { placements, selection, notice, commentOnSelection, commentOnSection, reveal };
}

/**
 * The outline of the open document and the section the person is in: recomputed after
 * every change of the text (batched to one pass per frame, so a burst of remote edits
 * costs one), following the caret while they type and the top of the view while they
 * read; and moving to a section, with or without the caret.
 *
 * The outline is a shallow ref of plain items. When a change leaves the headings as they
 * were (level, text, section id) — nearly every keystroke — only their positions are
 * brought up to date, in place, and nothing that shows the outline re-renders.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import type { Editor } from '@tiptap/vue-3';
import { isChangeOrigin as isRemote } from '@tiptap/extension-collaboration';
import { headingIndexAt, outlineOf, sameHeadings, type OutlineItem } from './outline';

/** How far below the top of the view a heading still counts as "the section being read". */
const READING_LINE_PX = 48;
/** A scroll to a section that never reports its end stops steering the outline after this. */
const JUMP_TIMEOUT_MS = 1200;

export interface OutlineTracking {
  outline: Ref<OutlineItem[]>;
  /** Index in `outline` of the section the person is in; -1 when there are no headings. */
  current: Ref<number>;
  /** For the scroll container's `scroll` event. */
  onScroll(): void;
  /** Scrolls to a section and, in an editable document, puts the caret at the end of its heading. */
  jump(index: number): void;
  /** Brings a section into view without taking focus (following the chair, agenda links). */
  reveal(index: number): void;
}

export function useOutlineTracking(editor: ShallowRef<Editor | undefined>, scroller: Ref<HTMLElement | null>): OutlineTracking {
  const outline = shallowRef<OutlineItem[]>([]);
  const current = ref(-1);
  let outlineFrame = 0;
  /** What the pending frame has to do. */
  let textChanged = false;
  let followCaret = false;
  let scrollFrame = 0;
  /** While the page scrolls to a chosen heading, the scroll position must not override that choice. */
  let jumping = false;
  let jumpTimer: ReturnType<typeof setTimeout> | undefined;

  function readOutline(instance: Editor): void {
    const next = outlineOf(instance.view.state.doc);
    const previous = outline.value;
    if (sameHeadings(previous, next)) next.forEach((item, i) => (previous[i]!.pos = item.pos));
    else outline.value = next;
  }

  function scheduleOutline(instance: Editor, options: { textChanged: boolean; followCaret: boolean }): void {
    textChanged ||= options.textChanged;
    followCaret ||= options.followCaret;
    if (outlineFrame) return;
    outlineFrame = requestAnimationFrame(() => {
      outlineFrame = 0;
      const [read, follow] = [textChanged, followCaret];
      textChanged = followCaret = false;
      if (instance.isDestroyed) return;
      if (read) readOutline(instance);
      const items = outline.value;
      if (follow && instance.isFocused) {
        current.value = headingIndexAt(items, instance.view.state.selection.from);
      } else if (current.value >= items.length || current.value < 0) {
        current.value = items.length > 0 ? Math.max(0, Math.min(current.value, items.length - 1)) : -1;
      }
    });
  }

  watch(editor, (instance) => {
    if (!instance) return;
    scheduleOutline(instance, { textChanged: true, followCaret: false });
    // 'update' is a change of the text; a caret that only moved needs no new outline.
    instance.on('update', ({ transaction }) => scheduleOutline(instance, { textChanged: true, followCaret: !isRemote(transaction) }));
    instance.on('selectionUpdate', ({ transaction }) => {
      if (!isRemote(transaction)) scheduleOutline(instance, { textChanged: false, followCaret: true });
    });
  });

  function headingElement(item: OutlineItem): HTMLElement | null {
    const instance = editor.value;
    if (!instance || instance.isDestroyed) return null;
    const dom = instance.view.nodeDOM(item.pos);
    return dom instanceof HTMLElement ? dom : null;
  }

  function endJump(): void {
    jumping = false;
    clearTimeout(jumpTimer);
  }

  function startJump(): void {
    jumping = true;
    clearTimeout(jumpTimer);
    jumpTimer = setTimeout(endJump, JUMP_TIMEOUT_MS);
  }

  function onScroll(): void {
    if (jumping) return;
    cancelAnimationFrame(scrollFrame);
    scrollFrame = requestAnimationFrame(() => {
      const container = scroller.value;
      if (!container) return;
      const line = container.getBoundingClientRect().top + READING_LINE_PX;
      let index = outline.value.length > 0 ? 0 : -1;
      outline.value.forEach((item, i) => {
        const el = headingElement(item);
        if (el && el.getBoundingClientRect().top <= line) index = i;
      });
      current.value = index;
    });
  }

  function jump(index: number): void {
    const instance = editor.value;
    const item = outline.value[index];
    if (!instance || !item) return;
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    startJump();
    scroller.value?.addEventListener('scrollend', endJump, { once: true });
    headingElement(item)?.scrollIntoView({ block: 'start', behavior: reduceMotion ? 'auto' : 'smooth' });
    if (instance.isEditable) {
      const end = item.pos + 1 + instance.state.doc.nodeAt(item.pos)!.content.size;
      instance.chain().focus(undefined, { scrollIntoView: false }).setTextSelection(end).run();
    }
    current.value = index;
  }

  function reveal(index: number): void {
    const item = outline.value[index];
    const el = item ? headingElement(item) : null;
    if (!el) return;
    startJump();
    el.scrollIntoView({ block: 'start', behavior: 'auto' });
    current.value = index;
  }

  onBeforeUnmount(() => {
    cancelAnimationFrame(outlineFrame);
    outlineFrame = 0;
    cancelAnimationFrame(scrollFrame);
    clearTimeout(jumpTimer);
  });

  return { outline, current, onScroll, jump, reveal };
}

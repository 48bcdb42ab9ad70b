/**
 * Opening a document puts the caret in it, so keyboard users start writing at once —
 * unless the link pointed somewhere (a thread, a section, a fragment), a meeting is moving the view
 * to a section, or the person has already put focus elsewhere while it loaded.
 */
import { nextTick, watch, type Ref, type ShallowRef } from 'vue';
import { useRoute } from 'vue-router';
import type { Editor } from '@tiptap/vue-3';
import { useMeetingsStore } from '../stores/meetings';

export interface FocusOnOpen {
  /** The caret at the start of an editable document; focus on the text of a read-only one. */
  focusEditor(): void;
}

export function useFocusOnOpen(options: {
  documentId: string;
  editor: ShallowRef<Editor | undefined>;
  ready: Readonly<Ref<boolean>>;
  syncedOnce: Readonly<Ref<boolean>>;
}): FocusOnOpen {
  const { documentId, editor, ready, syncedOnce } = options;
  const route = useRoute();
  const meetings = useMeetingsStore();
  const cameForSomethingElse = Boolean(route.hash) || typeof route.query.thread === 'string' || typeof route.query.section === 'string';
  let focusedOnOpen = false;

  function focusEditor(): void {
    const instance = editor.value;
    if (!instance || instance.isDestroyed) return;
    if (instance.isEditable) instance.commands.focus('start', { scrollIntoView: false });
    else instance.view.dom.focus({ preventScroll: true });
  }

  watch(
    [editor, ready, syncedOnce],
    ([instance, isReady, synced]) => {
      if (!instance || !isReady || focusedOnOpen) return;
      // An empty copy on this device is not the document yet: a caret placed in it would
      // end up somewhere else once the server's text arrives.
      if (!synced && instance.isEmpty) return;
      focusedOnOpen = true;
      if (cameForSomethingElse || meetings.scrollTarget?.documentId === documentId) return;
      const active = document.activeElement;
      if (active && active !== document.body && active.id !== 'main') return;
      void nextTick(focusEditor);
    },
    { immediate: true },
  );

  return { focusEditor };
}

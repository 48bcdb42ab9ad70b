/**
 * A link to a thread (`/d/:id?thread=…`, e.g. from a notification): once the document's
 * threads are loaded, the thread is shown in the comments panel, and its passage is
 * scrolled to once the text is there. A thread that no longer exists is said so.
 */
import { computed, nextTick, ref, watch, type Ref } from 'vue';
import { useRoute } from 'vue-router';
import { useCommentsStore } from '../../stores/comments';
import type { PassageRange } from './anchors';

export interface LinkedThreadOptions {
  /** Brings the comments panel into view. */
  showComments(): void;
  /** Shows the thread in the panel; false when there is no such thread. */
  showThread(threadId: string): Promise<boolean>;
  /** Where each thread's passage is now (from useEditorComments). */
  placements: Readonly<Ref<Record<string, PassageRange | null>>>;
  ready: Readonly<Ref<boolean>>;
  revealPassage(threadId: string): void;
}

export function useLinkedThread(options: LinkedThreadOptions): { linkedThreadGone: Ref<boolean> } {
  const route = useRoute();
  const comments = useCommentsStore();
  const linkedThread = computed(() => (typeof route.query.thread === 'string' ? route.query.thread : null));
  const linkedThreadGone = ref(false);
  let handledLink: string | null = null;
  let revealPending: string | null = null;

  watch(
    [linkedThread, () => comments.loaded],
    async ([threadId, loaded]) => {
      if (threadId !== handledLink) linkedThreadGone.value = false;
      if (!threadId || !loaded || threadId === handledLink) return;
      handledLink = threadId;
      options.showComments();
      await nextTick();
      if (!(await options.showThread(threadId))) {
        linkedThreadGone.value = true;
        return;
      }
      comments.setActive(threadId);
      revealPending = threadId;
    },
    { immediate: true },
  );

  watch([options.placements, options.ready], ([placements, isReady]) => {
    if (!revealPending || !isReady || !(revealPending in placements)) return;
    options.revealPassage(revealPending);
    revealPending = null;
  });

  return { linkedThreadGone };
}

/**
 * The open document's threads on its page: followed live while the page is open (the
 * comments store), the comments panel brought forward when a thread is opened from the
 * text or a new one is started, open threads counted per section for the outline, and
 * the editor's comment notices cleared after a while.
 */
import { computed, onBeforeUnmount, watch, type ComputedRef, type Ref } from 'vue';
import { useCommentsStore } from '../../stores/comments';
import { headingIndexAt, type OutlineItem } from '../outline';
import type { EditorComments } from './useEditorComments';

/** How long a notice such as "select some text first" stays. */
const NOTICE_MS = 8000;

export interface DocumentThreads {
  /** Open threads per outline section (by where each passage starts now). */
  sectionThreadCounts: ComputedRef<number[]>;
  /** Starts a thread on the section at `index` of the outline. */
  commentOnSection(index: number): void;
  /** A highlight in the text was activated: that thread, in the comments panel. */
  openThreadFromText(threadId: string): void;
}

export function useDocumentThreads(options: {
  documentId: string;
  workspaceId: string;
  editorComments: EditorComments;
  outline: Readonly<Ref<OutlineItem[]>>;
  showComments(): void;
}): DocumentThreads {
  const { editorComments, outline, showComments } = options;
  const comments = useCommentsStore();

  comments.watchDocument(options.documentId, options.workspaceId);
  onBeforeUnmount(() => comments.unwatchDocument());

  function openThreadFromText(threadId: string): void {
    comments.setActive(threadId);
    showComments();
  }

  watch(
    () => comments.draft,
    (draft) => {
      if (draft) showComments();
    },
  );

  function commentOnSection(index: number): void {
    const item = outline.value[index];
    if (item) editorComments.commentOnSection(item.pos);
  }

  const sectionThreadCounts = computed(() => {
    const counts = outline.value.map(() => 0);
    for (const thread of comments.openThreads) {
      const range = editorComments.placements.value[thread.id];
      if (!range) continue;
      const index = headingIndexAt(outline.value, range.from);
      if (index >= 0) counts[index]!++;
    }
    return counts;
  });

  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  watch(editorComments.notice, (notice) => {
    clearTimeout(noticeTimer);
    if (notice) noticeTimer = setTimeout(() => (editorComments.notice.value = ''), NOTICE_MS);
  });
  onBeforeUnmount(() => clearTimeout(noticeTimer));

  return { sectionThreadCounts, commentOnSection, openThreadFromText };
}

/**
 * A meeting moving this page to a section of this document — following the chair, or an
 * agenda item's link: the section (by id) is brought into view once the outline has it.
 */
import { watch, type Ref } from 'vue';
import { useMeetingsStore } from '../stores/meetings';
import type { OutlineItem } from './outline';

export function useMeetingFollow(documentId: string, outline: Readonly<Ref<OutlineItem[]>>, reveal: (index: number) => void): void {
  const meetings = useMeetingsStore();
  watch(
    [() => meetings.scrollTarget, outline],
    ([target]) => {
      if (!target || target.documentId !== documentId) return;
      // By id; by title only for a target that has none (a record from before section ids).
      const index = target.sectionId ? outline.value.findIndex((item) => item.sectionId === target.sectionId) : outline.value.findIndex((item) => item.text === target.sectionTitle);
      if (index < 0) return; // not loaded yet, or no such heading: the next outline tries again
      meetings.scrollTarget = null;
      reveal(index);
    },
    { immediate: true },
  );
}

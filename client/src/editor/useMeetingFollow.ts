/**
 * A meeting moving this page to a section of this document — following the chair, or an
 * agenda item's link: the section is brought into view once the outline has it.
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
      const index = outline.value.findIndex((item) => item.text === target.sectionTitle);
      if (index < 0) return; // not loaded yet, or no such heading: the next outline tries again
      meetings.scrollTarget = null;
      reveal(index);
    },
    { immediate: true },
  );
}

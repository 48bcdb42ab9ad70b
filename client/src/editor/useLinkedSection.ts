/**
 * A link to a section (`/d/:id?section=…`, from a notification, the home page, the
 * workspace's progress or the minutes' agenda): once the outline has the section, it is
 * brought into view, the caret put at the end of its heading (when editable). A section
 * whose heading is gone is said so.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { useRoute } from 'vue-router';
import type { OutlineItem } from './outline';

export function useLinkedSection(options: {
  outline: Readonly<Ref<OutlineItem[]>>;
  /** The text is there and synced: a missing heading is really missing. */
  synced: Readonly<Ref<boolean>>;
  jump(index: number): void;
}): { linkedSectionGone: Ref<boolean> } {
  const route = useRoute();
  const linked = computed(() => (typeof route.query.section === 'string' ? route.query.section : null));
  const linkedSectionGone = ref(false);
  let handled: string | null = null;

  watch(
    [linked, options.outline, options.synced],
    ([sectionId, outline, synced]) => {
      if (sectionId !== handled) linkedSectionGone.value = false;
      if (!sectionId || sectionId === handled) return;
      const index = outline.findIndex((item) => item.sectionId === sectionId);
      if (index >= 0) {
        handled = sectionId;
        options.jump(index);
      } else if (synced && outline.length > 0) {
        handled = sectionId;
        linkedSectionGone.value = true;
      }
    },
    { immediate: true },
  );

  return { linkedSectionGone };
}

/**
 * The current width of an element, in CSS pixels (0 until it is mounted). Layouts that
 * depend on the room a component actually has — not on the window, which side panels
 * outside it share — read this instead of a media query.
 */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useElementWidth(element: Ref<HTMLElement | null>): Readonly<Ref<number>> {
  const width = ref(0);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    const target = element.value;
    if (!target) return;
    width.value = target.getBoundingClientRect().width;
    observer = new ResizeObserver(([entry]) => {
      if (entry) width.value = entry.contentRect.width;
    });
    observer.observe(target);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return width;
}

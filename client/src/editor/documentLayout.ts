/**
 * How the document page shares its width between the outline, the editor and the side
 * panel (comments, people). The editor never gets less than {@link EDITOR_MIN_WIDTH}
 * while there is room for it: on a laptop with the meeting panel open the page is only
 * ~960 px wide, so first the side panel and then the outline give way.
 *
 * - wide (≥ outline + editor + side): three columns; the person may collapse the outline
 *   to a narrow rail (remembered on this device).
 * - medium: outline and editor; the side panel opens over the editor as a drawer.
 * - narrow (< outline + editor): the outline is a rail too, and opens as a drawer.
 *
 * Drawers are not modal: Escape closes them and gives focus back to their toggle.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { useElementWidth } from '../util/useElementWidth';
import { useStoredFlag } from '../util/storedFlag';

export const EDITOR_MIN_WIDTH = 640;
export const OUTLINE_WIDTH = 240;
/** The outline folded to its toggle button (`--outline-rail` in the page's CSS). */
export const OUTLINE_RAIL_WIDTH = 48;
export const SIDE_WIDTH = 320;

export interface DocumentLayout {
  /** The side panel is a drawer (not a column); `sideOpen` says whether it is showing. */
  sideAsDrawer: Readonly<Ref<boolean>>;
  sideOpen: Ref<boolean>;
  /** The outline is a drawer (not a column); `outlineOpen` says whether it is showing. */
  outlineAsDrawer: Readonly<Ref<boolean>>;
  /** The outline's list is showing (as a column or as an open drawer). */
  outlineShown: Readonly<Ref<boolean>>;
  /** Class names for the page root. */
  classes: Readonly<Ref<Record<string, boolean>>>;
  toggleOutline(): void;
  closeOutlineDrawer(): void;
  /** Shows the side panel (a no-op where it is a column). */
  showSide(): void;
  toggleSide(): void;
}

/** Which panels give way to the editor at a page width (0: not measured yet, so none). */
export function panelsAsDrawers(width: number): { sideAsDrawer: boolean; outlineAsDrawer: boolean } {
  const measured = width > 0;
  return {
    sideAsDrawer: measured && width < OUTLINE_WIDTH + EDITOR_MIN_WIDTH + SIDE_WIDTH,
    outlineAsDrawer: measured && width < OUTLINE_WIDTH + EDITOR_MIN_WIDTH,
  };
}

/** The layout of the document page element `root`, following its width. */
export function useDocumentLayout(root: Ref<HTMLElement | null>): DocumentLayout {
  return documentLayoutFor(useElementWidth(root));
}

/** The layout for a page whose width is `width` (a ref, so it follows resizes). */
export function documentLayoutFor(width: Readonly<Ref<number>>): DocumentLayout {
  const drawers = computed(() => panelsAsDrawers(width.value));
  const sideAsDrawer = computed(() => drawers.value.sideAsDrawer);
  const outlineAsDrawer = computed(() => drawers.value.outlineAsDrawer);

  const sideOpen = ref(false);
  const outlineDrawerOpen = ref(false);
  const outlineCollapsed = useStoredFlag('jane.outlineCollapsed', false);

  // A drawer left open while the page grows would come back unasked when it shrinks again.
  watch(sideAsDrawer, () => (sideOpen.value = false));
  watch(outlineAsDrawer, () => (outlineDrawerOpen.value = false));

  const outlineShown = computed(() => (outlineAsDrawer.value ? outlineDrawerOpen.value : !outlineCollapsed.value));

  // One drawer at a time: side by side they would cover the editor.
  function toggleOutline(): void {
    if (!outlineAsDrawer.value) {
      outlineCollapsed.value = !outlineCollapsed.value;
      return;
    }
    outlineDrawerOpen.value = !outlineDrawerOpen.value;
    if (outlineDrawerOpen.value) sideOpen.value = false;
  }

  function closeOutlineDrawer(): void {
    outlineDrawerOpen.value = false;
  }

  function showSide(): void {
    if (!sideAsDrawer.value) return;
    sideOpen.value = true;
    outlineDrawerOpen.value = false;
  }

  function toggleSide(): void {
    if (sideOpen.value) sideOpen.value = false;
    else showSide();
  }

  const classes = computed(() => ({
    'doc--side-drawer': sideAsDrawer.value,
    'doc--side-open': sideAsDrawer.value && sideOpen.value,
    'doc--outline-rail': outlineAsDrawer.value || outlineCollapsed.value,
    'doc--outline-drawer': outlineAsDrawer.value,
    'doc--outline-open': outlineShown.value,
  }));

  return { sideAsDrawer, sideOpen, outlineAsDrawer, outlineShown, classes, toggleOutline, closeOutlineDrawer, showSide, toggleSide };
}

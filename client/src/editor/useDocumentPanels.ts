/**
 * The document page's two panels beside the editor — the outline and the side panel with
 * its tabs — opened, closed and switched the way a keyboard user expects: an opened drawer
 * takes focus, a closed one gives it back to its toggle, Escape in a dialog opened from a
 * panel closes only that dialog. Where each panel goes is decided by documentLayout.ts.
 */
import { nextTick, ref, type Ref } from 'vue';
import type { DocumentLayout } from './documentLayout';

/** The side panel's tabs, in order. */
export const SIDE_TABS = ['comments', 'people', 'history'] as const;
export type SideTab = (typeof SIDE_TABS)[number];

export interface DocumentPanels {
  sideTab: Ref<SideTab>;
  /** Switches the side panel to `tab` and shows it (opening the drawer where it is one). */
  showSideTab(tab: SideTab): void;
  toggleSide(): void;
  closeSideDrawer(event: KeyboardEvent | MouseEvent): void;
  toggleOutline(): void;
  closeOutlineDrawer(): void;
}

const focusById = (id: string) => document.getElementById(id)?.focus();

export function useDocumentPanels(layout: DocumentLayout): DocumentPanels {
  const sideTab = ref<SideTab>('comments');

  function showSideTab(tab: SideTab): void {
    sideTab.value = tab;
    layout.showSide();
  }

  function toggleSide(): void {
    layout.toggleSide();
    if (layout.sideOpen.value) void nextTick(() => focusById(`side-tab-${sideTab.value}`));
  }

  function closeSideDrawer(event: KeyboardEvent | MouseEvent): void {
    if (!layout.sideAsDrawer.value || !layout.sideOpen.value) return;
    // Escape in a dialog opened from the panel closes that dialog only.
    if (event.target instanceof Element && event.target.closest('dialog')) return;
    layout.sideOpen.value = false;
    void nextTick(() => focusById('side-toggle'));
  }

  function toggleOutline(): void {
    const opening = !layout.outlineShown.value;
    layout.toggleOutline();
    void nextTick(() => {
      // An opened drawer takes focus; otherwise the toggle keeps it (it stays in place).
      if (opening && layout.outlineAsDrawer.value) document.querySelector<HTMLElement>('#document-outline a, #document-outline button')?.focus();
      else focusById('outline-toggle');
    });
  }

  function closeOutlineDrawer(): void {
    if (!layout.outlineAsDrawer.value || !layout.outlineShown.value) return;
    layout.closeOutlineDrawer();
    focusById('outline-toggle');
  }

  return { sideTab, showSideTab, toggleSide, closeSideDrawer, toggleOutline, closeOutlineDrawer };
}

import { describe, expect, it } from 'vitest';
import { effectScope, nextTick, ref } from 'vue';
import { EDITOR_MIN_WIDTH, OUTLINE_RAIL_WIDTH, OUTLINE_WIDTH, SIDE_WIDTH, documentLayoutFor, panelsAsDrawers } from './documentLayout';

/** The editor's width at a page width, with the panels the layout keeps as columns. */
function editorWidth(width: number): number {
  const { sideAsDrawer, outlineAsDrawer } = panelsAsDrawers(width);
  return width - (outlineAsDrawer ? OUTLINE_RAIL_WIDTH : OUTLINE_WIDTH) - (sideAsDrawer ? 0 : SIDE_WIDTH);
}

describe('document page layout', () => {
  it('shows outline, editor and side panel side by side on a wide screen', () => {
    expect(panelsAsDrawers(1920)).toEqual({ sideAsDrawer: false, outlineAsDrawer: false });
    expect(panelsAsDrawers(OUTLINE_WIDTH + EDITOR_MIN_WIDTH + SIDE_WIDTH)).toEqual({ sideAsDrawer: false, outlineAsDrawer: false });
  });

  it('turns the side panel into a drawer on a laptop with the meeting panel open (about 960 px left)', () => {
    expect(panelsAsDrawers(960)).toEqual({ sideAsDrawer: true, outlineAsDrawer: false });
  });

  it('folds the outline to a rail as well when even outline and editor do not fit', () => {
    expect(panelsAsDrawers(800)).toEqual({ sideAsDrawer: true, outlineAsDrawer: true });
  });

  it('keeps every panel in place until the page has been measured', () => {
    expect(panelsAsDrawers(0)).toEqual({ sideAsDrawer: false, outlineAsDrawer: false });
  });

  it(`never leaves the editor under ${EDITOR_MIN_WIDTH} px while the page has room for it`, () => {
    for (let width = EDITOR_MIN_WIDTH + OUTLINE_RAIL_WIDTH; width <= 2560; width++) {
      expect(editorWidth(width), `at ${width} px`).toBeGreaterThanOrEqual(EDITOR_MIN_WIDTH);
    }
  });

  /** The layout of a page `initial` px wide, and a way to resize it. */
  function page(initial: number) {
    const width = ref(initial);
    const scope = effectScope();
    const layout = scope.run(() => documentLayoutFor(width))!;
    return { layout, width, stop: () => scope.stop() };
  }

  it('shows one drawer at a time: opening the outline closes the side panel, and back', () => {
    const { layout, stop } = page(800);
    layout.showSide();
    expect(layout.sideOpen.value).toBe(true);
    layout.toggleOutline();
    expect(layout.outlineShown.value).toBe(true);
    expect(layout.sideOpen.value).toBe(false);
    layout.toggleSide();
    expect(layout.sideOpen.value).toBe(true);
    expect(layout.outlineShown.value).toBe(false);
    stop();
  });

  it('does not bring back a drawer left open once the page grew and shrank again', async () => {
    const { layout, width, stop } = page(960);
    layout.showSide();
    expect(layout.classes.value['doc--side-open']).toBe(true);
    width.value = 1600;
    await nextTick();
    width.value = 960;
    await nextTick();
    expect(layout.sideOpen.value).toBe(false);
    stop();
  });

  it('folds a column outline to a rail and unfolds it, without drawers', () => {
    const { layout, stop } = page(1600);
    expect(layout.outlineShown.value).toBe(true);
    layout.toggleOutline();
    expect(layout.outlineShown.value).toBe(false);
    expect(layout.classes.value['doc--outline-rail']).toBe(true);
    expect(layout.classes.value['doc--outline-drawer']).toBe(false);
    layout.toggleOutline();
    expect(layout.outlineShown.value).toBe(true);
    stop();
  });

  it('never opens the side panel as a drawer where it is a column', () => {
    const { layout, stop } = page(1600);
    layout.showSide();
    expect(layout.sideOpen.value).toBe(false);
    expect(layout.classes.value['doc--side-drawer']).toBe(false);
    stop();
  });
});

/**
 * Other people's carets and selections, drawn in a layer above the text, and this tab's
 * own caret sent to them.
 *
 * Tiptap's CollaborationCaret (y-tiptap's cursor plugin) draws carets as decorations
 * inside the text: every colleague's caret move is an editor transaction that runs every
 * plugin and walks the decorations of the whole draft, and changes the text's own DOM. In
 * a meeting of 20 carets at 2 Hz that is 40 such passes a second while nobody types. It
 * also redraws after our own caret moves and re-sends our unchanged caret after every
 * remote keystroke.
 *
 * Here a caret move changes nothing in the editor: the carets are elements of a layer
 * beside the text (`.collaboration-carets`), placed once per animation frame at the
 * coordinates of their position, and only the carets whose awareness changed are placed
 * again; after an edit only those it can have moved (see `afterEdit`), after a resize
 * all. Carets
 * and selections in blocks far outside the window are not measured (that would lay out
 * text the browser skips, see `content-visibility` in editor.css) until scrolling brings
 * them near. The awareness format is y-tiptap's (`cursor: { anchor, head }` as Yjs
 * relative positions), so stock y-tiptap clients and ours see each other's carets.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessChanges } from '../collab/ownAwarenessOnly';
import { changedRange } from './incrementalSync';

/** Blocks this far outside the window (px) are not measured; scrolling brings them in. */
const MEASURED_MARGIN = 600;
/** How long a colleague's name stays over their caret after they last moved or typed. */
const NAME_SHOWN_MS = 4000;
/** A caret nearer the top of the text than this (px) has its name below it, not cut off above. */
const LABEL_ROOM = 22;
const VALID_COLOR = /^#[0-9a-fA-F]{6}$/;

interface RemoteCursor {
  name: string;
  color: string;
  anchor: unknown;
  head: unknown;
}

/** The caret a colleague's awareness state describes, or null (no caret, or not well formed). */
function remoteCursorOf(state: unknown): RemoteCursor | null {
  if (typeof state !== 'object' || state === null) return null;
  const { cursor, user } = state as { cursor?: unknown; user?: unknown };
  if (typeof cursor !== 'object' || cursor === null) return null;
  const { anchor, head } = cursor as { anchor?: unknown; head?: unknown };
  if (typeof anchor !== 'object' || anchor === null || typeof head !== 'object' || head === null) return null;
  const { name, color } = (typeof user === 'object' && user !== null ? user : {}) as { name?: unknown; color?: unknown };
  return {
    name: typeof name === 'string' ? name : '',
    color: typeof color === 'string' && VALID_COLOR.test(color) ? color : '#ffa500',
    anchor,
    head,
  };
}

/** A box relative to the layer, in px. */
interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What one frame found for one colleague: `caret` null when it is not measured (far away). */
interface Placement {
  id: number;
  drawnFrom: string;
  cursor: RemoteCursor;
  anchor: number;
  head: number;
  caret: Box | null;
  boxes: Box[];
  /** Their position is not in this text (yet): no caret. */
  unresolved: boolean;
  /** They moved or typed (their awareness changed), not only the page around them. */
  moved: boolean;
}

interface DrawnCaret {
  /** The awareness state last drawn (its JSON): unchanged means nothing to redraw. */
  drawnFrom: string;
  /** Where it was placed, in the current document (kept up to date across edits). */
  anchor: number;
  head: number;
  /** An edit touched its position: it is resolved from Yjs again. */
  resolve: boolean;
  /** An edit before it may have moved it on the page: it is measured again. */
  measure: boolean;
  caret: HTMLElement;
  label: HTMLElement;
  selection: HTMLElement[];
  /** Hides the name again (see showName). */
  nameTimer: ReturnType<typeof setTimeout> | undefined;
}

type YSyncState = {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> } | null;
  snapshot: unknown;
  prevSnapshot: unknown;
};

const ySyncState = (state: EditorState) => ySyncPluginKey.getState(state) as YSyncState | undefined;

/** What an element's inline style was last set to here (reading `style` back normalises colours). */
const written = new WeakMap<HTMLElement, Map<string, string>>();

function setStyle(element: HTMLElement, property: 'backgroundColor' | 'borderColor' | 'transform' | 'width' | 'height', value: string): void {
  let values = written.get(element);
  if (!values) written.set(element, (values = new Map()));
  if (values.get(property) === value) return;
  values.set(property, value);
  element.style[property] = value;
}

class CaretLayer {
  private readonly layer: HTMLElement;
  private readonly drawn = new Map<number, DrawnCaret>();
  private readonly changed = new Set<number>();
  private everything = true;
  private frame = 0;
  /** Some caret or selection was left unmeasured (far off-screen): scrolling places it. */
  private waitingForScroll = false;
  private readonly resizes: ResizeObserver | null;

  constructor(
    private readonly view: EditorView,
    private readonly awareness: Awareness,
  ) {
    this.layer = document.createElement('div');
    this.layer.className = 'collaboration-carets';
    this.layer.setAttribute('aria-hidden', 'true');
    this.attach();
    awareness.on('change', this.onAwareness);
    view.dom.addEventListener('focusin', this.onFocus);
    view.dom.addEventListener('focusout', this.onFocus);
    window.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    this.resizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(this.onResize);
    this.resizes?.observe(view.dom);
    this.placeAllSoon();
  }

  update(previous: EditorState): void {
    this.sendOwnCaret(previous);
    if (this.view.state.doc !== previous.doc) this.afterEdit(previous.doc);
  }

  /**
   * After an edit (anyone's): carets in the blocks before the change stay as they are;
   * those after it keep their place in the text (shifted by the change), measured again
   * in the changed block only — later blocks move on the page only if the text grew or
   * shrank, and then the resize observer places everything; those in the changed range
   * are resolved from Yjs again.
   */
  private afterEdit(before: EditorState['doc']): void {
    if (!this.drawn.size) return;
    const after = this.view.state.doc;
    const range = changedRange(before, after);
    if (!range) return;
    const shift = range.toB - range.toA;
    const moved = (pos: number) => (pos > range.toA ? pos + shift : pos);
    // Text before and after the change in its own block(s) can wrap differently.
    const $from = before.resolve(range.from);
    const blockStart = $from.depth > 0 ? $from.before(1) : range.from;
    const $to = after.resolve(range.toB);
    const blockEnd = $to.depth > 0 ? $to.after(1) : range.toB;
    for (const drawn of this.drawn.values()) {
      const first = Math.min(drawn.anchor, drawn.head);
      const last = Math.max(drawn.anchor, drawn.head);
      if (last < blockStart) continue;
      if (last < range.from) drawn.measure = true;
      else if (first > range.toA) {
        drawn.anchor = moved(drawn.anchor);
        drawn.head = moved(drawn.head);
        if (Math.min(drawn.anchor, drawn.head) < blockEnd) drawn.measure = true;
      } else drawn.resolve = true;
    }
    this.soon();
  }

  /** The text changed size (an edit added or removed a line, a window resize, a block rendered): all carets are placed again, before it is painted. */
  private readonly onResize = () => {
    this.everything = true;
    cancelAnimationFrame(this.frame);
    this.place();
  };

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.awareness.off('change', this.onAwareness);
    this.view.dom.removeEventListener('focusin', this.onFocus);
    this.view.dom.removeEventListener('focusout', this.onFocus);
    window.removeEventListener('scroll', this.onScroll, { capture: true });
    this.resizes?.disconnect();
    for (const drawn of this.drawn.values()) clearTimeout(drawn.nameTimer);
    this.layer.remove();
    if (this.awareness.getLocalState()?.cursor != null) this.awareness.setLocalStateField('cursor', null);
  }

  /** The layer sits just before the text, in the element the editor is mounted in. */
  private attach(): void {
    const parent = this.view.dom.parentNode;
    if (parent && this.layer.parentNode !== parent) parent.insertBefore(this.layer, this.view.dom);
  }

  private readonly onAwareness = (changes: AwarenessChanges) => {
    const own = this.awareness.clientID;
    let others = false;
    for (const id of [...changes.added, ...changes.updated, ...changes.removed]) {
      if (id === own) continue;
      this.changed.add(id);
      others = true;
    }
    if (others) this.soon();
  };

  private readonly onFocus = () => this.sendOwnCaret(null);

  private readonly onScroll = () => {
    if (this.waitingForScroll) this.placeAllSoon();
  };

  private placeAllSoon(): void {
    this.everything = true;
    this.soon();
  }

  private soon(): void {
    if (!this.frame) this.frame = requestAnimationFrame(this.place);
  }

  /**
   * Our caret, as relative positions, when the editor has focus and it moved; none when
   * the editor lost focus. A colleague's edit moves nothing relative to the text, so it
   * sends nothing (the positions compare equal); an undo that moves the caret does.
   * `previous` null: focus changed.
   */
  private sendOwnCaret(previous: EditorState | null): void {
    const { state } = this.view;
    const ystate = ySyncState(state);
    if (!ystate?.binding) return;
    const current = this.awareness.getLocalState()?.cursor as { anchor: unknown; head: unknown } | null | undefined;
    if (!this.view.hasFocus()) {
      if (current != null) this.awareness.setLocalStateField('cursor', null);
      return;
    }
    if (previous && current != null && previous.selection.eq(state.selection) && previous.doc === state.doc) return;
    const mapping = ystate.binding.mapping as Parameters<typeof absolutePositionToRelativePosition>[2];
    const anchor = absolutePositionToRelativePosition(state.selection.anchor, ystate.type, mapping);
    const head = absolutePositionToRelativePosition(state.selection.head, ystate.type, mapping);
    if (
      current != null &&
      Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.anchor), anchor) &&
      Y.compareRelativePositions(Y.createRelativePositionFromJSON(current.head), head)
    ) {
      return;
    }
    this.awareness.setLocalStateField('cursor', { anchor, head });
  }

  /**
   * Places the carets that need it: everything is measured first, then written, so the
   * browser lays the page out once per frame, not once per caret.
   */
  private readonly place = () => {
    this.frame = 0;
    if (this.view.isDestroyed) return;
    const everything = this.everything;
    this.everything = false;
    const changed = new Set(this.changed);
    this.changed.clear();
    this.attach();

    const ystate = ySyncState(this.view.state);
    // No carets over a version being shown, or before the text is there.
    const showing = ystate?.binding && ystate.snapshot == null && ystate.prevSnapshot == null && ystate.binding.mapping.size > 0;
    const states = this.awareness.getStates();
    const own = this.awareness.clientID;
    for (const id of [...this.drawn.keys()]) {
      if (!showing || id === own || !remoteCursorOf(states.get(id))) this.remove(id);
    }
    if (!showing || !ystate) return;
    if (everything) this.waitingForScroll = false;

    const placements: Placement[] = [];
    const mapping = ystate.binding!.mapping as Parameters<typeof relativePositionToAbsolutePosition>[3];
    const max = Math.max(this.view.state.doc.content.size - 1, 0);
    let origin: DOMRect | null = null;
    for (const [id, state] of states) {
      if (id === own) continue;
      const cursor = remoteCursorOf(state);
      if (!cursor) continue;
      const drawnFrom = JSON.stringify(state);
      const existing = this.drawn.get(id);
      const resolve = !existing || existing.resolve || (changed.has(id) && existing.drawnFrom !== drawnFrom);
      if (!resolve && !everything && !existing.measure) continue;
      let anchor: number | null = existing?.anchor ?? null;
      let head: number | null = existing?.head ?? null;
      if (resolve) {
        try {
          anchor = relativePositionToAbsolutePosition(ystate.doc, ystate.type, Y.createRelativePositionFromJSON(cursor.anchor), mapping);
          head = relativePositionToAbsolutePosition(ystate.doc, ystate.type, Y.createRelativePositionFromJSON(cursor.head), mapping);
        } catch {
          anchor = head = null; // a malformed position from a colleague's browser: no caret for it
        }
      }
      if (anchor === null || head === null) {
        placements.push({ id, drawnFrom, cursor, anchor: 0, head: 0, caret: null, boxes: [], unresolved: true, moved: false });
        continue;
      }
      anchor = Math.min(anchor, max);
      head = Math.min(head, max);
      origin ??= this.layer.getBoundingClientRect();
      const from = Math.min(anchor, head);
      const to = Math.max(anchor, head);
      const moved = !existing || existing.drawnFrom !== drawnFrom;
      placements.push({ id, drawnFrom, cursor, anchor, head, caret: this.measureCaret(head, origin), boxes: from < to ? this.measureSelection(from, to, origin) : [], unresolved: false, moved });
    }

    for (const placement of placements) this.write(placement);
  };

  /** Where the caret at `head` goes, relative to the layer; null when it is not measured. */
  private measureCaret(head: number, origin: DOMRect): Box | null {
    if (this.farAway(head)) {
      this.waitingForScroll = true;
      return null;
    }
    try {
      const coords = this.view.coordsAtPos(head);
      return { left: coords.left - origin.left, top: coords.top - origin.top, width: 0, height: Math.max(coords.bottom - coords.top, 1) };
    } catch {
      return null;
    }
  }

  /** A colleague's selection: one box per line of text it covers, in the blocks near the window. */
  private measureSelection(from: number, to: number, origin: DOMRect): Box[] {
    const boxes: Box[] = [];
    this.view.state.doc.nodesBetween(from, to, (node, pos) => {
      if (!node.isTextblock) return true;
      if (this.farAway(pos + 1)) {
        this.waitingForScroll = true;
        return false;
      }
      const start = Math.max(from, pos + 1);
      const end = Math.min(to, pos + node.nodeSize - 1);
      const block = this.view.nodeDOM(pos);
      if (start < end && block) boxes.push(...this.lineBoxes(block, start, end, origin));
      return false;
    });
    return boxes;
  }

  private write({ id, drawnFrom, cursor, anchor, head, caret, boxes, unresolved, moved }: Placement): void {
    if (unresolved) {
      this.remove(id);
      return;
    }
    const drawn = this.drawn.get(id) ?? this.create(id);
    Object.assign(drawn, { drawnFrom, anchor, head, resolve: false, measure: false });
    if (moved) this.showName(drawn);
    // Only what differs is written: an unchanged style is still a change to the page.
    if (drawn.label.textContent !== cursor.name) drawn.label.textContent = cursor.name;
    setStyle(drawn.label, 'backgroundColor', cursor.color);
    setStyle(drawn.caret, 'borderColor', cursor.color);
    if (drawn.caret.hidden !== (caret === null)) drawn.caret.hidden = caret === null;
    if (caret) {
      setStyle(drawn.caret, 'transform', `translate(${caret.left}px, ${caret.top}px)`);
      setStyle(drawn.caret, 'height', `${caret.height}px`);
      const below = caret.top < LABEL_ROOM;
      if (drawn.caret.classList.contains('collaboration-carets__caret--label-below') !== below) drawn.caret.classList.toggle('collaboration-carets__caret--label-below', below);
    }
    while (drawn.selection.length > boxes.length) drawn.selection.pop()!.remove();
    while (drawn.selection.length < boxes.length) {
      const box = document.createElement('span');
      box.className = 'collaboration-carets__selection';
      this.layer.insertBefore(box, this.layer.firstChild);
      drawn.selection.push(box);
    }
    boxes.forEach((rect, i) => {
      const box = drawn.selection[i]!;
      setStyle(box, 'backgroundColor', `${cursor.color}40`);
      setStyle(box, 'transform', `translate(${rect.left}px, ${rect.top}px)`);
      setStyle(box, 'width', `${rect.width}px`);
      setStyle(box, 'height', `${rect.height}px`);
    });
  }

  private create(id: number): DrawnCaret {
    const caret = document.createElement('span');
    caret.className = 'collaboration-carets__caret';
    const label = document.createElement('span');
    label.className = 'collaboration-carets__label';
    caret.append(label);
    this.layer.append(caret);
    const drawn: DrawnCaret = { drawnFrom: '', anchor: 0, head: 0, resolve: true, measure: true, caret, label, selection: [], nameTimer: undefined };
    this.drawn.set(id, drawn);
    return drawn;
  }

  /**
   * A name shows while its person moves or types, and for {@link NAME_SHOWN_MS} after:
   * twenty names standing over the text in a meeting would hide it. The caret stays.
   */
  private showName(drawn: DrawnCaret): void {
    clearTimeout(drawn.nameTimer);
    if (!drawn.caret.classList.contains('collaboration-carets__caret--named')) drawn.caret.classList.add('collaboration-carets__caret--named');
    drawn.nameTimer = setTimeout(() => drawn.caret.classList.remove('collaboration-carets__caret--named'), NAME_SHOWN_MS);
  }

  private remove(id: number): void {
    const drawn = this.drawn.get(id);
    if (!drawn) return;
    clearTimeout(drawn.nameTimer);
    drawn.caret.remove();
    for (const rect of drawn.selection) rect.remove();
    this.drawn.delete(id);
  }

  /** The top-level block at `pos`, if it is far outside the window (then it is not measured). */
  private farAway(pos: number): boolean {
    const $pos = this.view.state.doc.resolve(pos);
    if ($pos.depth === 0) return false;
    const block = this.view.nodeDOM($pos.before(1));
    if (!(block instanceof HTMLElement)) return false;
    const rect = block.getBoundingClientRect();
    return rect.bottom < -MEASURED_MARGIN || rect.top > window.innerHeight + MEASURED_MARGIN;
  }

  /**
   * The boxes the text between two positions of one text block covers, relative to the
   * layer: text node by text node (a range's own boxes would include those of the marks'
   * elements too, tinting their text twice).
   */
  private lineBoxes(block: Node, from: number, to: number, origin: DOMRect): Box[] {
    const boxes: Box[] = [];
    try {
      const start = this.view.domAtPos(from);
      const end = this.view.domAtPos(to);
      const range = document.createRange();
      range.setStart(start.node, start.offset);
      range.setEnd(end.node, end.offset);
      const texts = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
      for (let text = texts.nextNode(); text; text = texts.nextNode()) {
        if (!range.intersectsNode(text) || text.parentElement?.closest('[contenteditable="false"]')) continue;
        const part = document.createRange();
        part.selectNodeContents(text);
        if (range.compareBoundaryPoints(Range.START_TO_START, part) > 0) part.setStart(range.startContainer, range.startOffset);
        if (range.compareBoundaryPoints(Range.END_TO_END, part) < 0) part.setEnd(range.endContainer, range.endOffset);
        for (const rect of part.getClientRects()) {
          if (rect.width < 0.5 || rect.height < 0.5) continue;
          boxes.push({ left: rect.left - origin.left, top: rect.top - origin.top, width: rect.width, height: rect.height });
        }
      }
    } catch {
      // Positions the view cannot map to its DOM (it is being rebuilt): no boxes this frame.
    }
    return boxes;
  }
}

export interface RemoteCaretsOptions {
  awareness: Awareness | null;
}

const remoteCaretsKey = new PluginKey('remoteCarets');

export const RemoteCarets = Extension.create<RemoteCaretsOptions>({
  name: 'remoteCarets',

  addOptions() {
    return { awareness: null };
  },

  addProseMirrorPlugins() {
    const awareness = this.options.awareness;
    if (!awareness) return [];
    return [
      new Plugin({
        key: remoteCaretsKey,
        view: (view) => {
          const layer = new CaretLayer(view, awareness);
          return { update: (_view, previous) => layer.update(previous), destroy: () => layer.destroy() };
        },
      }),
    ];
  },
});

/**
 * Other people's carets, drawn at most once per frame and only when someone else moved.
 *
 * Tiptap's CollaborationCaret (y-tiptap's cursor plugin) redraws every caret after every
 * awareness change — our own caret moving as we type included, which it never draws —
 * one extra editor transaction each, scheduled for a later task, so the redraw lands a
 * frame late. After every remote edit it also sends our caret again even when it has
 * not moved, so in a meeting each keystroke of one person made everyone send their
 * caret to everyone.
 *
 * {@link caretAwareness} is the awareness the caret plugin is given: reads go to the real
 * one, an unchanged caret is not sent again, and its change listeners are not called.
 * {@link RemoteCarets} does the redrawing instead: when other people's awareness changed,
 * once in the next animation frame (before it is painted), as one transaction. A remote
 * edit still redraws the carets at once (the caret plugin does that itself), so carets
 * stay on the text that moved; a local change that splits or joins blocks makes the
 * caret plugin drop them all, and they are drawn again in the next frame.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { DecorationSet } from '@tiptap/pm/view';
import { yCursorPluginKey } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessChanges } from '../collab/ownAwarenessOnly';

type Listener = (...args: unknown[]) => void;

/** What the caret plugin reads of the awareness it is given. */
export type CaretAwareness = Pick<Awareness, 'clientID' | 'states' | 'getStates' | 'getLocalState' | 'setLocalStateField' | 'on' | 'off'>;

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The awareness handed to CollaborationCaret (see the module comment). */
export function caretAwareness(awareness: Awareness): CaretAwareness {
  return {
    clientID: awareness.clientID,
    get states() {
      return awareness.states;
    },
    getStates: () => awareness.getStates(),
    getLocalState: () => awareness.getLocalState(),
    setLocalStateField(field: string, value: unknown) {
      if (field === 'cursor' && sameJson(awareness.getLocalState()?.cursor, value)) return;
      awareness.setLocalStateField(field, value);
    },
    // Redrawing on change is RemoteCarets' job; CollaborationCaret's list of users
    // (its 'update' listener) is not used here.
    on: (_event: string, _listener: Listener) => {},
    off: (_event: string, _listener: Listener) => {},
  } as CaretAwareness;
}

export interface RemoteCaretsOptions {
  awareness: Awareness | null;
}

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
        key: new PluginKey('remoteCarets'),
        view: (view) => {
          let frame = 0;
          const redraw = () => {
            frame = 0;
            if (view.isDestroyed) return;
            view.dispatch(view.state.tr.setMeta(yCursorPluginKey, { awarenessUpdated: true }));
          };
          const redrawSoon = () => {
            if (!frame) frame = requestAnimationFrame(redraw);
          };
          const others = (id: number) => id !== awareness.clientID;
          const onChange = (changes: AwarenessChanges) => {
            if (changes.added.some(others) || changes.updated.some(others) || changes.removed.some(others)) redrawSoon();
          };
          awareness.on('change', onChange);
          return {
            update: (_view, previous) => {
              const carets = yCursorPluginKey.getState(view.state) as DecorationSet | undefined;
              if (carets === DecorationSet.empty && yCursorPluginKey.getState(previous) !== carets) redrawSoon();
            },
            destroy: () => {
              awareness.off('change', onChange);
              cancelAnimationFrame(frame);
            },
          };
        },
      }),
    ];
  },
});

/**
 * The Tiptap editor of the document page, bound to the collaboration session's Y.Doc:
 * the shared schema, collaboration (the text and everyone's named carets; remote changes
 * applied incrementally), the caret guard, comment highlights and the locks on agreed sections. It is editable only for people who may edit, once the
 * document's text is there and while nothing is wrong with the connection.
 */
import { computed, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue';
import { useEditor, type Editor } from '@tiptap/vue-3';
import Collaboration from '@tiptap/extension-collaboration';
import { DOCUMENT_FIELD } from '@jane/shared/core';
import { editorExtensions } from '@jane/shared/editor';
import type { CollabDoc } from '../collab/useCollabDoc';
import { KeepCaretInPlace } from './keepCaretInPlace';
import { IncrementalSync } from './incrementalSync';
import { RemoteCarets } from './remoteCarets';
import { CommentHighlights } from './comments/commentHighlights';
import { SectionLocks, sectionLocksKey } from './sections/sectionLocks';
import { t } from '../i18n';

export interface DocumentEditorOptions {
  collab: CollabDoc;
  canEdit: Readonly<Ref<boolean>>;
  /** A comment highlight in the text was activated. */
  onOpenThread(threadId: string): void;
  /** Ctrl+K (or ⌘K) in an editable document. */
  onLinkShortcut(): void;
  /** Agreed sections this person may not change (read on every local change). */
  lockedSections: Readonly<Ref<ReadonlySet<string>>>;
  /** A local change was not applied: it touched a locked section. */
  onLockedEdit(): void;
}

export interface DocumentEditor {
  editor: ShallowRef<Editor | undefined>;
  /** Content is there (from this device or the server): typing before that would land in an empty page. */
  ready: ComputedRef<boolean>;
  editable: ComputedRef<boolean>;
}

/**
 * @tiptap/vue-3 makes `editor.state` and `editor.storage` reactive by requesting two
 * animation frames after every transaction — a colleague's keystroke or caret move
 * included — and each such frame is a rendering pass over the whole draft. Nothing on
 * the page renders from them (the toolbar listens to transactions), so plain holders
 * replace them: `editor.state` and `editor.storage` still read the current values.
 */
function withoutReactiveState(instance: Editor): void {
  const holders = instance as unknown as { reactiveState: { value: unknown } | null; reactiveExtensionStorage: { value: unknown } | null };
  if (holders.reactiveState) holders.reactiveState = { value: holders.reactiveState.value };
  if (holders.reactiveExtensionStorage) holders.reactiveExtensionStorage = { value: holders.reactiveExtensionStorage.value };
}

/** Node views drawn with plain DOM, which need nothing from the page's components. */
const DOM_NODE_VIEWS: ReadonlySet<string> = new Set(['table']);

/**
 * @tiptap/vue-3's `EditorContent`, once mounted, calls `createNodeViews()` so that Vue
 * node views get the page's component context. Ours (the table's) are plain DOM and were
 * given to ProseMirror when the view was created; Tiptap builds the node-view functions
 * anew on every call, and ProseMirror, seeing new functions, throws away the rendered
 * draft and renders it again — 1,000 blocks of a 50-page draft, about half of the
 * editor's share of opening the page (e2e reopen.spec.ts "drawn once"). A node view of
 * another kind (a Vue component) keeps Tiptap's behaviour.
 */
function withoutSecondRender(instance: Editor): void {
  if (Object.keys(instance.extensionManager.nodeViews).some((name) => !DOM_NODE_VIEWS.has(name))) return;
  instance.createNodeViews = () => undefined;
}

export function useDocumentEditor({ collab, canEdit, onOpenThread, onLinkShortcut, lockedSections, onLockedEdit }: DocumentEditorOptions): DocumentEditor {
  const ready = computed(() => collab.loadedLocally.value || collab.syncedOnce.value);
  const editable = computed(() => canEdit.value && collab.problem.value === null && ready.value);

  const editor = useEditor({
    extensions: [
      ...editorExtensions(),
      Collaboration.configure({ document: collab.doc, field: DOCUMENT_FIELD }),
      IncrementalSync,
      RemoteCarets.configure({ awareness: collab.provider.awareness }),
      KeepCaretInPlace,
      CommentHighlights.configure({ onOpen: (threadId) => onOpenThread(threadId) }),
      SectionLocks.configure({ isLocked: (id) => lockedSections.value.has(id), onRefused: onLockedEdit, label: t('section.lockedBadge') }),
    ],
    editable: editable.value,
    // Tiptap's `delete` core extension diffs every transaction on a timer to emit
    // "delete" events (up to 1–2 ms after a keystroke in a 50-page draft); nothing here
    // listens to them.
    enableCoreExtensions: { delete: false },
    editorProps: {
      attributes: () => ({
        id: 'document-editor',
        class: 'document-text',
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': t('document.editorLabel'),
        'aria-readonly': editable.value ? 'false' : 'true',
        // Read-only text is not contenteditable, so not focusable by itself: readers still
        // need to reach it with the keyboard (and the "Skip to editor" link needs a target).
        ...(editable.value ? {} : { tabindex: '0' }),
        spellcheck: 'true',
      }),
      handleKeyDown: (_view, event) => {
        if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k' && editable.value) {
          event.preventDefault();
          onLinkShortcut();
          return true;
        }
        return false;
      },
    },
  });

  watch(
    editor,
    (instance) => {
      if (!instance) return;
      performance.mark('jane:editor-created');
      withoutReactiveState(instance);
      withoutSecondRender(instance);
    },
    { flush: 'sync' },
  );
  watch(editable, (value) => editor.value?.setEditable(value));
  // The locks changed (a section agreed or reopened): redraw them.
  watch(lockedSections, () => {
    const view = editor.value?.view;
    if (view) view.dispatch(view.state.tr.setMeta(sectionLocksKey, true));
  });

  return { editor, ready, editable };
}

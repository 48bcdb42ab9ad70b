/**
 * Comment threads of the open document, kept live: the document is watched over the
 * realtime socket (`document:watch`, again after every reconnect), and `thread:changed`
 * / `thread:removed` keep the list current. Changes go through REST; their answers are
 * applied at once, and the same change comes back as an event (applied idempotently).
 * Only plain data lives here — the editor and its Y.Doc stay in the document page.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { Member, ThreadAnchor, ThreadView } from '@jane/shared/core';
import { api } from '../api';
import { realtimeSocket, request } from '../realtime/socket';
import { subscribeRealtime } from '../realtime/subscribeRealtime';

/** The passage (or section) a new thread is being written for. */
export interface DraftThread {
  anchor: ThreadAnchor;
  /** The section it belongs to (by id) and its title now (a label). */
  sectionId: string | null;
  sectionTitle: string | null;
}

export const useCommentsStore = defineStore('comments', () => {
  const documentId = ref<string | null>(null);
  const threads = ref<ThreadView[]>([]);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  /** Members of the document's workspace (mention suggestions). */
  const members = ref<Member[]>([]);
  const activeThreadId = ref<string | null>(null);
  const draft = ref<DraftThread | null>(null);

  const openThreads = computed(() => threads.value.filter((thread) => thread.status === 'open'));

  let stopWatching: (() => void) | null = null;
  /** Set once the socket has answered for this document: its snapshot beats a slower REST answer. */
  let socketSnapshot = false;

  function upsert(thread: ThreadView): void {
    if (thread.documentId !== documentId.value) return;
    const index = threads.value.findIndex((t) => t.id === thread.id);
    if (index === -1) threads.value = [...threads.value, thread];
    else threads.value = threads.value.map((t, i) => (i === index ? thread : t));
  }

  function removeThread(threadId: string): void {
    threads.value = threads.value.filter((t) => t.id !== threadId);
    if (activeThreadId.value === threadId) activeThreadId.value = null;
  }

  /** Starts following the threads of a document (and loads its workspace's members). */
  function watchDocument(docId: string, workspaceId: string): void {
    unwatchDocument();
    documentId.value = docId;
    socketSnapshot = false;

    void api
      .documentThreads(docId)
      .then((response) => {
        if (documentId.value !== docId || socketSnapshot) return;
        threads.value = response.threads;
        loaded.value = true;
        loadError.value = null;
      })
      .catch((error: unknown) => {
        if (documentId.value !== docId || loaded.value) return;
        loadError.value = error instanceof Error ? error.message : String(error);
      });

    stopWatching = subscribeRealtime(
      {
        'thread:changed': (event) => {
          if (event.documentId === documentId.value) upsert(event.thread);
        },
        'thread:removed': (event) => {
          if (event.documentId === documentId.value) removeThread(event.threadId);
        },
      },
      () => {
        // After a reconnect the server has forgotten what we watched: ask again, and take
        // its answer as the truth (events may have been missed while disconnected).
        request('document:watch', { documentId: docId })
          .then((response) => {
            if (documentId.value !== docId) return;
            socketSnapshot = true;
            threads.value = response.threads;
            loaded.value = true;
            loadError.value = null;
          })
          .catch(() => {
            // The REST answer (or the next reconnect) covers it; access problems show on the page.
          });
      },
    );

    void api
      .workspace(workspaceId)
      .then((response) => {
        if (documentId.value === docId) members.value = response.workspace.members;
      })
      .catch(() => {
        // Without members there are no mention suggestions; everything else works.
      });
  }

  function unwatchDocument(): void {
    const previous = documentId.value;
    stopWatching?.();
    stopWatching = null;
    // No answer needed: after a reconnect the server has forgotten it anyway.
    if (previous) realtimeSocket().emit('document:unwatch', { documentId: previous });
    documentId.value = null;
    threads.value = [];
    members.value = [];
    loaded.value = false;
    loadError.value = null;
    activeThreadId.value = null;
    draft.value = null;
  }

  function setActive(threadId: string | null): void {
    activeThreadId.value = threadId;
  }

  function startDraft(value: DraftThread): void {
    draft.value = value;
    activeThreadId.value = null;
  }

  function cancelDraft(): void {
    draft.value = null;
  }

  /* --------------------------------------------------------------- changes (REST) */

  async function createThread(body: string): Promise<ThreadView> {
    const docId = documentId.value;
    const pending = draft.value;
    if (!docId || !pending) throw new Error('No passage chosen');
    const response = await api.createThread(docId, { anchor: pending.anchor, sectionId: pending.sectionId, sectionTitle: pending.sectionTitle, body });
    upsert(response.thread);
    if (draft.value === pending) draft.value = null;
    activeThreadId.value = response.thread.id;
    return response.thread;
  }

  async function reply(threadId: string, body: string): Promise<void> {
    upsert((await api.reply(threadId, body)).thread);
  }

  async function editComment(commentId: string, body: string): Promise<void> {
    upsert((await api.editComment(commentId, body)).thread);
  }

  /** Deletes a comment; the thread goes when nothing is left in it. */
  async function deleteComment(threadId: string, commentId: string): Promise<void> {
    const { thread } = await api.deleteComment(commentId);
    if (thread) upsert(thread);
    else removeThread(threadId);
  }

  async function setResolved(threadId: string, resolved: boolean): Promise<void> {
    upsert((await api.setThreadResolved(threadId, resolved)).thread);
  }

  return {
    documentId,
    threads,
    openThreads,
    loaded,
    loadError,
    members,
    activeThreadId,
    draft,
    watchDocument,
    unwatchDocument,
    setActive,
    startDraft,
    cancelDraft,
    createThread,
    reply,
    editComment,
    deleteComment,
    setResolved,
  };
});

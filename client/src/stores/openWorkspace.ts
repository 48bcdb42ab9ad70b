/**
 * The workspace open on the workspace page: its detail (members with their roles), its
 * documents, and the changes made to them from that page — creating, renaming and
 * archiving documents, adding members, changing their roles, removing them. Every change
 * goes to the server first and is applied from its answer. Errors are thrown to the
 * caller, which shows them where the person acted. Plain data only.
 *
 * Section progress per document comes from its own request, started with the documents
 * but never awaited by them (the list shows without it, and its failure is kept apart),
 * and is fetched again on `sections:changed` while the documents list follows it.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CreateDocumentRequest, DocumentMeta, ImportDocumentResponse, Member, Role, SectionProgressView, WorkspaceAbilities } from '@jane/shared/core';
import { api, type WorkspaceResponse } from '../api';
import { subscribeRealtime } from '../realtime/subscribeRealtime';

const NO_ABILITIES: WorkspaceAbilities = { createDocuments: false, comment: false, manageMembers: false, runMeetings: false, agreeSections: false };

const byName = (a: Member, b: Member) => a.name.localeCompare(b.name);

/** A chair setting owners and statuses one after another sends a burst of events: fetch once after it. */
const PROGRESS_DEBOUNCE_MS = 300;

export const useOpenWorkspaceStore = defineStore('openWorkspace', () => {
  const workspaceId = ref<string | null>(null);
  const detail = ref<WorkspaceResponse | null>(null);
  const documents = ref<DocumentMeta[]>([]);
  /** Section progress by document id (archived documents and unloaded progress: absent). */
  const progress = ref<Record<string, SectionProgressView>>({});
  const progressLoaded = ref(false);
  const progressFailed = ref(false);

  const workspace = computed(() => detail.value?.workspace ?? null);
  const members = computed(() => workspace.value?.members ?? []);
  /** What the person may do here (the page shows only these actions). */
  const abilities = computed(() => detail.value?.abilities ?? NO_ABILITIES);
  const myRole = computed(() => detail.value?.myRole ?? null);

  /** Loads a workspace and its documents (what was shown before is dropped at once). */
  async function load(id: string): Promise<void> {
    workspaceId.value = id;
    detail.value = null;
    documents.value = [];
    progress.value = {};
    progressLoaded.value = false;
    progressFailed.value = false;
    void loadProgress();
    const [workspaceResponse, documentsResponse] = await Promise.all([api.workspace(id), api.documents(id)]);
    // Another workspace was opened while this one loaded.
    if (workspaceId.value !== id) return;
    detail.value = workspaceResponse;
    documents.value = documentsResponse.documents;
  }

  /* ------------------------------------------------------------ section progress */

  /** Only the answer to the latest request is applied (an older one may arrive after it). */
  let progressRequest = 0;

  /** Fetches the progress of the open workspace's documents; a failure is kept in `progressFailed`, never thrown. */
  async function loadProgress(): Promise<void> {
    const id = workspaceId.value;
    if (!id) return;
    const request = ++progressRequest;
    try {
      const response = await api.sectionProgress(id);
      if (request !== progressRequest || workspaceId.value !== id) return;
      progress.value = Object.fromEntries(response.documents.map((p) => [p.documentId, p]));
      progressLoaded.value = true;
      progressFailed.value = false;
    } catch {
      if (request !== progressRequest || workspaceId.value !== id) return;
      progressFailed.value = true;
    }
  }

  /**
   * Keeps the progress current until the returned stop is called: fetched again (once
   * per burst) when a section of this workspace changes, and after every reconnect
   * (events may have been missed while disconnected).
   */
  function followProgress(): () => void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const refreshSoon = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        void loadProgress();
      }, PROGRESS_DEBOUNCE_MS);
    };
    // The socket may be connected already: the load that came with the documents covers that.
    let subscribing = true;
    const unsubscribe = subscribeRealtime(
      {
        'sections:changed': (event) => {
          if (event.workspaceId === workspaceId.value) refreshSoon();
        },
      },
      () => {
        if (!subscribing) refreshSoon();
      },
    );
    subscribing = false;
    return () => {
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }

  function requireId(): string {
    if (!workspaceId.value) throw new Error('No workspace is open');
    return workspaceId.value;
  }

  /* ------------------------------------------------------------ documents */

  function replaceDocument(updated: DocumentMeta): DocumentMeta {
    documents.value = documents.value.map((d) => (d.id === updated.id ? updated : d));
    return updated;
  }

  async function createDocument(body: CreateDocumentRequest): Promise<DocumentMeta> {
    const { document } = await api.createDocument(requireId(), body);
    if (document.workspaceId === workspaceId.value) documents.value = [...documents.value, document];
    // A template brings its sections.
    void loadProgress();
    return document;
  }

  /** A new document from a file; answers it with the report of what the file held that the document does not. */
  async function importDocument(file: File, title?: string): Promise<ImportDocumentResponse> {
    const answer = await api.importDocument(requireId(), file, title);
    if (answer.document.workspaceId === workspaceId.value) documents.value = [...documents.value, answer.document];
    void loadProgress();
    return answer;
  }

  async function renameDocument(documentId: string, title: string): Promise<DocumentMeta> {
    return replaceDocument((await api.updateDocument(documentId, { title })).document);
  }

  /** Archives a document, or restores an archived one. */
  async function setArchived(documentId: string, archived: boolean): Promise<DocumentMeta> {
    const updated = replaceDocument((await api.updateDocument(documentId, { archived })).document);
    // Archived documents have no progress; a restored one has it again.
    void loadProgress();
    return updated;
  }

  /* ------------------------------------------------------------ members */

  function setMembers(list: Member[]): void {
    if (!detail.value) return;
    const sorted = [...list].sort(byName);
    detail.value = { ...detail.value, workspace: { ...detail.value.workspace, members: sorted, memberCount: sorted.length } };
  }

  function upsertMember(member: Member): Member {
    setMembers([...members.value.filter((m) => m.id !== member.id), member]);
    return member;
  }

  async function addMember(userId: string, role: Role): Promise<Member> {
    return upsertMember((await api.setMember(requireId(), userId, role)).member);
  }

  async function changeRole(member: Member, role: Role): Promise<Member> {
    try {
      return upsertMember((await api.setMember(requireId(), member.id, role)).member);
    } catch (error) {
      // The role picker already shows the refused role: a fresh copy of the member puts
      // the role they still have back in it.
      upsertMember({ ...member });
      throw error;
    }
  }

  async function removeMember(member: Member): Promise<void> {
    await api.removeMember(requireId(), member.id);
    setMembers(members.value.filter((m) => m.id !== member.id));
  }

  return {
    workspaceId,
    detail,
    documents,
    progress,
    progressLoaded,
    progressFailed,
    workspace,
    members,
    abilities,
    myRole,
    load,
    loadProgress,
    followProgress,
    createDocument,
    importDocument,
    renameDocument,
    setArchived,
    addMember,
    changeRole,
    removeMember,
  };
});

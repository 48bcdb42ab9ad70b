/**
 * The workspace open on the workspace page: its detail (members with their roles), its
 * documents, and the changes made to them from that page — creating, renaming and
 * archiving documents, adding members, changing their roles, removing them. Every change
 * goes to the server first and is applied from its answer. Errors are thrown to the
 * caller, which shows them where the person acted. Plain data only.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CreateDocumentRequest, DocumentMeta, Member, Role, WorkspaceAbilities } from '@jane/shared/core';
import { api, type WorkspaceResponse } from '../api';

const NO_ABILITIES: WorkspaceAbilities = { createDocuments: false, comment: false, manageMembers: false, runMeetings: false };

const byName = (a: Member, b: Member) => a.name.localeCompare(b.name);

export const useOpenWorkspaceStore = defineStore('openWorkspace', () => {
  const workspaceId = ref<string | null>(null);
  const detail = ref<WorkspaceResponse | null>(null);
  const documents = ref<DocumentMeta[]>([]);

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
    const [workspaceResponse, documentsResponse] = await Promise.all([api.workspace(id), api.documents(id)]);
    // Another workspace was opened while this one loaded.
    if (workspaceId.value !== id) return;
    detail.value = workspaceResponse;
    documents.value = documentsResponse.documents;
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
    return document;
  }

  async function renameDocument(documentId: string, title: string): Promise<DocumentMeta> {
    return replaceDocument((await api.updateDocument(documentId, { title })).document);
  }

  /** Archives a document, or restores an archived one. */
  async function setArchived(documentId: string, archived: boolean): Promise<DocumentMeta> {
    return replaceDocument((await api.updateDocument(documentId, { archived })).document);
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
    workspace,
    members,
    abilities,
    myRole,
    load,
    createDocument,
    renameDocument,
    setArchived,
    addMember,
    changeRole,
    removeMember,
  };
});

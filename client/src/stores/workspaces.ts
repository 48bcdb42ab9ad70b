/** The workspaces the signed-in person can see (home page cards, admin lists, pickers). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { WorkspaceSummary } from '@jane/shared/core';
import { api } from '../api';

export const useWorkspacesStore = defineStore('workspaces', () => {
  const list = ref<WorkspaceSummary[]>([]);
  const loaded = ref(false);

  async function load(): Promise<WorkspaceSummary[]> {
    const response = await api.workspaces();
    list.value = response.workspaces;
    loaded.value = true;
    return list.value;
  }

  function titleOf(workspaceId: string): string {
    return list.value.find((w) => w.id === workspaceId)?.title ?? workspaceId;
  }

  function clear(): void {
    list.value = [];
    loaded.value = false;
  }

  return { list, loaded, load, titleOf, clear };
});

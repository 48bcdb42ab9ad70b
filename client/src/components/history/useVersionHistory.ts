/**
 * A document's version history for the History tab: the versions (newest first), the
 * changes shown (since my last visit, or from a version to now), naming and restoring.
 */
import { ref, type Ref } from 'vue';
import type { ChangesView, VersionView } from '@jane/shared/core';
import { api } from '../../api';

/** What the shown changes compare: since this person's last visit, or a version with now. */
export type Comparison = { kind: 'last-visit' } | { kind: 'version'; version: VersionView };

export interface VersionHistory {
  versions: Ref<VersionView[]>;
  loading: Ref<boolean>;
  loadError: Ref<unknown>;
  comparison: Ref<Comparison | null>;
  changes: Ref<ChangesView | null>;
  loadingChanges: Ref<boolean>;
  changesError: Ref<unknown>;
  load(): Promise<void>;
  compare(comparison: Comparison): Promise<void>;
  closeChanges(): void;
  /** Names the document as it is now; throws the server's error. */
  name(name: string, note: string): Promise<VersionView>;
  /** Restores a whole version; throws the server's error. */
  restore(version: VersionView): Promise<boolean>;
}

export function useVersionHistory(documentId: string): VersionHistory {
  const versions = ref<VersionView[]>([]);
  const loading = ref(false);
  const loadError = ref<unknown>(null);
  const comparison = ref<Comparison | null>(null);
  const changes = ref<ChangesView | null>(null);
  const loadingChanges = ref(false);
  const changesError = ref<unknown>(null);
  let loads = 0;
  let compares = 0;

  async function load(): Promise<void> {
    const mine = ++loads;
    loading.value = true;
    try {
      const response = await api.versions(documentId);
      if (mine !== loads) return;
      versions.value = response.versions;
      loadError.value = null;
    } catch (error) {
      if (mine === loads) loadError.value = error;
    } finally {
      if (mine === loads) loading.value = false;
    }
  }

  async function compare(next: Comparison): Promise<void> {
    const mine = ++compares;
    comparison.value = next;
    changes.value = null;
    changesError.value = null;
    loadingChanges.value = true;
    try {
      const answer = await api.changes(documentId, next.kind === 'last-visit' ? 'last-visit' : next.version.id, 'current');
      if (mine === compares) changes.value = answer;
    } catch (error) {
      if (mine === compares) changesError.value = error;
    } finally {
      if (mine === compares) loadingChanges.value = false;
    }
  }

  function closeChanges(): void {
    compares++;
    comparison.value = null;
    changes.value = null;
    changesError.value = null;
    loadingChanges.value = false;
  }

  async function name(versionName: string, note: string): Promise<VersionView> {
    const { version } = await api.createVersion(documentId, { name: versionName, note: note.trim() === '' ? null : note });
    await load();
    return version;
  }

  async function restore(version: VersionView): Promise<boolean> {
    const { changed } = await api.restoreVersion(documentId, version.id);
    await load();
    // What is shown compared with "now", and now has changed.
    if (comparison.value) void compare(comparison.value);
    return changed;
  }

  return { versions, loading, loadError, comparison, changes, loadingChanges, changesError, load, compare, closeChanges, name, restore };
}

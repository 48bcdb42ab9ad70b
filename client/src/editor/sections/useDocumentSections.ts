/**
 * The open document's sections as units of work: owner, status and what this person may
 * do with each (from GET /api/documents/:id/sections), live — fetched again when
 * `sections:changed` says someone changed one, after a reconnect, and when the outline
 * has a heading the list does not know yet (a new section). Which sections are locked
 * for this person (agreed, and they may not change agreed text) feeds the editor.
 */
import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue';
import type { SectionView, UpdateSectionRequest } from '@jane/shared/core';
import { api, errorMessage } from '../../api';
import { subscribeRealtime } from '../../realtime/subscribeRealtime';
import type { OutlineItem } from '../outline';

/** A burst of changes (a chair setting several owners) is fetched once. */
const REFRESH_DELAY_MS = 150;
/** A heading just typed gets its id from the server shortly after: asked for again only then. */
const NEW_HEADING_DELAY_MS = 1_500;

export interface DocumentSections {
  sections: Ref<SectionView[]>;
  byId: ComputedRef<Map<string, SectionView>>;
  loaded: Ref<boolean>;
  loadError: Ref<string | null>;
  /** Agreed sections this person may not change. */
  locked: ComputedRef<ReadonlySet<string>>;
  update(sectionId: string, change: UpdateSectionRequest): Promise<SectionView>;
  refresh(): void;
}

export function useDocumentSections(documentId: string, outline: Readonly<Ref<OutlineItem[]>>): DocumentSections {
  const sections = ref<SectionView[]>([]);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  const byId = computed(() => new Map(sections.value.map((s) => [s.id, s])));
  const locked = computed<ReadonlySet<string>>(() => new Set(sections.value.filter((s) => s.status === 'agreed' && !s.abilities.editAgreed).map((s) => s.id)));

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    try {
      const response = await api.sections(documentId);
      if (mine !== generation) return; // a later answer is on its way
      sections.value = response.sections;
      loaded.value = true;
      loadError.value = null;
    } catch (e) {
      if (mine === generation) loadError.value = errorMessage(e);
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  function refresh(delay = REFRESH_DELAY_MS): void {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), delay);
  }

  const stop = subscribeRealtime(
    {
      'sections:changed': (event) => {
        if (event.documentId === documentId) refresh();
      },
    },
    () => refresh(0),
  );
  void load();

  // A section the list does not know (typed, pasted or split just now).
  watch(outline, (items) => {
    if (!loaded.value) return;
    if (items.some((item) => item.sectionId && !byId.value.has(item.sectionId))) refresh(NEW_HEADING_DELAY_MS);
  });

  async function update(sectionId: string, change: UpdateSectionRequest): Promise<SectionView> {
    const { section } = await api.updateSection(documentId, sectionId, change);
    sections.value = sections.value.map((s) => (s.id === section.id ? section : s));
    return section;
  }

  onBeforeUnmount(() => {
    clearTimeout(timer);
    stop();
  });

  return { sections, byId, loaded, loadError, locked, update, refresh: () => refresh(0) };
}

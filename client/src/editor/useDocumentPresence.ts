/**
 * Tells the workspace where this person is: in this document, and in the section they
 * are in (the caret's heading while typing, otherwise the heading at the top of the view).
 */
import { watch, type Ref } from 'vue';
import { usePresenceStore } from '../stores/presence';

/** The server keeps at most this much of a section title. */
const MAX_SECTION_TITLE = 300;

export function useDocumentPresence(workspaceId: string, documentId: string, sectionTitle: Readonly<Ref<string | null>>): void {
  const presence = usePresenceStore();
  presence.setLocation({ workspaceId, documentId, sectionTitle: null });
  watch(sectionTitle, (title) => presence.setSection(documentId, title ? title.slice(0, MAX_SECTION_TITLE) : null));
}

/**
 * Tells the workspace where this person is: in this document, and in the section they
 * are in (the caret's heading while typing, otherwise the heading at the top of the view)
 * — by id, with its title as a label.
 */
import { watch, type Ref } from 'vue';
import { usePresenceStore } from '../stores/presence';

/** The server keeps at most this much of a section title. */
const MAX_SECTION_TITLE = 300;

export function useDocumentPresence(workspaceId: string, documentId: string, section: Readonly<Ref<{ id: string | null; title: string | null }>>): void {
  const presence = usePresenceStore();
  presence.setLocation({ workspaceId, documentId, sectionId: null, sectionTitle: null });
  watch(section, ({ id, title }) => presence.setSection(documentId, { id, title: title ? title.slice(0, MAX_SECTION_TITLE) : null }));
}

/**
 * The editor schema shared by the client (editing) and the server (export): one list of
 * Tiptap extensions. The client adds collaboration (Collaboration, and its own remote carets) on top.
 */
import { Extension, type Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { isSafeHref } from './safeHref.js';

export { isSafeHref } from './safeHref.js';

/**
 * A heading's `sectionId` (see sections.ts): kept in the document, rendered as
 * `data-section-id`, and not copied onto the new half when a heading is split — that one
 * gets a fresh id from the server.
 */
const SectionIds = Extension.create({
  name: 'sectionIds',
  addGlobalAttributes() {
    return [
      {
        types: ['heading'],
        attributes: {
          sectionId: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element: HTMLElement) => element.getAttribute('data-section-id'),
            renderHTML: (attributes: Record<string, unknown>) => (typeof attributes.sectionId === 'string' ? { 'data-section-id': attributes.sectionId } : {}),
          },
        },
      },
    ];
  },
});

export function editorExtensions(): Extensions {
  return [
    StarterKit.configure({
      // Yjs brings its own undo (per user, through the Collaboration extension).
      undoRedo: false,
      heading: { levels: [1, 2, 3, 4] },
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['mailto'],
        isAllowedUri: (url) => isSafeHref(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TableKit.configure({ table: { resizable: false } }),
    SectionIds,
  ];
}

/**
 * The editor schema shared by the client (editing) and the server (export): one list of
 * Tiptap extensions. The client adds Collaboration and CollaborationCaret on top.
 */
import type { Extensions } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { isSafeHref } from './safeHref.js';

export { isSafeHref } from './safeHref.js';

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
  ];
}

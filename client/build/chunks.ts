/**
 * How the build groups modules into files (rolldown `output.codeSplitting`, set in
 * vite.config.ts).
 *
 * Left to itself, the bundler makes a file of every set of modules that a different set of
 * pages shares — on the document page that was 30 scripts, a dozen of them under 1 KiB,
 * each costing about 1 KiB of response headers and a request. The groups:
 *
 * - `shell`: what every page runs before it shows anything — Vue, the router, Pinia, the
 *   messages, the API client, the session: what the entry imports. It joins the entry.
 *   (Highest priority, so Vue stays here although Tiptap's Vue binding imports it.)
 * - `editor`: Yjs, its providers, Tiptap and ProseMirror, for the document page. Apart
 *   from the page's own code, so a deploy that changes only our code leaves it cached.
 * - `signed-in`: what every signed-in page shows at first paint — the realtime session
 *   (socket.io), presence, the meeting layer and banner, the user menu, the
 *   notifications — and the small components and stores the pages share. The sign-in
 *   page does not load it.
 * - `forms`: the error alert and form field, which the sign-in page shows too.
 *
 * Everything else (each page, and the parts a page loads only when they are opened: the
 * History tab, the meeting panel, dialogs — util/lazyComponent.ts) stays in chunks of its
 * own, which Vite does not preload with the page. A module missing from the lists below
 * still works: it only ends up in a small file of its own, one more request. The
 * bundler's helper module (rolldown-runtime, 0.2 kB) cannot be grouped.
 */
import type { Rolldown } from 'vite';

const EDITOR = [/\/node_modules\/(yjs|lib0|y-protocols|y-websocket|y-indexeddb|@tiptap|prosemirror-[a-z-]+|linkifyjs|orderedmap|rope-sequence|w3c-keyname)\//];

/**
 * Listed module by module, without their imports: `@jane/shared/core` re-exports the
 * section and template helpers that use Yjs, and taking the imports along would put
 * Yjs on every signed-in page.
 */
const SIGNED_IN = [
  /\/node_modules\/(socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io\/component-emitter)\//,
  // (not the stores of one page: the document's comments, the open workspace)
  /\/client\/src\/(stores\/(?!comments\.ts|openWorkspace\.ts)|realtime\/|util\/)/,
  /\/client\/src\/collab\/identity\.ts$/,
  /\/client\/src\/components\/(SignedInLayer|UserMenu|ModalDialog|RelativeTime|PersonAvatar|PersonRow|CountryFlag)\.vue/,
  /\/client\/src\/components\/notifications\/NotificationBell\.vue/,
  /\/client\/src\/components\/presence\/(HidePresenceToggle|ActivityStatus|PresenceLocation)\.vue/,
  /\/client\/src\/components\/meetings\/(MeetingLayer\.vue|MeetingBanner\.vue|meetingFormat\.ts|projectorView\.ts)/,
  /\/client\/src\/components\/sections\/SectionStatusChip\.vue/,
  /\/client\/src\/components\/comments\/(CommentBody\.vue|commentText\.ts)/,
  /\/shared\/src\/(core\.ts|domain\/|policy\/|protocol\/|editor\/safeHref\.ts)/,
];

/** Nearly every page shows these, the sign-in page too: one file rather than two. */
const FORMS = [/\/client\/src\/components\/(ErrorAlert|FormField)\.vue/];

const matches = (patterns: RegExp[]) => (id: string) => patterns.some((pattern) => pattern.test(id.replaceAll('\\', '/')));

export const codeSplitting: Rolldown.CodeSplittingOptions = {
  groups: [
    { name: 'shell', tags: ['$initial'], priority: 30 },
    { name: 'editor', test: matches(EDITOR), priority: 20 },
    { name: 'signed-in', test: matches(SIGNED_IN), priority: 10, includeDependenciesRecursively: false },
    { name: 'forms', test: matches(FORMS), priority: 5 },
  ],
};

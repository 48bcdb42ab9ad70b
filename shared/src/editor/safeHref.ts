/**
 * Links in drafts may only point to http(s) and mailto. Checked when rendering in the
 * editor and when exporting, because a `javascript:` href can arrive through Yjs or JSON
 * without ever passing the editor's input rules (Tiptap issue #3673).
 */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export function isSafeHref(href: unknown): href is string {
  if (typeof href !== 'string') return false;
  const trimmed = href.trim();
  if (!trimmed) return false;
  // Strip control characters and whitespace that browsers ignore inside a scheme ("java\tscript:").
  const normalised = trimmed.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  try {
    return ALLOWED_PROTOCOLS.has(new URL(normalised).protocol);
  } catch {
    return false;
  }
}

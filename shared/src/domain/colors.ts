/**
 * Colours that identify people (carets, avatars): distinct from each other, readable
 * with white text (WCAG AA), and `#rrggbb` — Tiptap's caret is transparent otherwise.
 */
export const USER_COLORS = [
  '#1d4ed8', // blue
  '#c2410c', // orange
  '#15803d', // green
  '#7e22ce', // purple
  '#b91c1c', // red
  '#0f766e', // teal
  '#92400e', // brown
  '#be185d', // pink
  '#4338ca', // indigo
  '#475569', // slate
] as const;

/** A stable colour per person, the same on every screen (FNV-1a hash of the id). */
export function colorForUser(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return USER_COLORS[hash % USER_COLORS.length]!;
}

import { createHash } from 'node:crypto';

/**
 * Caret colours: distinct, readable with white text, `#rrggbb` (Tiptap's caret is
 * transparent with any other format).
 */
const PALETTE = ['#1f6feb', '#c2410c', '#15803d', '#9333ea', '#b91c1c', '#0e7490', '#a16207', '#be185d', '#4d7c0f', '#6d28d9', '#0f766e', '#9f1239'];

/** A stable colour per person, the same on every screen and every visit. */
export function colorForUser(userId: string): string {
  const digest = createHash('sha256').update(userId).digest();
  return PALETTE[digest[0]! % PALETTE.length]!;
}

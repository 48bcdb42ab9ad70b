/**
 * Mentions while writing a comment: finding the "@name" being typed before the caret,
 * and the workspace members it could mean. (Turning "@Full Name" into stored tokens and
 * back is in commentText.ts.)
 */
import { foldForSearch } from './commentText';

/** An "@" and what follows it up to the caret. */
export interface MentionQuery {
  /** Index of the "@" in the text. */
  at: number;
  query: string;
}

/** At most this many suggestions are listed. */
export const MAX_SUGGESTIONS = 8;

/**
 * The mention being typed at the end of `textBeforeCaret`, or null. An "@" starts one at
 * the start of the text or after a space or an opening bracket or quote (so an email
 * address does not); it ends at a line break, a second "@", a bracket, two spaces in a
 * row, or after 40 characters.
 */
export function mentionBeingTyped(textBeforeCaret: string): MentionQuery | null {
  const match = /(?:^|[\s([{"'])@([^@\n[\]]{0,40})$/u.exec(textBeforeCaret);
  if (!match || /\s{2}|^\s/.test(match[1]!)) return null;
  const query = match[1]!;
  return { at: textBeforeCaret.length - query.length - 1, query };
}

/**
 * Members whose name matches what was typed: every typed word starts one of the name's
 * words, accents and case aside ("mul" finds "Jana Müller"). Not the writer; by name.
 */
export function mentionSuggestions<P extends { id: string; name: string }>(members: readonly P[], query: string, selfId: string | null): P[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  return members
    .filter((member) => member.id !== selfId)
    .filter((member) => {
      const nameWords = foldForSearch(member.name).split(/\s+/);
      return words.every((word) => nameWords.some((part) => part.startsWith(word)));
    })
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
}

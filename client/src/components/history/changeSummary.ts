/**
 * The changes between two points of a document as the History tab shows them: per
 * section, words inserted and deleted and by whom; each changed block as runs of text,
 * the changed runs numbered in reading order (for "Next change" / "Previous change") and
 * marked where a new author's run starts (a small name label there).
 */
import type { ChangedBlock, ChangeSegment, HistoryPerson, SectionChangesView } from '@jane/shared/core';

/** Words: runs of letters and digits, with inner apostrophes or hyphens ("l’IRCCS", "follow-up"). */
const WORD = /[\p{L}\p{N}]+(?:['’‐-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export interface ChangeRun {
  text: string;
  change: ChangeSegment['change'];
  userId: string | null;
  /** The run's place among all changed runs of the view (0-based); null for unchanged text. */
  index: number | null;
  /** A changed run whose author differs from the changed run before it in the block: name them here. */
  labelled: boolean;
}

export interface BlockChanges {
  type: string;
  level: number | null;
  runs: ChangeRun[];
}

export interface SectionSummary {
  sectionId: string | null;
  title: string;
  insertedWords: number;
  deletedWords: number;
  /** Who inserted or deleted something here, in order of first change. */
  authorIds: string[];
  blocks: BlockChanges[];
}

export interface ChangesSummary {
  sections: SectionSummary[];
  /** How many changed runs there are (the range of `ChangeRun.index`). */
  changeCount: number;
  /** Everyone who changed something, in order of first change. */
  authorIds: string[];
}

function blockRuns(block: ChangedBlock, next: () => number): BlockChanges {
  let previousAuthor: string | null = null;
  const runs = block.segments.map((segment): ChangeRun => {
    if (segment.change === null) return { text: segment.text, change: null, userId: segment.userId, index: null, labelled: false };
    const visible = segment.text.trim() !== '';
    const labelled = visible && segment.userId !== previousAuthor;
    if (visible) previousAuthor = segment.userId;
    return { text: segment.text, change: segment.change, userId: segment.userId, index: next(), labelled };
  });
  return { type: block.type, level: block.level, runs };
}

/** Summaries of the changed sections, in document order, their changes numbered throughout. */
export function summarizeChanges(sections: readonly SectionChangesView[]): ChangesSummary {
  let count = 0;
  const next = () => count++;
  const everyone: string[] = [];
  const summaries = sections.map((section): SectionSummary => {
    const authors: string[] = [];
    const note = (userId: string) => {
      if (!authors.includes(userId)) authors.push(userId);
      if (!everyone.includes(userId)) everyone.push(userId);
    };
    // Document order of first change, as the blocks read.
    for (const block of section.blocks) for (const segment of block.segments) if (segment.change !== null && segment.userId) note(segment.userId);
    for (const change of [...section.inserted, ...section.deleted]) note(change.userId);
    return {
      sectionId: section.sectionId,
      title: section.title,
      insertedWords: section.inserted.reduce((sum, change) => sum + countWords(change.text), 0),
      deletedWords: section.deleted.reduce((sum, change) => sum + countWords(change.text), 0),
      authorIds: authors,
      blocks: section.blocks.map((block) => blockRuns(block, next)),
    };
  });
  return { sections: summaries, changeCount: count, authorIds: everyone };
}

/** People by id; someone missing (an account since removed) reads as `fallback`. */
export function personLookup(people: readonly HistoryPerson[], fallback: string): (userId: string | null) => HistoryPerson {
  const byId = new Map(people.map((person) => [person.userId, person]));
  return (userId) => (userId && byId.get(userId)) || { userId: userId ?? '', name: fallback, country: '' };
}

/** "Anna Rossi (IT)": a name with the country code, as in the summary lines. */
export function shortPersonLabel(person: HistoryPerson): string {
  return person.country ? `${person.name} (${person.country})` : person.name;
}

/** The next (`+1`) or previous (`-1`) change from `current` (none yet: the first or the last), wrapping around. */
export function stepChange(current: number | null, delta: 1 | -1, count: number): number | null {
  if (count === 0) return null;
  if (current === null) return delta === 1 ? 0 : count - 1;
  return (current + delta + count) % count;
}

import { describe, expect, it } from 'vitest';
import type { SectionChangesView } from '@jane/shared/core';
import { countWords, personLookup, shortPersonLabel, stepChange, summarizeChanges } from './changeSummary';

const scope: SectionChangesView = {
  sectionId: 's-scope',
  title: 'Scope and objectives',
  inserted: [
    { text: 'adult and paediatric patients', userId: 'u-anna' },
    { text: ' follow-up', userId: 'u-bram' },
  ],
  deleted: [{ text: 'all ', userId: 'u-bram' }],
  blocks: [
    { type: 'heading', level: 2, segments: [{ text: 'Scope and objectives', change: null, userId: null }] },
    {
      type: 'paragraph',
      level: null,
      segments: [
        { text: 'For ', change: null, userId: null },
        { text: 'all ', change: 'deleted', userId: 'u-bram' },
        { text: 'adult and paediatric patients', change: 'inserted', userId: 'u-anna' },
        { text: ' with', change: null, userId: null },
        { text: ' follow-up', change: 'inserted', userId: 'u-bram' },
      ],
    },
  ],
};

const criteria: SectionChangesView = {
  sectionId: 's-criteria',
  title: 'Eligibility and selection criteria',
  inserted: [
    { text: 'Designated ', userId: 'u-anna' },
    { text: 'centres.', userId: 'u-anna' },
  ],
  deleted: [],
  blocks: [
    {
      type: 'paragraph',
      level: null,
      segments: [
        { text: 'Designated ', change: 'inserted', userId: 'u-anna' },
        { text: ' ', change: 'inserted', userId: 'u-bram' },
        { text: 'centres.', change: 'inserted', userId: 'u-anna' },
      ],
    },
  ],
};

describe('counting words', () => {
  it('counts runs of letters and digits, in any script, with inner hyphens and apostrophes', () => {
    expect(countWords('adult and paediatric patients')).toBe(4);
    expect(countWords(' follow-up, 2025; l’IRCCS — Ζωή ')).toBe(4);
    expect(countWords('   ')).toBe(0);
    expect(countWords('—')).toBe(0);
  });
});

describe('summarising the changes', () => {
  const summary = summarizeChanges([scope, criteria]);

  it('counts the words inserted and deleted per section', () => {
    expect(summary.sections.map((s) => [s.title, s.insertedWords, s.deletedWords])).toEqual([
      ['Scope and objectives', 5, 1],
      ['Eligibility and selection criteria', 2, 0],
    ]);
  });

  it('names who changed each section, in the order their changes read', () => {
    expect(summary.sections[0]!.authorIds).toEqual(['u-bram', 'u-anna']);
    expect(summary.sections[1]!.authorIds).toEqual(['u-anna', 'u-bram']);
    expect(summary.authorIds).toEqual(['u-bram', 'u-anna']);
  });

  it('numbers the changed runs in reading order across sections, not the unchanged text', () => {
    const indexes = summary.sections.flatMap((s) => s.blocks.flatMap((b) => b.runs.map((r) => r.index)));
    expect(indexes).toEqual([null, null, 0, 1, null, 2, 3, 4, 5]);
    expect(summary.changeCount).toBe(6);
  });

  it('labels a run where its author differs from the previous changed run, ignoring blank runs', () => {
    const runs = summary.sections[1]!.blocks[0]!.runs;
    expect(runs.map((r) => r.labelled)).toEqual([true, false, false]);
    const scopeRuns = summary.sections[0]!.blocks[1]!.runs;
    expect(scopeRuns.filter((r) => r.change !== null).map((r) => r.labelled)).toEqual([true, true, true]);
  });

  it('keeps the block types and heading levels', () => {
    expect(summary.sections[0]!.blocks.map((b) => [b.type, b.level])).toEqual([
      ['heading', 2],
      ['paragraph', null],
    ]);
  });

  it('is empty for no changes', () => {
    expect(summarizeChanges([])).toEqual({ sections: [], changeCount: 0, authorIds: [] });
  });
});

describe('people and stepping', () => {
  it('finds people by id, with a fallback for unknown accounts', () => {
    const find = personLookup([{ userId: 'u-anna', name: 'Anna Rossi', country: 'IT' }], 'a former member');
    expect(shortPersonLabel(find('u-anna'))).toBe('Anna Rossi (IT)');
    expect(shortPersonLabel(find('u-gone'))).toBe('a former member');
    expect(find(null).name).toBe('a former member');
  });

  it('steps to the next and previous change, wrapping around', () => {
    expect(stepChange(null, 1, 3)).toBe(0);
    expect(stepChange(null, -1, 3)).toBe(2);
    expect(stepChange(2, 1, 3)).toBe(0);
    expect(stepChange(0, -1, 3)).toBe(2);
    expect(stepChange(null, 1, 0)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_SUGGESTIONS, mentionBeingTyped, mentionSuggestions } from './mentions';

const MEMBERS = [
  { id: 'u-jana', name: 'Jana Müller' },
  { id: 'u-ana', name: 'Ana Maria Costa' },
  { id: 'u-pierre', name: 'Pierre Dubois' },
  { id: 'u-me', name: 'Marta Novak' },
];

describe('the mention being typed', () => {
  it('starts at an "@" at the start of the text or after a space or bracket', () => {
    expect(mentionBeingTyped('@Ja')).toEqual({ at: 0, query: 'Ja' });
    expect(mentionBeingTyped('Thanks @Ana M')).toEqual({ at: 7, query: 'Ana M' });
    expect(mentionBeingTyped('(cc @')).toEqual({ at: 4, query: '' });
  });

  it('is not an email address', () => {
    expect(mentionBeingTyped('write to wp9@jane')).toBeNull();
  });

  it('ends at a line break, two spaces, or a space straight after the "@"', () => {
    expect(mentionBeingTyped('@Jana\nnext line')).toBeNull();
    expect(mentionBeingTyped('@Jana  then')).toBeNull();
    expect(mentionBeingTyped('@ Jana')).toBeNull();
  });

  it('is over once the name is inserted as a stored token', () => {
    expect(mentionBeingTyped('@[u-jana] ')).toBeNull();
  });

  it('gives up after 40 characters', () => {
    expect(mentionBeingTyped(`@${'a'.repeat(40)}`)).not.toBeNull();
    expect(mentionBeingTyped(`@${'a'.repeat(41)}`)).toBeNull();
  });
});

describe('mention suggestions', () => {
  const names = (query: string) => mentionSuggestions(MEMBERS, query, 'u-me').map((m) => m.name);

  it('lists every other member by name for a bare "@", never the writer', () => {
    expect(names('')).toEqual(['Ana Maria Costa', 'Jana Müller', 'Pierre Dubois']);
  });

  it('matches the start of any word of the name, ignoring accents and case', () => {
    expect(names('mul')).toEqual(['Jana Müller']);
    expect(names('DUB')).toEqual(['Pierre Dubois']);
    expect(names('costa')).toEqual(['Ana Maria Costa']);
  });

  it('needs every typed word to match', () => {
    expect(names('ana co')).toEqual(['Ana Maria Costa']);
    expect(names('ana dubois')).toEqual([]);
  });

  it('does not match the middle of a word', () => {
    expect(names('ller')).toEqual([]);
  });

  it(`lists at most ${MAX_SUGGESTIONS}`, () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `u${i}`, name: `Member ${String(i).padStart(2, '0')}` }));
    expect(mentionSuggestions(many, 'mem', null)).toHaveLength(MAX_SUGGESTIONS);
  });
});

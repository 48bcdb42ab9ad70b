import { describe, expect, it } from 'vitest';
import { identityOf, initialsOf, peopleFromStates } from './identity';

const stamped = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  user: { id, name, color: '#1d4e89', country: 'IT', organisation: 'Istituto Superiore di Sanità', readOnly: false, ...extra },
});

describe('who is in the document (awareness identity)', () => {
  it('reads the name, colour, country and organisation the server stamped', () => {
    expect(identityOf(stamped('u1', 'Giulia Rossi'))).toEqual({
      id: 'u1',
      name: 'Giulia Rossi',
      color: '#1d4e89',
      country: 'IT',
      organisation: 'Istituto Superiore di Sanità',
      readOnly: false,
    });
  });

  it('ignores states without a stamped person (a stock client, a caret only, garbage)', () => {
    expect(identityOf(null)).toBeNull();
    expect(identityOf('user')).toBeNull();
    expect(identityOf({ cursor: { anchor: 1 } })).toBeNull();
    expect(identityOf({ user: { id: 1, name: 'x' } })).toBeNull();
    expect(identityOf({ user: { id: 'u1' } })).toBeNull();
  });

  it('never uses a colour that is not #rrggbb (the caret would be invisible or inject CSS)', () => {
    expect(identityOf(stamped('u1', 'A', { color: 'red; background: url(x)' }))!.color).toBe('#5b6b7f');
    expect(identityOf(stamped('u1', 'A', { color: '#abc' }))!.color).toBe('#5b6b7f');
  });

  it('reads a person as editing unless the server marked them read-only', () => {
    expect(identityOf(stamped('u1', 'A', { readOnly: true }))!.readOnly).toBe(true);
    expect(identityOf(stamped('u1', 'A', { readOnly: 'yes' }))!.readOnly).toBe(false);
  });

  it('lists each person once, however many tabs they have open, yourself first and then by name', () => {
    const states = new Map<number, unknown>([
      [1, stamped('u-zoe', 'Zoé Martin')],
      [2, stamped('u-me', 'Marta Novak')],
      [3, stamped('u-ana', 'Ana Costa')],
      [4, stamped('u-zoe', 'Zoé Martin')],
      [5, { cursor: null }],
    ]);
    const people = peopleFromStates(states, 'u-me');
    expect(people.map((p) => [p.name, p.isSelf, p.tabs])).toEqual([
      ['Marta Novak', true, 1],
      ['Ana Costa', false, 1],
      ['Zoé Martin', false, 2],
    ]);
  });

  it('shows someone as editing when any of their tabs can edit', () => {
    const states = new Map<number, unknown>([
      [1, stamped('u1', 'A', { readOnly: true })],
      [2, stamped('u1', 'A', { readOnly: false })],
    ]);
    expect(peopleFromStates(states, 'me')[0]!.readOnly).toBe(false);
    const reading = new Map<number, unknown>([[1, stamped('u1', 'A', { readOnly: true })]]);
    expect(peopleFromStates(reading, 'me')[0]!.readOnly).toBe(true);
  });

  it('puts the first letters of the first and last name on an avatar', () => {
    expect(initialsOf('Giulia Rossi')).toBe('GR');
    expect(initialsOf('  ana maria  costa ')).toBe('AC');
    expect(initialsOf('Zoé')).toBe('Z');
    expect(initialsOf('Élodie Ørsted')).toBe('ÉØ');
    expect(initialsOf('   ')).toBe('?');
  });
});

/**
 * Who is in a document, from awareness. The server stamps `state.user` into every
 * awareness state it relays, so names and colours shown for others are the server's,
 * never what a client claims about itself.
 */
import type { AwarenessIdentity } from '@jane/shared/core';

/** What the server stamps into each awareness state (defined once, in shared/). */
export type CollabIdentity = AwarenessIdentity;

export interface PresentPerson extends CollabIdentity {
  isSelf: boolean;
  /** Number of tabs or windows this person has open on the document. */
  tabs: number;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Reads `state.user` if it has the shape the server stamps; anything else is ignored. */
export function identityOf(state: unknown): CollabIdentity | null {
  if (typeof state !== 'object' || state === null) return null;
  const user = (state as { user?: unknown }).user;
  if (typeof user !== 'object' || user === null) return null;
  const u = user as Record<string, unknown>;
  if (typeof u.id !== 'string' || typeof u.name !== 'string') return null;
  return {
    id: u.id,
    name: u.name,
    color: typeof u.color === 'string' && HEX_COLOR.test(u.color) ? u.color : '#5b6b7f',
    country: typeof u.country === 'string' ? u.country : '',
    organisation: typeof u.organisation === 'string' ? u.organisation : '',
    readOnly: u.readOnly === true,
  };
}

/** One entry per person (several tabs fold into one), yourself first, then by name. */
export function peopleFromStates(states: Map<number, unknown>, selfId: string): PresentPerson[] {
  const byId = new Map<string, PresentPerson>();
  for (const state of states.values()) {
    const identity = identityOf(state);
    if (!identity) continue;
    const existing = byId.get(identity.id);
    if (existing) {
      existing.tabs++;
      // An editing tab wins over a read-only one for the label.
      existing.readOnly = existing.readOnly && identity.readOnly;
      continue;
    }
    byId.set(identity.id, { ...identity, isSelf: identity.id === selfId, tabs: 1 });
  }
  return [...byId.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name));
}

/** Initials for an avatar: first letters of the first and last word. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = [...words[0]!][0] ?? '';
  const last = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + last).toUpperCase();
}

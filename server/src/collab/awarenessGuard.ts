/**
 * Awareness (cursors, selections, who is here) is relayed by y-protocols without any
 * check of who sends what: a connection could update other people's entries or create
 * thousands of fake ones. This guard rewrites each incoming awareness frame:
 *
 * - a connection owns the first few awareness client ids it uses that nobody else owns;
 *   entries for ids owned by others are dropped (stock clients echo others' states, so
 *   this is normal and silent);
 * - the `user` field of every accepted state is replaced with the identity the server
 *   knows from the session, so nobody can appear as someone else;
 * - oversized states are dropped, and a frame with absurdly many entries is a violation.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AwarenessIdentity } from '@jane/shared';

export interface AwarenessLimits {
  /** Client ids one connection may own (a stock client uses one). */
  maxOwnedClients: number;
  /** Entries in one frame above which the connection is closed. */
  maxEntriesPerFrame: number;
  /** Bytes of one JSON state after stamping. */
  maxStateBytes: number;
}

export const DEFAULT_AWARENESS_LIMITS: AwarenessLimits = {
  maxOwnedClients: 4,
  maxEntriesPerFrame: 1000,
  // A caret, a selection and the stamped identity take a few hundred bytes.
  maxStateBytes: 4 * 1024,
};

/** The identity stamped into `state.user` (defined once, in shared/). */
export type { AwarenessIdentity };


export interface AwarenessOwnership {
  /** Ids this connection owns; the guard adds newly claimed ids. */
  owned: Set<number>;
  /** Whether another connection of the same document owns this id. */
  ownedElsewhere(clientId: number): boolean;
}

export type AwarenessVerdict =
  | { kind: 'apply'; update: Uint8Array; claimed: number[] }
  | { kind: 'ignore' }
  | { kind: 'violation'; reason: string };

/** Rewrites one awareness update from a connection; throws on undecodable input. */
export function sanitizeAwarenessUpdate(
  update: Uint8Array,
  ownership: AwarenessOwnership,
  identity: AwarenessIdentity,
  limits: AwarenessLimits = DEFAULT_AWARENESS_LIMITS,
): AwarenessVerdict {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  if (count > limits.maxEntriesPerFrame) return { kind: 'violation', reason: `${count} awareness entries in one frame` };

  const accepted: { clientId: number; clock: number; json: string }[] = [];
  const claimed: number[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const rawState = decoding.readVarString(decoder);
    if (!ownership.owned.has(clientId)) {
      if (ownership.ownedElsewhere(clientId)) continue;
      if (ownership.owned.size >= limits.maxOwnedClients) continue;
      ownership.owned.add(clientId);
      claimed.push(clientId);
    }
    const state: unknown = JSON.parse(rawState);
    if (state === null) {
      accepted.push({ clientId, clock, json: 'null' });
      continue;
    }
    if (typeof state !== 'object' || Array.isArray(state)) continue;
    const json = JSON.stringify({ ...(state as Record<string, unknown>), user: identity });
    if (json.length > limits.maxStateBytes) continue;
    accepted.push({ clientId, clock, json });
  }
  if (accepted.length === 0) return { kind: 'ignore' };

  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, accepted.length);
  for (const entry of accepted) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return { kind: 'apply', update: encoding.toUint8Array(encoder), claimed };
}

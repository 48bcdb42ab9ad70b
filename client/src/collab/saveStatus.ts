/**
 * The save status shown on the document page. It must tell the truth: "All changes
 * saved" only when the server has acknowledged, as durable, every change frame this
 * browser sent on the current connection, and nothing typed locally is still waiting
 * to be sent.
 */
export type SaveStatus = 'read-only' | 'connecting' | 'offline' | 'saving' | 'saved';

export interface SaveState {
  canEdit: boolean;
  /** The WebSocket is open. */
  connected: boolean;
  /** No connection has failed or been lost yet (the first attempt is still under way). */
  firstAttempt: boolean;
  /** The server's state has arrived on this connection (its sync step 2). */
  synced: boolean;
  /** This browser's sync step 2 (everything the server lacked) went out on this connection. */
  step2Sent: boolean;
  /** Change frames (sync step 2 and updates) sent on this connection. */
  sent: number;
  /** Change frames the server says are durable, on this connection. */
  acknowledged: number;
  /** Local edits made while no connection could carry them (the next sync step 2 will). */
  unsentLocalChanges: boolean;
}

export function computeSaveStatus(state: SaveState): SaveStatus {
  if (!state.canEdit) return 'read-only';
  if (!state.connected) return state.firstAttempt && !state.unsentLocalChanges ? 'connecting' : 'offline';
  if (!state.synced || !state.step2Sent || state.unsentLocalChanges || state.acknowledged < state.sent) return 'saving';
  return 'saved';
}

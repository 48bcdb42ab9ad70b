import { describe, expect, it } from 'vitest';
import { computeSaveStatus, type SaveState } from './saveStatus';

/** An editor on an open, synced connection with everything sent acknowledged. */
const settled: SaveState = {
  canEdit: true,
  connected: true,
  firstAttempt: false,
  synced: true,
  step2Sent: true,
  sent: 3,
  acknowledged: 3,
  unsentLocalChanges: false,
};

describe('save status', () => {
  it('says "All changes saved" only once every frame sent on this connection is acknowledged', () => {
    expect(computeSaveStatus(settled)).toBe('saved');
  });

  it('shows Saving… until every frame sent on this connection is acknowledged', () => {
    expect(computeSaveStatus({ ...settled, sent: 4, acknowledged: 3 })).toBe('saving');
    expect(computeSaveStatus({ ...settled, sent: 4, acknowledged: 4 })).toBe('saved');
  });

  it('shows Saving… while the server state has not arrived or this browser has not sent what the server lacked', () => {
    expect(computeSaveStatus({ ...settled, synced: false })).toBe('saving');
    expect(computeSaveStatus({ ...settled, step2Sent: false })).toBe('saving');
  });

  it('shows Saving… while edits typed offline still wait to be sent, even with every sent frame acknowledged', () => {
    expect(computeSaveStatus({ ...settled, unsentLocalChanges: true })).toBe('saving');
  });

  it('says Connecting… on the first attempt with nothing typed, and Offline once a connection failed', () => {
    const down = { ...settled, connected: false, sent: 0, acknowledged: 0 };
    expect(computeSaveStatus({ ...down, firstAttempt: true })).toBe('connecting');
    expect(computeSaveStatus({ ...down, firstAttempt: false })).toBe('offline');
  });

  it('says Offline, not Connecting…, when something typed before the first connection is waiting', () => {
    expect(computeSaveStatus({ ...settled, connected: false, firstAttempt: true, unsentLocalChanges: true })).toBe('offline');
  });

  it('never says saved while disconnected, even if every frame of the last connection was acknowledged', () => {
    expect(computeSaveStatus({ ...settled, connected: false })).toBe('offline');
  });

  it('says read-only to people who may not edit, whatever the connection does', () => {
    expect(computeSaveStatus({ ...settled, canEdit: false })).toBe('read-only');
    expect(computeSaveStatus({ ...settled, canEdit: false, connected: false, sent: 2, acknowledged: 0 })).toBe('read-only');
  });
});

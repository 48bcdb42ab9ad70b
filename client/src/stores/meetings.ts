/**
 * Meetings: the running meeting of each of my workspaces (from the presence snapshot,
 * then `meeting:changed`), the meetings this tab has joined, the meeting panel and
 * "follow the chair". Attendance itself is recorded by the server from what this tab's
 * connection does; after every reconnect the tab joins its meetings again, so a network
 * blip or a reload inside the server's grace period is not recorded as leaving.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { MeetingState, PresenceSnapshot, StartMeetingRequest, UpdateMeetingRequest } from '@jane/shared/core';
import { api } from '../api';
import { RealtimeError, request } from '../realtime/socket';
import { useWorkspacesStore } from './workspaces';

/** Joined meetings survive a reload of this tab (not a new tab: that joins on its own). */
const JOINED_KEY = 'jane.joinedMeetings';

function readJoined(): string[] {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(JOINED_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function writeJoined(ids: string[]): void {
  try {
    sessionStorage.setItem(JOINED_KEY, JSON.stringify(ids));
  } catch {
    // private mode: a reload then needs a click on "Join"
  }
}

export const useMeetingsStore = defineStore('meetings', () => {
  const workspaces = useWorkspacesStore();

  /** Every meeting state seen since sign-in, by meeting id (running and ended). */
  const states = ref<Record<string, MeetingState>>({});
  /** Meetings this tab has joined (and will re-join after a reconnect). */
  const joined = ref<string[]>(readJoined());
  /** The meeting shown in the meeting panel, or null when the panel is closed. */
  const panelMeetingId = ref<string | null>(null);
  /** Following the chair of this meeting. */
  const followingMeetingId = ref<string | null>(null);
  /** A section of a document the document page should scroll to (follow, agenda links). */
  const scrollTarget = ref<{ documentId: string; sectionId: string | null; sectionTitle: string | null; seq: number } | null>(null);

  const runningByWorkspace = computed<Record<string, MeetingState>>(() => {
    const result: Record<string, MeetingState> = {};
    for (const state of Object.values(states.value)) {
      if (!state.meeting.endedAt) result[state.meeting.workspaceId] = state;
    }
    return result;
  });

  function running(workspaceId: string | null): MeetingState | null {
    return workspaceId ? (runningByWorkspace.value[workspaceId] ?? null) : null;
  }

  function state(meetingId: string | null): MeetingState | null {
    return meetingId ? (states.value[meetingId] ?? null) : null;
  }

  function isJoined(meetingId: string): boolean {
    return joined.value.includes(meetingId);
  }

  /** Chairs (and administrators) run meetings; the server enforces it, this only hides controls. */
  function canRun(workspaceId: string | null): boolean {
    if (!workspaceId) return false;
    return workspaces.list.find((w) => w.id === workspaceId)?.abilities.runMeetings ?? false;
  }

  /* ------------------------------------------------------------ from the server */

  function put(meeting: MeetingState): void {
    states.value[meeting.meeting.id] = meeting;
    if (meeting.meeting.endedAt) forget(meeting.meeting.id);
  }

  function applySnapshot(snapshot: PresenceSnapshot): void {
    const runningIds = new Set(Object.values(snapshot.meetings).map((m) => m.meeting.id));
    // A meeting that was running and is not any more ended while we were away; we do
    // not know its final state, so it is dropped (the workspace page lists it as past).
    for (const [id, known] of Object.entries(states.value)) {
      if (!known.meeting.endedAt && !runningIds.has(id)) {
        forget(id);
        // The panel shows it: fetch how it ended, so the panel can say so.
        if (panelMeetingId.value === id) void fetchFinalState(id);
        else delete states.value[id];
      }
    }
    for (const meeting of Object.values(snapshot.meetings)) states.value[meeting.meeting.id] = meeting;
  }

  async function fetchFinalState(meetingId: string): Promise<void> {
    try {
      const { meeting } = await api.meeting(meetingId);
      if (meeting.meeting.endedAt) {
        states.value[meetingId] = meeting;
        return;
      }
    } catch {
      // Gone, or no longer ours.
    }
    delete states.value[meetingId]; // the panel closes
  }

  function forget(meetingId: string): void {
    if (joined.value.includes(meetingId)) {
      joined.value = joined.value.filter((id) => id !== meetingId);
      writeJoined(joined.value);
    }
    if (followingMeetingId.value === meetingId) followingMeetingId.value = null;
  }

  function remember(meetingId: string): void {
    if (!joined.value.includes(meetingId)) {
      joined.value = [...joined.value, meetingId];
      writeJoined(joined.value);
    }
  }

  /* ------------------------------------------------------------ actions */

  async function start(workspaceId: string, body: StartMeetingRequest): Promise<MeetingState> {
    const started = await request('meeting:start', { workspaceId, ...body });
    put(started);
    remember(started.meeting.id);
    panelMeetingId.value = started.meeting.id;
    return started;
  }

  async function update(meetingId: string, patch: UpdateMeetingRequest): Promise<MeetingState> {
    const updated = await request('meeting:update', { meetingId, ...patch });
    put(updated);
    return updated;
  }

  async function end(meetingId: string): Promise<MeetingState> {
    const ended = await request('meeting:end', { meetingId });
    put(ended);
    return ended;
  }

  async function join(meetingId: string): Promise<MeetingState> {
    const joinedState = await request('meeting:join', { meetingId });
    put(joinedState);
    remember(meetingId);
    panelMeetingId.value = meetingId;
    return joinedState;
  }

  async function leave(meetingId: string): Promise<MeetingState> {
    const left = await request('meeting:leave', { meetingId });
    forget(meetingId);
    put(left);
    return left;
  }

  function openPanel(meetingId: string): void {
    panelMeetingId.value = meetingId;
  }

  function closePanel(): void {
    panelMeetingId.value = null;
  }

  function setFollowing(meetingId: string | null): void {
    followingMeetingId.value = meetingId;
  }

  let scrollSeq = 0;
  /** Asks the open document page to bring a section into view: by id (by title only for records that have none). */
  function scrollTo(documentId: string, section: { id: string | null; title: string | null }): void {
    scrollTarget.value = { documentId, sectionId: section.id, sectionTitle: section.title, seq: ++scrollSeq };
  }

  /** Past and running meetings of a workspace, newest first (REST). */
  async function listForWorkspace(workspaceId: string): Promise<MeetingState[]> {
    const { meetings } = await api.workspaceMeetings(workspaceId);
    return meetings;
  }

  /** After a (re)connect: join this tab's meetings again (cancels the server's pending "left"). */
  async function rejoin(): Promise<void> {
    for (const meetingId of [...joined.value]) {
      try {
        put(await request('meeting:join', { meetingId }));
      } catch (error) {
        // Ended, or access lost, while we were away (a timeout is retried on the next connect).
        if (error instanceof RealtimeError && error.code !== 'timeout' && error.code !== 'internal') forget(meetingId);
      }
    }
  }

  /** Sign-out: forget everything. */
  function reset(): void {
    states.value = {};
    joined.value = [];
    writeJoined([]);
    panelMeetingId.value = null;
    followingMeetingId.value = null;
    scrollTarget.value = null;
  }

  return {
    states,
    joined,
    panelMeetingId,
    followingMeetingId,
    scrollTarget,
    runningByWorkspace,
    running,
    state,
    isJoined,
    canRun,
    applySnapshot,
    start,
    update,
    end,
    join,
    leave,
    openPanel,
    closePanel,
    setFollowing,
    scrollTo,
    listForWorkspace,
    put,
    rejoin,
    reset,
  };
});

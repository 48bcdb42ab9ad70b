/**
 * Workspace presence: who is online in each of my workspaces and where, as the server
 * derives it (snapshot, then `presence:changed` / `presence:left`), plus what this tab
 * reports about itself (location, activity, the wish to stay hidden). All state is plain
 * data; realtime/presenceSession.ts wires it to the socket.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { aggregatePresence, type Ack, type Activity, type ConnectionPresence, type PersonPresence, type PresenceSnapshot, type PresenceUpdate } from '@jane/shared/core';
import { presenceHiddenPreference, realtimeConnected, realtimeSocket, setPresenceHiddenPreference } from '../realtime/socket';
import { useSessionStore } from './session';

/** Where this tab is, as it tells the server (titles are added by the server). */
export interface OwnLocation {
  workspaceId: string | null;
  documentId: string | null;
  /** The section by id (what follow-the-chair uses) and its title (a label). */
  sectionId: string | null;
  sectionTitle: string | null;
}

/** A route change is sent almost at once (coalescing the document page's own report). */
const LOCATION_DELAY_MS = 60;
/** The caret moving between headings is sent once it settles. */
const SECTION_DELAY_MS = 300;
/** After the server refused an update (more than 10 a second) or did not answer. */
const RETRY_DELAY_MS = 1_000;
const ACK_TIMEOUT_MS = 10_000;

export const usePresenceStore = defineStore('presence', () => {
  /** workspaceId → connectionId → connection. */
  const connections = ref<Record<string, Record<string, ConnectionPresence>>>({});
  const here = ref<OwnLocation>({ workspaceId: null, documentId: null, sectionId: null, sectionTitle: null });
  const activity = ref<Activity>('active');
  const hidden = ref(presenceHiddenPreference());
  /** A snapshot has arrived since sign-in (before that, counts are unknown, not zero). */
  const loaded = ref(false);

  /** Everyone online per workspace, several tabs of one person folded into one. */
  const peopleByWorkspace = computed<Record<string, PersonPresence[]>>(() =>
    Object.fromEntries(Object.entries(connections.value).map(([workspaceId, byId]) => [workspaceId, aggregatePresence(Object.values(byId))])),
  );

  function people(workspaceId: string): PersonPresence[] {
    return peopleByWorkspace.value[workspaceId] ?? [];
  }

  /** Everyone online in the workspace except the person signed in here. */
  function others(workspaceId: string): PersonPresence[] {
    const me = useSessionStore().user?.id;
    return people(workspaceId).filter((p) => p.userId !== me);
  }

  function person(workspaceId: string, userId: string): PersonPresence | null {
    return people(workspaceId).find((p) => p.userId === userId) ?? null;
  }

  /* ------------------------------------------------------------ from the server */

  function applySnapshot(snapshot: PresenceSnapshot): void {
    connections.value = Object.fromEntries(
      Object.entries(snapshot.workspaces).map(([workspaceId, list]) => [workspaceId, Object.fromEntries(list.map((c) => [c.connectionId, c]))]),
    );
    loaded.value = true;
  }

  function onChanged({ workspaceId, connection }: { workspaceId: string; connection: ConnectionPresence }): void {
    const byId = connections.value[workspaceId] ?? (connections.value[workspaceId] = {});
    byId[connection.connectionId] = connection;
  }

  function onLeft({ workspaceId, connectionId }: { workspaceId: string; connectionId: string }): void {
    const byId = connections.value[workspaceId];
    if (byId) delete byId[connectionId];
  }

  /* ------------------------------------------------------------ what this tab reports */

  let sendTimer: ReturnType<typeof setTimeout> | undefined;
  let lastSent = '';

  function currentUpdate(): PresenceUpdate {
    return { ...here.value, activity: activity.value, hidden: hidden.value };
  }

  function send(force = false): void {
    clearTimeout(sendTimer);
    // Sent again on (re)connect. (Checked first: after sign-out, asking for the socket would open a new one.)
    if (!realtimeConnected.value) return;
    const socket = realtimeSocket();
    const update = currentUpdate();
    const key = JSON.stringify(update);
    if (!force && key === lastSent) return;
    lastSent = key;
    // (Not `request()`: this event's acknowledgement is optional, so it is typed apart.)
    const timed = socket.timeout(ACK_TIMEOUT_MS);
    const emit = timed.emit.bind(timed) as unknown as (name: 'presence:update', body: PresenceUpdate, ack: (error: Error | null, result?: Ack) => void) => void;
    emit('presence:update', update, (error, result) => {
      if (!error && result?.ok) return;
      // Refused (too fast) or lost: send whatever is current a moment later.
      lastSent = '';
      schedule(RETRY_DELAY_MS);
    });
  }

  function schedule(delay: number): void {
    clearTimeout(sendTimer);
    sendTimer = setTimeout(() => send(), delay);
  }

  /** Where this tab is now (route changes; the document page once it knows its workspace). */
  function setLocation(location: OwnLocation): void {
    here.value = { ...location };
    schedule(LOCATION_DELAY_MS);
  }

  /** The heading the caret (or the reading position) is under, on the document page. */
  function setSection(documentId: string, section: { id: string | null; title: string | null }): void {
    if (here.value.documentId !== documentId || (here.value.sectionId === section.id && here.value.sectionTitle === section.title)) return;
    here.value = { ...here.value, sectionId: section.id, sectionTitle: section.title };
    schedule(SECTION_DELAY_MS);
  }

  function setActivity(value: Activity): void {
    if (activity.value === value) return;
    activity.value = value;
    send();
  }

  /** Hide me from workspace presence lists (remembered on this device). */
  function setHidden(value: boolean): void {
    hidden.value = value;
    setPresenceHiddenPreference(value);
    send();
  }

  /** After a (re)connect the server knows nothing about this tab: tell it again. */
  function resend(): void {
    send(true);
  }

  /** Sign-out: forget everything. */
  function reset(): void {
    clearTimeout(sendTimer);
    lastSent = '';
    connections.value = {};
    loaded.value = false;
    here.value = { workspaceId: null, documentId: null, sectionId: null, sectionTitle: null };
  }

  return {
    connections,
    here,
    activity,
    hidden,
    loaded,
    peopleByWorkspace,
    people,
    others,
    person,
    setLocation,
    setSection,
    setActivity,
    setHidden,
    applySnapshot,
    onChanged,
    onLeft,
    resend,
    reset,
  };
});

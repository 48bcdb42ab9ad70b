/**
 * Wires presence and meetings to the tab's socket while someone is signed in: the
 * server's events into the stores, this tab's route and activity out to the server, and
 * after every (re)connect: presence sent again, meetings re-joined, a fresh snapshot.
 * Used once, by App.vue.
 */
import { onBeforeUnmount, watch } from 'vue';
import { useRoute, type RouteLocationNormalizedLoaded } from 'vue-router';
import { usePresenceStore, type OwnLocation } from '../stores/presence';
import { useMeetingsStore } from '../stores/meetings';
import { useSessionStore } from '../stores/session';
import { useWorkspacesStore } from '../stores/workspaces';
import { trackActivity } from './presenceActivity';
import { request } from './socket';
import { subscribeRealtime } from './subscribeRealtime';

const NOWHERE: OwnLocation = { workspaceId: null, documentId: null, sectionId: null, sectionTitle: null };

/** Where a route puts this tab. The document page reports its workspace and section itself once loaded. */
function locationOf(route: RouteLocationNormalizedLoaded, current: OwnLocation): OwnLocation {
  const param = (name: string) => (typeof route.params[name] === 'string' ? (route.params[name] as string) : null);
  if (route.name === 'document') {
    const documentId = param('documentId');
    if (current.documentId === documentId) return current;
    // Until the document has loaded: still in the same workspace, not yet in the document.
    return { workspaceId: current.workspaceId, documentId: null, sectionId: null, sectionTitle: null };
  }
  // The workspace page, or another page of one workspace (its threads, say).
  const workspaceId = param('workspaceId');
  if (workspaceId) return { workspaceId, documentId: null, sectionId: null, sectionTitle: null };
  return NOWHERE;
}

export function useRealtimeSession(): void {
  const session = useSessionStore();
  const presence = usePresenceStore();
  const meetings = useMeetingsStore();
  const workspaces = useWorkspacesStore();
  const route = useRoute();
  let stopFns: (() => void)[] = [];

  async function refresh(): Promise<void> {
    try {
      const snapshot = await request('presence:snapshot');
      presence.applySnapshot(snapshot);
      meetings.applySnapshot(snapshot);
    } catch {
      // Offline again: the next reconnect fetches it.
    }
  }

  function start(): void {
    stopFns.push(
      subscribeRealtime(
        {
          'presence:changed': (event) => presence.onChanged(event),
          'presence:left': (event) => presence.onLeft(event),
          'meeting:changed': (event) => meetings.put(event.state),
          'access:changed': () => {
            void refresh();
            // Roles decide which meeting controls show.
            void workspaces.load().catch(() => undefined);
          },
        },
        () => {
          presence.resend();
          // Re-join first: it cancels the server's pending "left" for this person.
          void meetings.rejoin().then(refresh);
        },
      ),
    );

    const tracker = trackActivity();
    stopFns.push(watch(tracker.activity, (activity) => presence.setActivity(activity), { immediate: true }));
    stopFns.push(tracker.stop);

    stopFns.push(
      watch(
        () => [route.name, route.params.workspaceId, route.params.documentId],
        () => presence.setLocation(locationOf(route, presence.here)),
        { immediate: true },
      ),
    );

    // Which meeting controls to show depends on roles; the list is otherwise loaded by the home page.
    if (!workspaces.loaded) void workspaces.load().catch(() => undefined);
  }

  function stop(): void {
    for (const fn of stopFns) fn();
    stopFns = [];
    presence.reset();
    meetings.reset();
  }

  watch(
    () => session.user?.id ?? null,
    (userId, previous) => {
      if (previous) stop();
      if (userId) start();
    },
    { immediate: true },
  );
  onBeforeUnmount(stop);
}

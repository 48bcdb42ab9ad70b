/** Presence: who is online and where, as the server derives it (zod-free; schemas live in protocol/realtime.ts). */
export const ACTIVITIES = ['active', 'idle', 'away'] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** Minutes without input after which a client reports itself idle. */
export const IDLE_AFTER_MINUTES = 3;

/** Where a person is, as members of one workspace may see it. */
export type PresenceLocation =
  | { kind: 'workspace' }
  | { kind: 'document'; documentId: string; documentTitle: string; sectionId: string | null; sectionTitle: string | null }
  /** Online, but not in this workspace (we do not reveal where). */
  | { kind: 'elsewhere' };

/** One connection (browser tab) as seen from one workspace. */
export interface ConnectionPresence {
  connectionId: string;
  userId: string;
  name: string;
  country: string;
  organisation: string;
  color: string;
  activity: Activity;
  location: PresenceLocation;
  /** When this connection last reported activity (ISO). */
  activeAt: string;
  connectedAt: string;
}

/** One person, all their tabs folded into one. */
export interface PersonPresence {
  userId: string;
  name: string;
  country: string;
  organisation: string;
  color: string;
  activity: Activity;
  location: PresenceLocation;
  connections: number;
  connectedAt: string;
}

const ACTIVITY_RANK: Record<Activity, number> = { active: 0, idle: 1, away: 2 };
const LOCATION_RANK: Record<PresenceLocation['kind'], number> = { document: 0, workspace: 1, elsewhere: 2 };

/**
 * Several tabs of one person count as one person: the most active tab decides the
 * activity, the most recently active tab in this workspace decides the location.
 */
export function aggregatePresence(connections: Iterable<ConnectionPresence>): PersonPresence[] {
  const byUser = new Map<string, ConnectionPresence[]>();
  for (const connection of connections) {
    const list = byUser.get(connection.userId);
    if (list) list.push(connection);
    else byUser.set(connection.userId, [connection]);
  }
  const people: PersonPresence[] = [];
  for (const [userId, list] of byUser) {
    const best = [...list].sort(
      (a, b) =>
        ACTIVITY_RANK[a.activity] - ACTIVITY_RANK[b.activity] ||
        LOCATION_RANK[a.location.kind] - LOCATION_RANK[b.location.kind] ||
        b.activeAt.localeCompare(a.activeAt),
    )[0]!;
    people.push({
      userId,
      name: best.name,
      country: best.country,
      organisation: best.organisation,
      color: best.color,
      activity: best.activity,
      location: best.location,
      connections: list.length,
      connectedAt: list.map((c) => c.connectedAt).sort()[0]!,
    });
  }
  return people.sort((a, b) => a.name.localeCompare(b.name));
}

/** Minutes after the start after which an attendee counts as a late joiner. */
export const LATE_AFTER_MINUTES = 5;

/**
 * Workspace presence, derived on the server from authenticated connections: who is
 * online in a workspace, where (the workspace page, or a document and section), and how
 * active. The identity comes from the session; a client only reports its own location
 * and activity, and the server checks the location against the user's access.
 */
import type { Logger } from 'pino';
import { PresenceUpdateSchema, type ConnectionPresence, type MeetingState, type PresenceSnapshot } from '@jane/shared';
import type { Store } from '../storage/port.js';
import { parseOrThrow } from '../validation.js';
import type { MeetingService } from '../meetings/service.js';
import { answer, socketLog } from './acks.js';
import { workspaceRoom, type RealtimeIO, type RealtimeSocket, type SocketData } from './types.js';

/** A connection as members of `workspaceId` may see it; null when the person hides. */
export function presenceOf(connectionId: string, data: SocketData, workspaceId: string): ConnectionPresence | null {
  if (data.presence.hidden) return null;
  const p = data.presence;
  let location: ConnectionPresence['location'] = { kind: 'elsewhere' };
  if (p.workspaceId === workspaceId) {
    location =
      p.documentId && p.documentTitle
        ? { kind: 'document', documentId: p.documentId, documentTitle: p.documentTitle, sectionId: p.sectionId, sectionTitle: p.sectionTitle }
        : { kind: 'workspace' };
  }
  return {
    connectionId,
    userId: data.userId,
    name: data.name,
    country: data.country,
    organisation: data.organisation,
    color: data.color,
    activity: p.activity,
    location,
    activeAt: p.activeAt,
    connectedAt: p.connectedAt,
  };
}

/** The visible part of a presence, to skip broadcasts that would change nothing on screen. */
function visibleKey(data: SocketData): string {
  const p = data.presence;
  return JSON.stringify([p.workspaceId, p.documentId, p.documentTitle, p.sectionId, p.sectionTitle, p.activity, p.hidden]);
}

const TITLE_CACHE_MS = 30_000;

export class PresenceService {
  private readonly titles = new Map<string, { workspaceId: string; title: string; at: number }>();
  /** What each connection last told each of its workspaces (to skip repeats). */
  private readonly lastSent = new Map<string, Map<string, string>>();

  constructor(
    private readonly io: RealtimeIO,
    private readonly store: Store,
    private readonly meetings: MeetingService,
    private readonly logger: Logger,
  ) {}

  /**
   * Tells every workspace of the connection about its presence as seen from there (or
   * that it is gone), skipping workspaces for which nothing visible changed — a move
   * between sections is news to its own workspace, not to the others ("elsewhere").
   */
  publish(connectionId: string, data: SocketData, options: { gone?: boolean; resend?: string } = {}): void {
    let sent = this.lastSent.get(connectionId);
    if (!sent) this.lastSent.set(connectionId, (sent = new Map()));
    for (const workspaceId of data.workspaceIds) {
      const connection = options.gone ? null : presenceOf(connectionId, data, workspaceId);
      const key = connection ? JSON.stringify([connection.location, connection.activity]) : 'gone';
      if (sent.get(workspaceId) === key && options.resend !== workspaceId) continue;
      sent.set(workspaceId, key);
      if (connection) this.io.to(workspaceRoom(workspaceId)).emit('presence:changed', { workspaceId, connection });
      else this.io.to(workspaceRoom(workspaceId)).emit('presence:left', { workspaceId, connectionId });
    }
    if (options.gone) this.lastSent.delete(connectionId);
  }

  /** The connection left a workspace (membership removed): forget what it sent there. */
  forget(connectionId: string, workspaceId: string): void {
    this.lastSent.get(connectionId)?.delete(workspaceId);
  }

  register(socket: RealtimeSocket): void {
    socket.on('presence:update', (update, ack) =>
      answer(ack, socketLog(socket, this.logger), async () => {
        await this.update(socket, update);
        return null;
      }),
    );
    socket.on('presence:snapshot', (ack) => answer(ack, socketLog(socket, this.logger), () => this.snapshot(socket)));
  }

  private async documentTitle(documentId: string): Promise<{ workspaceId: string; title: string } | null> {
    const cached = this.titles.get(documentId);
    if (cached && Date.now() - cached.at < TITLE_CACHE_MS) return cached;
    const document = await this.store.documents.findById(documentId);
    if (!document) return null;
    const entry = { workspaceId: document.workspaceId, title: document.title, at: Date.now() };
    this.titles.set(documentId, entry);
    if (this.titles.size > 10_000) this.titles.delete(this.titles.keys().next().value!);
    return entry;
  }

  async update(socket: RealtimeSocket, raw: unknown): Promise<void> {
    const update = parseOrThrow(PresenceUpdateSchema, raw, 'presence update');
    const data = socket.data;
    const before = visibleKey(data);
    // A location outside the user's workspaces, or a document outside that workspace, is
    // recorded as no location: nobody learns anything from a made-up claim.
    const workspaceId = update.workspaceId && data.workspaceIds.includes(update.workspaceId) ? update.workspaceId : null;
    let documentId: string | null = null;
    let documentTitle: string | null = null;
    if (workspaceId && update.documentId) {
      const document = await this.documentTitle(update.documentId);
      if (document && document.workspaceId === workspaceId) {
        documentId = update.documentId;
        documentTitle = document.title;
      }
    }
    data.presence = {
      ...data.presence,
      workspaceId,
      documentId,
      documentTitle,
      sectionId: documentId ? (update.sectionId ?? null) : null,
      sectionTitle: documentId ? update.sectionTitle : null,
      activity: update.activity,
      hidden: update.hidden,
      activeAt: update.activity === 'active' ? new Date().toISOString() : data.presence.activeAt,
    };
    if (visibleKey(data) !== before) this.publish(socket.id, data);
  }

  /** Everyone online in each of the user's workspaces, across all server instances, and running meetings. */
  async snapshot(socket: RealtimeSocket): Promise<PresenceSnapshot> {
    const workspaceIds = socket.data.workspaceIds;
    const workspaces: Record<string, ConnectionPresence[]> = Object.fromEntries(workspaceIds.map((id) => [id, []]));
    if (workspaceIds.length > 0) {
      const rooms = workspaceIds.map(workspaceRoom);
      // Without Redis (an outage), this instance still answers with its own connections.
      const sockets = await this.io.in(rooms).fetchSockets().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'presence snapshot across instances failed; answering with this instance only');
        return this.io.in(rooms).local.fetchSockets();
      });
      for (const remote of sockets) {
        for (const workspaceId of workspaceIds) {
          if (!remote.rooms.has(workspaceRoom(workspaceId))) continue;
          const connection = presenceOf(remote.id, remote.data, workspaceId);
          if (connection) workspaces[workspaceId]!.push(connection);
        }
      }
    }
    const meetings: Record<string, MeetingState> = {};
    for (const workspaceId of workspaceIds) {
      const running = await this.store.meetings.findRunning(workspaceId);
      if (running) meetings[workspaceId] = await this.meetings.state(running.id);
    }
    return { workspaces, meetings };
  }
}

/**
 * (p) Presence fan-out (ours only; the anchors have no presence): N socket.io clients,
 * members of the twelve JANE workspaces, each moving to another section of a draft every
 * 2 s (phased evenly). Latency = a client's `presence:update` → each member's
 * `presence:changed` showing that section (one clock: all clients live in this process).
 */
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@jane/shared';
import type { ServerHandle } from '../lib/servers.js';
import { CpuMeter, waitForQuiet } from '../lib/proc.js';
import { round, sleep, summarize, type Summary } from '../lib/stats.js';

export interface PresenceResult {
  clients: number;
  workspaces: number;
  intervalSeconds: number;
  measureSeconds: number;
  updatesPerSecond: number;
  deliveriesPerSecond: number;
  /** Share of the expected deliveries (every member of the mover's workspace) that arrived. */
  deliveredFraction: number;
  latencyMs: Summary;
  serverCore: number;
  serverCpuUsPerUpdate: number;
  generatorCore: number;
  otherCore: number;
}

export interface PresencePerson {
  cookie: string;
  workspaceIds: string[];
  /** One draft per workspace the person belongs to. */
  documentIds: Record<string, string>;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function runPresence(
  server: ServerHandle,
  options: { clients: number; intervalSeconds: number; warmupSeconds: number; measureSeconds: number },
): Promise<PresenceResult> {
  const people = await server.request<PresencePerson[]>('presencePeople', { count: options.clients });
  const workspaceMembers = new Map<string, number>();
  for (const person of people) for (const w of person.workspaceIds) workspaceMembers.set(w, (workspaceMembers.get(w) ?? 0) + 1);

  /** Send time of each move, and whether it was sent inside the measured window. */
  const sentAt = new Map<string, { at: number; measured: boolean }>();
  let measuring = false;
  const samples: number[] = [];
  let expected = 0;
  const clients: Client[] = [];
  try {
    for (const person of people) {
      const client: Client = connect(`http://127.0.0.1:${server.port}`, {
        path: '/socket.io',
        transports: ['websocket'],
        extraHeaders: { cookie: person.cookie },
        reconnection: false,
        forceNew: true,
      });
      client.on('presence:changed', ({ connection }) => {
        if (connection.location.kind !== 'document' || !connection.location.sectionTitle) return;
        const sent = sentAt.get(connection.location.sectionTitle);
        if (sent?.measured) samples.push(performance.now() - sent.at);
      });
      clients.push(client);
    }
    await Promise.all(
      clients.map(
        (client) =>
          new Promise<void>((resolve, reject) => {
            client.once('connect', () => resolve());
            client.once('connect_error', (error) => reject(error));
          }),
      ),
    );

    // Each person moves between sections of a draft in their first workspace.
    const timers: NodeJS.Timeout[] = [];
    const periodMs = options.intervalSeconds * 1000;
    let sequence = 0;
    clients.forEach((client, index) => {
      const person = people[index]!;
      const workspaceId = person.workspaceIds[0]!;
      const move = () => {
        const section = `${index}:${++sequence}`;
        sentAt.set(section, { at: performance.now(), measured: measuring });
        // Every member's connection hears it, the mover's own included.
        if (measuring) expected += workspaceMembers.get(workspaceId) ?? 1;
        client.emit('presence:update', { workspaceId, documentId: person.documentIds[workspaceId]!, sectionTitle: section, activity: 'active', hidden: false });
      };
      const start = setTimeout(() => {
        move();
        timers.push(setInterval(move, periodMs));
      }, (index / clients.length) * periodMs);
      timers.push(start);
    });

    await sleep(options.warmupSeconds * 1000);
    await waitForQuiet({ maxWaitSeconds: 30 });
    const meter = new CpuMeter(server.pid);
    measuring = true;
    await sleep(options.measureSeconds * 1000);
    measuring = false;
    const cpu = meter.read();
    for (const timer of timers) clearInterval(timer);
    await sleep(1000); // deliveries of the last moves in the window
    const updates = (clients.length / options.intervalSeconds) * cpu.wallSeconds;
    return {
      clients: clients.length,
      workspaces: workspaceMembers.size,
      intervalSeconds: options.intervalSeconds,
      measureSeconds: options.measureSeconds,
      updatesPerSecond: round(clients.length / options.intervalSeconds, 1),
      deliveriesPerSecond: round(samples.length / options.measureSeconds, 0),
      deliveredFraction: round(expected > 0 ? samples.length / expected : 0, 3),
      latencyMs: summarize(samples),
      serverCore: round(cpu.serverCore, 3),
      serverCpuUsPerUpdate: round((cpu.serverCore * cpu.wallSeconds * 1e6) / updates, 1),
      generatorCore: round(cpu.generatorCore, 3),
      otherCore: round(cpu.otherCore, 3),
    };
  } finally {
    for (const client of clients) client.disconnect();
  }
}

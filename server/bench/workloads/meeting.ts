/**
 * (m) A meeting in one hot document: a 50-page call for expressions of interest (24,000
 * words) is written into the server by one client and stored (ours: acknowledged as
 * saved; persistent anchors: their persistence drained), then N participants (raw
 * protocol clients, one `Y.Doc` and one y-protocols `Awareness` each, as a provider
 * keeps them) connect to it. T of them type one character at a time at random places in
 * "their" section (section t mod 8), every participant moves its caret (an awareness
 * state with a y-prosemirror-like `cursor` of two relative positions) at a fixed rate,
 * and — ours only — every participant reports the section it is in over socket.io
 * (`presence:update`) every few seconds, as the UI does when the caret changes section.
 *
 * Open loop, evenly phased. After a warm-up, a measured window:
 * - edit delivery: a typist's local update → each other participant's Y.Doc has it
 *   (found from the typist's clock in the receiver's state vector);
 * - awareness delivery: a caret move → each other participant's Awareness holds that
 *   state (its clock in the Awareness meta);
 * - presence (ours): `presence:update` sent → `presence:changed` with that section at
 *   every participant (the mover included, as in (p));
 * - server CPU over the window, per accepted edit and per incoming message; generator
 *   CPU (this process) — above the limit the latencies are the generator's, flagged.
 * Everything in this process: one clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { io as connect, type Socket } from 'socket.io-client';
import { DOCUMENT_FIELD, documentSections, type ClientToServerEvents, type ServerToClientEvents } from '@jane/shared';
import type { ServerHandle } from '../lib/servers.js';
import { CpuMeter, waitForQuiet } from '../lib/proc.js';
import { fillFiftyPages, writeFiftyPages } from '../lib/documents.js';
import { round, sleep, summarize, type Summary } from '../lib/stats.js';
import { openAll, WireClient, withTimeout } from '../lib/wire.js';
import { DISTURBANCE_CORE, MAX_ATTEMPTS } from './throughput.js';

export interface MeetingOptions {
  participants: number;
  typists: number;
  /** Characters per second per typist (one update each). */
  charsPerSecond: number;
  /** Caret moves (awareness updates) per second per participant. */
  caretMovesPerSecond: number;
  /** Ours only: seconds between a participant's `presence:update`s (0: none). */
  presenceIntervalSeconds: number;
  warmupSeconds: number;
  measureSeconds: number;
  drainSeconds: number;
  generatorCoreLimit: number;
  editP99GoalMs: number;
  awarenessP99GoalMs: number;
}

export interface DeliveryResult {
  sent: number;
  expected: number;
  delivered: number;
  deliveredFraction: number;
  /** Lost deliveries count as Infinity. */
  latencyMs: Summary;
}

export interface MeetingResult {
  participants: number;
  typists: number;
  documentWords: number;
  documentBlocks: number;
  /** Size of the whole document as one update (what a participant downloads on joining). */
  documentBytes: number;
  /** Writing the 50 pages until stored/acknowledged. */
  loadMs: number;
  /** All participants connected and synced. */
  connectSeconds: number;
  measureSeconds: number;
  editsPerSecond: number;
  caretMovesPerSecond: number;
  /** Mean bytes of one awareness state as sent (JSON). */
  awarenessStateBytes: number;
  edits: DeliveryResult;
  awareness: DeliveryResult;
  /** Ours only (null for anchors, or when disabled). */
  presence: (DeliveryResult & { updatesPerSecond: number }) | null;
  serverCore: number;
  serverSystemCore: number;
  /** All server CPU in the window divided by the edits accepted in it (awareness and presence included in the cost). */
  serverCpuUsPerEdit: number;
  /** All server CPU divided by every incoming message (edits + awareness frames + presence updates). */
  serverCpuUsPerMessage: number;
  serverRssMiB: number;
  generatorCore: number;
  generatorLoopDelayP99Ms: number;
  otherCore: number;
  attempts: number;
  /** The generator used more than the limit: its latencies may be the generator's own. */
  generatorSaturated: boolean;
  /** Ours: event-loop time blocked in the synchronous SQLite append (group commit) and in compaction during the window. */
  store: { appendBlockedFraction: number; appendMaxMs: number; compactions: number; compactMaxMs: number } | null;
  editGoalMet: boolean;
  awarenessGoalMet: boolean;
}

type SocketClient = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Participant {
  index: number;
  client: WireClient;
  awareness: awarenessProtocol.Awareness;
  /** Typist number, or null for someone who only watches and moves the caret. */
  typist: number | null;
  /** Paragraph texts of the section this participant works in (typists) or reads (others). */
  texts: Y.XmlText[];
  /** Receivers: highest clock of each typist already counted. */
  seenEdit: number[];
  /** Receivers: highest awareness clock of each participant already counted. */
  seenAwareness: Map<number, number>;
  socket: SocketClient | null;
}

interface StoreCounters {
  append: { calls: number; ms: number; maxMs: number };
  compact: { calls: number; ms: number; maxMs: number };
}

/** Ours only: the bench child's counters of event-loop time blocked in the store (maxima reset on each read). */
async function storeCounters(server: ServerHandle): Promise<StoreCounters | null> {
  if (server.spec.id !== 'jane') return null;
  return (await server.request<{ blocking: StoreCounters }>('stats')).blocking;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const TICK_MS = 2;
const rand = (n: number) => Math.floor(Math.random() * n);

export async function runMeeting(server: ServerHandle, options: MeetingOptions): Promise<MeetingResult> {
  const ours = server.spec.id === 'jane';
  const [name] = await server.createDocs(1, 'call-for-expressions-of-interest');

  // 1. One client writes the 50 pages; wait until they are stored.
  const loadStart = performance.now();
  const writerEndpoint = server.endpoint(name!);
  if (ours) writerEndpoint.url += '?ack=1';
  const writer = new WireClient(writerEndpoint);
  await writer.open(30_000);
  await withTimeout(writer.synced, 30_000, 'writer sync');
  if (ours) fillFiftyPages(writer.doc); // ours made the document from the call's template
  else writeFiftyPages(writer.doc);
  await writer.barrier(120_000);
  if (ours) await writer.waitSaved(writer.sentChangeFrames, 120_000);
  else if (server.spec.persistent) await server.request('flush', {}, 300_000);
  const loadMs = performance.now() - loadStart;
  const documentBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;
  // Text only: ours may add section ids to headings (attributes) after the writer left.
  const textOf = (doc: Y.Doc) => doc.getXmlFragment(DOCUMENT_FIELD).toString().replace(/<[^>]*>/g, ' ').split(/\s+/).filter(Boolean);
  const expectedText = textOf(writer.doc).join(' ');
  const documentBlocks = writer.doc.getXmlFragment(DOCUMENT_FIELD).length;
  const documentWords = textOf(writer.doc).length;
  writer.close();

  // 2. The participants (ours: each a member of the workspace with a session of their own).
  const people = ours ? await server.request<{ workspaceId: string; cookies: string[] }>('meetingPeople', { count: options.participants }) : null;
  const participants: Participant[] = [];
  const byAwarenessId = new Map<number, Participant>();
  for (let index = 0; index < options.participants; index++) {
    const endpoint = server.endpoint(name!);
    if (people) endpoint.headers = { cookie: people.cookies[index]! };
    const client = new WireClient(endpoint);
    const awareness = new awarenessProtocol.Awareness(client.doc);
    const participant: Participant = {
      index,
      client,
      awareness,
      typist: index < options.typists ? index : null,
      texts: [],
      seenEdit: new Array<number>(options.typists).fill(0),
      seenAwareness: new Map(),
      socket: null,
    };
    // As a provider does: local awareness changes go out, frames from the server are applied.
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin === 'remote') return;
      client.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, added.concat(updated, removed)));
    });
    client.onAwareness = (update) => awarenessProtocol.applyAwarenessUpdate(awareness, update, 'remote');
    participants.push(participant);
    byAwarenessId.set(client.doc.clientID, participant);
  }
  const typists = participants.filter((p) => p.typist !== null);
  const typistIds = typists.map((p) => p.client.doc.clientID);

  // Measured window (by send time) and samples.
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.NEGATIVE_INFINITY;
  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  const editSentAt: number[][] = typists.map(() => []);
  const caretSentAt: number[][] = participants.map(() => []);
  let editSamples: number[] = [];
  let awarenessSamples: number[] = [];
  let presenceSamples: number[] = [];

  for (const receiver of participants) {
    receiver.client.onRemoteUpdate = (client) => {
      const now = performance.now();
      for (let t = 0; t < typistIds.length; t++) {
        if (t === receiver.typist) continue;
        const clock = Y.getState(client.doc.store, typistIds[t]!);
        let from = receiver.seenEdit[t]!;
        if (clock <= from) continue;
        const sent = editSentAt[t]!;
        for (; from < clock; from++) {
          const at = sent[from];
          if (at !== undefined && inWindow(at)) editSamples.push(now - at);
        }
        receiver.seenEdit[t] = clock;
      }
    };
    receiver.awareness.on('update', ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
      if (origin !== 'remote') return;
      const now = performance.now();
      for (const id of added.concat(updated)) {
        const sender = byAwarenessId.get(id);
        if (!sender || sender === receiver) continue;
        const clock = receiver.awareness.meta.get(id)?.clock ?? 0;
        let from = receiver.seenAwareness.get(id) ?? 0;
        if (clock <= from) continue;
        const sent = caretSentAt[sender.index]!;
        for (from++; from <= clock; from++) {
          const at = sent[from];
          if (at !== undefined && inWindow(at)) awarenessSamples.push(now - at);
        }
        receiver.seenAwareness.set(id, clock);
      }
    });
  }

  const everyone = participants.map((p) => p.client);
  const sockets: SocketClient[] = [];
  const presenceSentAt = new Map<string, number>();
  /** Across repeated windows too: the server skips a presence that repeats the last one. */
  let presenceSequence = 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  try {
    const connectStart = performance.now();
    await openAll(everyone, 8, 60_000);
    const connectSeconds = (performance.now() - connectStart) / 1000;
    for (const p of participants) {
      if (textOf(p.client.doc).join(' ') !== expectedText) throw new Error(`participant ${p.index} did not get the whole document`);
    }
    // The section each one works in (typists) or reads (the others).
    const sectionCount = documentSections(participants[0]!.client.doc).filter((s) => s.level === 2).length;
    for (const p of participants) {
      const fragment = p.client.doc.getXmlFragment(DOCUMENT_FIELD);
      const sections = documentSections(p.client.doc).filter((s) => s.level === 2);
      const section = sections[(p.typist ?? p.index) % sectionCount]!;
      for (let k = section.start + 1; k < section.end; k++) {
        const block = fragment.get(k);
        const text = block instanceof Y.XmlElement ? block.get(0) : null;
        if (text instanceof Y.XmlText) p.texts.push(text);
      }
      if (p.texts.length === 0) throw new Error(`no paragraphs in section ${section.title}`);
      p.awareness.setLocalState({ user: { name: `Participant ${p.index}`, color: COLORS[p.index % COLORS.length] }, cursor: null });
    }

    let presenceMembers = 0;
    if (people && options.presenceIntervalSeconds > 0) {
      for (let index = 0; index < participants.length; index++) {
        const socket: SocketClient = connect(`http://127.0.0.1:${server.port}`, {
          path: '/socket.io',
          transports: ['websocket'],
          extraHeaders: { cookie: people.cookies[index]! },
          reconnection: false,
          forceNew: true,
        });
        socket.on('presence:changed', ({ connection }) => {
          if (connection.location.kind !== 'document' || !connection.location.sectionTitle) return;
          const at = presenceSentAt.get(connection.location.sectionTitle);
          if (at !== undefined && inWindow(at)) presenceSamples.push(performance.now() - at);
        });
        sockets.push(socket);
        participants[index]!.socket = socket;
      }
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve, reject) => {
              socket.once('connect', () => resolve());
              socket.once('connect_error', (error) => reject(error));
            }),
        ),
      );
      presenceMembers = sockets.length;
    }

    // Start on a quiet machine; a window during which other processes took CPU is repeated.
    await waitForQuiet();
    let run = await measureOnce();
    let attempt = 1;
    while (run.cpu.otherCore > DISTURBANCE_CORE && attempt < MAX_ATTEMPTS) {
      process.stderr.write(`    disturbed (other processes ${(run.cpu.otherCore * 100).toFixed(0)}% of a core), repeating\n`);
      attempt++;
      await waitForQuiet();
      run = await measureOnce();
    }
    const { cpu } = run;
    const receivers = options.participants - 1;
    const delivery = (sent: number, expected: number, samples: number[]): DeliveryResult => {
      const lost = Math.max(0, expected - samples.length);
      return {
        sent,
        expected,
        delivered: samples.length,
        deliveredFraction: round(expected > 0 ? Math.min(samples.length, expected) / expected : 0, 4),
        latencyMs: summarize(lost > 0 ? samples.concat(new Array<number>(lost).fill(Number.POSITIVE_INFINITY)) : samples),
      };
    };
    const edits = delivery(run.edits, run.edits * receivers, run.editSamples);
    const awareness = delivery(run.moves, run.moves * receivers, run.awarenessSamples);
    const presence =
      presenceMembers > 0
        ? { ...delivery(run.presenceMoves, run.presenceMoves * presenceMembers, run.presenceSamples), updatesPerSecond: round(run.presenceMoves / cpu.wallSeconds, 2) }
        : null;
    const serverCpuUs = cpu.serverCore * cpu.wallSeconds * 1e6;
    const rss = (await server.request<{ rss: number }>('mem').catch(() => null))?.rss ?? server.rssBytes();
    return {
      participants: options.participants,
      typists: options.typists,
      documentWords,
      documentBlocks,
      documentBytes,
      loadMs: round(loadMs, 1),
      connectSeconds: round(connectSeconds, 2),
      measureSeconds: round(cpu.wallSeconds, 2),
      editsPerSecond: round(run.edits / cpu.wallSeconds, 1),
      caretMovesPerSecond: round(run.moves / cpu.wallSeconds, 1),
      awarenessStateBytes: round(run.stateBytes / Math.max(1, run.moves), 0),
      edits,
      awareness,
      presence,
      serverCore: round(cpu.serverCore, 3),
      serverSystemCore: round(cpu.serverSystemCore, 3),
      serverCpuUsPerEdit: round(serverCpuUs / Math.max(1, run.edits), 1),
      serverCpuUsPerMessage: round(serverCpuUs / Math.max(1, run.edits + run.moves + run.presenceMoves), 1),
      serverRssMiB: round(rss / 2 ** 20, 1),
      generatorCore: round(cpu.generatorCore, 3),
      generatorLoopDelayP99Ms: round(run.loopDelayP99Ms, 2),
      otherCore: round(cpu.otherCore, 3),
      attempts: attempt,
      generatorSaturated: cpu.generatorCore > options.generatorCoreLimit,
      store: run.store,
      editGoalMet: edits.latencyMs.p99 <= options.editP99GoalMs && edits.deliveredFraction >= 0.99,
      awarenessGoalMet: awareness.latencyMs.p99 <= options.awarenessP99GoalMs && awareness.deliveredFraction >= 0.99,
    };
  } finally {
    loopDelay.disable();
    for (const socket of sockets) socket.disconnect();
    for (const p of participants) {
      p.awareness.destroy();
      p.client.close();
    }
  }

  /** Runs the load for warm-up + window, then waits for the window's deliveries. */
  async function measureOnce() {
    editSamples = [];
    awarenessSamples = [];
    presenceSamples = [];
    const start = performance.now();
    const measureFrom = start + options.warmupSeconds * 1000;
    const measureUntil = measureFrom + options.measureSeconds * 1000;
    windowStart = measureFrom;
    windowEnd = measureUntil;
    const typePeriod = 1000 / options.charsPerSecond;
    const caretPeriod = 1000 / options.caretMovesPerSecond;
    const presencePeriod = options.presenceIntervalSeconds * 1000;
    const typed = typists.map(() => 0);
    const moved = participants.map(() => 0);
    const reported = participants.map(() => 0);
    let edits = 0;
    let moves = 0;
    let presenceMoves = 0;
    let stateBytes = 0;
    let meter: CpuMeter | null = null;
    let storeBefore: Promise<StoreCounters | null> = Promise.resolve(null);

    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const now = performance.now();
        if (meter === null && now >= measureFrom) {
          meter = new CpuMeter(server.pid);
          storeBefore = storeCounters(server);
          loopDelay.reset();
          loopDelay.enable();
        }
        if (now >= measureUntil) {
          clearInterval(timer);
          resolve();
          return;
        }
        const elapsed = now - start;
        // Typing: one character at a random place in the typist's section.
        for (let t = 0; t < typists.length; t++) {
          const due = Math.floor(elapsed / typePeriod + t / typists.length) - typed[t]!;
          const p = typists[t]!;
          for (let k = 0; k < due; k++) {
            const text = p.texts[rand(p.texts.length)]!;
            const clock = Y.getState(p.client.doc.store, p.client.doc.clientID);
            const at = performance.now();
            editSentAt[t]![clock] = at;
            text.insert(rand(text.length + 1), LETTERS[rand(LETTERS.length)]!);
            typed[t]!++;
            if (inWindow(at)) edits++;
          }
        }
        // Carets: an awareness state like y-prosemirror's (anchor and head as relative positions).
        for (let i = 0; i < participants.length; i++) {
          const p = participants[i]!;
          const due = Math.floor(elapsed / caretPeriod + i / participants.length) - moved[i]!;
          for (let k = 0; k < due; k++) {
            const text = p.texts[rand(p.texts.length)]!;
            const offset = rand(text.length + 1);
            const anchor = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, offset));
            const head = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, Math.min(text.length, offset + rand(3))));
            const state = { ...(p.awareness.getLocalState() ?? {}), cursor: { anchor, head } };
            const at = performance.now();
            p.awareness.setLocalState(state);
            caretSentAt[i]![p.awareness.meta.get(p.client.doc.clientID)!.clock] = at;
            moved[i]!++;
            if (inWindow(at)) {
              moves++;
              stateBytes += JSON.stringify(state).length;
            }
          }
          // Presence (ours): the section the participant is in, as the UI reports it.
          if (p.socket && presencePeriod > 0) {
            const dueReports = Math.floor(elapsed / presencePeriod + i / participants.length) - reported[i]!;
            for (let k = 0; k < dueReports; k++) {
              const section = `m${i}:${++presenceSequence}`;
              const at = performance.now();
              presenceSentAt.set(section, at);
              p.socket.emit('presence:update', { workspaceId: people!.workspaceId, documentId: name!, sectionTitle: section, activity: 'active', hidden: false });
              reported[i]!++;
              if (inWindow(at)) presenceMoves++;
            }
          }
        }
      }, TICK_MS);
    });
    const cpu = (meter as CpuMeter | null)?.read() ?? { wallSeconds: options.measureSeconds, generatorCore: 0, serverCore: 0, serverSystemCore: 0, otherCore: 0 };
    const storeAfter = await storeCounters(server);
    const before = await storeBefore;
    const store =
      before && storeAfter
        ? {
            appendBlockedFraction: round((storeAfter.append.ms - before.append.ms) / 1000 / cpu.wallSeconds, 3),
            appendMaxMs: round(storeAfter.append.maxMs, 2),
            compactions: storeAfter.compact.calls - before.compact.calls,
            compactMaxMs: round(storeAfter.compact.maxMs, 2),
          }
        : null;
    const loopDelayP99Ms = loopDelay.percentile(99) / 1e6;
    loopDelay.disable();
    const receivers = options.participants - 1;
    const drainUntil = performance.now() + options.drainSeconds * 1000;
    while (
      (editSamples.length < edits * receivers || awarenessSamples.length < moves * receivers || presenceSamples.length < presenceMoves * sockets.length) &&
      performance.now() < drainUntil
    ) {
      await sleep(20);
    }
    process.stderr.write(
      `    ${edits} edits, ${moves} caret moves, ${presenceMoves} presence updates in ${cpu.wallSeconds.toFixed(1)} s; ` +
        `server ${(cpu.serverCore * 100).toFixed(0)}% gen ${(cpu.generatorCore * 100).toFixed(0)}% other ${(cpu.otherCore * 100).toFixed(0)}%\n`,
    );
    return { cpu, store, edits, moves, presenceMoves, stateBytes, loopDelayP99Ms, editSamples, awarenessSamples, presenceSamples };
  }
}

/** Renders the results as Markdown: one summary table, the goals, and the details behind them. */
import type { BundleResult } from './bundle.js';
import type { ProfileSummary } from './profile.js';
import type { ServerId, ServerSpec } from './servers.js';
import type { ColdOpenResult } from '../workloads/coldOpen.js';
import type { CrossInstanceResult } from '../workloads/crossInstance.js';
import type { SectionLockResult } from '../workloads/sectionLocks.js';
import type { HistoryBenchResult } from '../workloads/history.js';
import type { ExportImportResult } from '../workloads/exportImport.js';
import type { LatencyResult } from '../workloads/latency.js';
import type { MemoryResult } from '../workloads/memory.js';
import type { PresenceResult } from '../workloads/presence.js';
import type { MeetingOptions, MeetingResult } from '../workloads/meeting.js';
import type { Summary } from './stats.js';
import { DISTURBANCE_CORE, type ThroughputResult } from '../workloads/throughput.js';

export interface ServerResults {
  spec: ServerSpec;
  latency?: LatencyResult;
  throughput?: ThroughputResult;
  coldOpen?: ColdOpenResult;
  /** Ours: (c) again with the issue-13 goal's history length (settings.coldOpenLong). */
  coldOpenLong?: ColdOpenResult;
  memory?: MemoryResult;
  presence?: PresenceResult;
  meeting?: MeetingResult;
  crossInstance?: CrossInstanceResult;
  sectionLocks?: SectionLockResult;
  history?: HistoryBenchResult;
  exportImport?: ExportImportResult;
  profile?: Partial<Record<'a' | 'b' | 'm', ProfileSummary>>;
  errors: Partial<Record<'a' | 'b' | 'c' | 'd' | 'p' | 'm' | 'x' | 'l' | 'h' | 'e', string>>;
}

/** (r): figures of e2e/scripts/receivingBrowser.ts (RESULT_JSON). */
export interface ReceivingBrowserResult {
  phaseSeconds: number;
  carets: number;
  threads: number;
  remoteEditPaintedMs: { n: number; median: number; p95: number; max: number };
  remoteCaretPaintedMs: { n: number; median: number; p95: number; max: number };
  workPerRemoteEditMs: number;
  workPerCaretMoveMs: number;
  localKeypressPaintedMs: { n: number; median: number; p95: number; max: number };
  warmOpenMs: { n: number; median: number; p95: number; max: number };
  coldOpenMs: number;
  longTasks: number;
}

export interface BenchResults {
  /** (f) first-load JavaScript per page, from the built client. */
  bundle?: BundleResult;
  /** (r) the receiving browser. */
  receivingBrowser?: ReceivingBrowserResult;
  /** Errors of the workloads that are not per server (f, r). */
  errors?: Partial<Record<'f' | 'r', string>>;
  startedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; node: string; platform: string; memoryGiB: number };
  settings: Record<string, unknown> & {
    quick: boolean;
    latency: { warmup: number; edits: number };
    throughput: { documents: number; clientsPerDocument: number; rates: number[]; measureSeconds: number; rampSeconds: number; p99LimitMs: number; generatorCoreLimit: number };
    coldOpen: { updates: number; opens: number };
    memory: { documents: number };
    presence?: { clients: number; intervalSeconds: number };
    meeting?: MeetingOptions;
  };
  servers: Partial<Record<ServerId, ServerResults>>;
}

const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(1)) : '∞');
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function sustained(result: ThroughputResult | undefined): string {
  if (!result) return '—';
  if (result.sustainedRate === null) return 'none passed';
  const suffix = result.limitedBy === 'generator' ? ' (≥; generator-bound above)' : result.limitedBy === 'sweep-ceiling' ? ' (≥; top of sweep)' : '';
  const cost = result.serverCpuUsPerUpdate !== null ? ` · ${result.serverCpuUsPerUpdate.toFixed(0)} µs server CPU/update` : '';
  return `${result.sustainedRate}${suffix}${cost}`;
}

function openCell(result: ColdOpenResult | undefined, updates: number): string {
  if (!result) return '—';
  const label = result.kind === 'warm' ? 'n/a (in-memory); warm ' : '';
  const unloaded = result.medianUnloadedOpenMs !== null ? `; unloaded, no restart: ${ms(result.medianUnloadedOpenMs)}` : '';
  return `${label}${ms(result.medianOpenMs)} (first ${ms(result.firstOpenMs)}${unloaded})${result.notes.some((n) => n.includes('differs')) ? ' ⚠ content differs' : ''}${result.historyUpdates !== updates ? ` [${result.historyUpdates} upd]` : ''}`;
}

function errorCell(entry: ServerResults, workload: 'a' | 'b' | 'c' | 'd'): string | null {
  return entry.errors[workload] ? `error: ${entry.errors[workload]!.split('\n')[0]!.slice(0, 60)}` : null;
}

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  const entries = Object.values(results.servers).filter((e): e is ServerResults => Boolean(e));
  const s = results.settings;
  out.push(`## Collaboration server benchmark (${results.startedAt.slice(0, 10)}${s.quick ? ', quick run' : ''})`);
  out.push('');
  if (s.janeEnv) out.push(`> **Diagnostic run**: our server ran with BENCH_JANE_ENV=${String(s.janeEnv)}, not the configuration users get.`, '');
  out.push(
    `Machine: ${results.machine.cpus} cores (${results.machine.cpuModel}), ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.platform}. ` +
      'Each server in its own child process on loopback, one at a time; load generator in the parent process.',
  );
  out.push('');
  out.push(
    `| Server | Durability | (a) edit latency p50 / p99 | (b) sustained updates/s (p99 ≤ ${s.throughput.p99LimitMs} ms) | (c) open ${s.coldOpen.updates.toLocaleString('en')}-update doc after restart: median (first; unloaded doc, no restart) | (d) per loaded doc: heap / RSS |`,
  );
  out.push('|---|---|---|---|---|---|');
  for (const entry of entries) {
    const a = errorCell(entry, 'a') ?? (entry.latency ? `${ms(entry.latency.latencyMs.p50)} / ${ms(entry.latency.latencyMs.p99)} ms` : '—');
    const b = errorCell(entry, 'b') ?? sustained(entry.throughput);
    const c = errorCell(entry, 'c') ?? (entry.coldOpen ? `${openCell(entry.coldOpen, s.coldOpen.updates)} ms` : '—');
    const d = errorCell(entry, 'd') ?? (entry.memory ? `${kib(entry.memory.heapBytesPerDoc)} / ${kib(entry.memory.rssBytesPerDoc)}` : '—');
    out.push(`| ${entry.spec.label} | ${entry.spec.durability} | ${a} | ${b} | ${c} | ${d} |`);
  }
  const disturbed = entries.flatMap((e) => [
    ...(e.latency && e.latency.otherCore > DISTURBANCE_CORE ? [`${e.spec.label} (a): ${(e.latency.otherCore * 100).toFixed(0)}%`] : []),
    ...(e.throughput?.steps ?? []).filter((st) => st.otherCore > DISTURBANCE_CORE).map((st) => `${e.spec.label} (b) ${st.targetRate}/s: ${(st.otherCore * 100).toFixed(0)}%`),
  ]);
  if (disturbed.length > 0) {
    out.push('');
    out.push(`> **Other processes used CPU during measurements** (share of one core): ${disturbed.join('; ')}. Re-run on a quiet machine before comparing these.`);
  }
  out.push('');
  out.push(...renderPresence(results));
  out.push(...renderMeeting(entries));
  out.push(...renderCrossInstance(results));
  out.push(...renderSectionLocks(results));
  out.push(...renderHistory(results));
  out.push(...renderExportImport(results));
  out.push(...renderGoals(results));
  out.push('');
  out.push('### How each number is measured');
  out.push(
    `- (a) 2 stock clients (y-websocket \`WebsocketProvider\` with \`disableBc\`; \`HocuspocusProvider\` for Hocuspocus) on one document; after ${s.latency.warmup} warm-up edits, ${s.latency.edits} sequential one-character edits by A; latency = A's local edit → B's Y.Text observer (next edit only after arrival).`,
  );
  out.push(
    `- (b) ${s.throughput.documents} documents × ${s.throughput.clientsPerDocument} raw protocol clients (one Y.Doc each; ${s.throughput.documents * s.throughput.clientsPerDocument} connections), one writer per document typing single characters at a fixed total rate, open loop, evenly phased; ${s.throughput.rampSeconds} s ramp + ${s.throughput.measureSeconds} s measured per step; latency writer's local edit → the update frame reaching each reader (readers note the writer's clock with \`Y.parseUpdateMeta\` instead of applying it, so the generator is not the limit); pass = p99 ≤ ${s.throughput.p99LimitMs} ms and delivered ≥ 95% of target; steps where the generator used > ${s.throughput.generatorCoreLimit * 100}% of a core are discarded.`,
  );
  out.push(
    `- (c) one client applies ${s.coldOpen.updates.toLocaleString('en')} one-character updates through the server (one frame each); ours: until all are acknowledged as saved; anchors: until their persistence has drained; then ${s.coldOpen.opens}× restart the server process and time a new client from \`new WebSocket\` to having the full text; then ${s.coldOpen.opens}× more in the same process after the document was unloaded (last client left). In-memory servers: warm open of the still-loaded document.`,
  );
  out.push(
    `- (d) fresh server; documents created, then baseline heap/RSS after GC (children run with --expose-gc); ${s.memory.documents} documents opened, one client each, 100 characters typed in 10 edits; after GC: delta / ${s.memory.documents}.`,
  );
  if (s.presence) {
    out.push(
      `- (p) ours only: ${s.presence.clients} socket.io clients (members of the 12 JANE workspaces, a third in two), each moving to another section of a draft every ${s.presence.intervalSeconds} s, evenly phased; latency = \`presence:update\` sent → \`presence:changed\` with that section received by each other member of the workspace.`,
    );
  }
  if (s.meeting && entries.some((e) => e.meeting || e.errors.m)) {
    const m = s.meeting;
    out.push(
      `- (m) one 50-page document (24,000 words) written by one client and stored (ours: acknowledged as saved; persistent anchors: persistence drained), then ${m.participants} raw protocol clients (one Y.Doc and one y-protocols Awareness each): ${m.typists} type ${m.charsPerSecond} characters/s each at random places in their own section, all move their caret ${m.caretMovesPerSecond}×/s (awareness state with two relative positions, as y-prosemirror's cursor); ours also gets a \`presence:update\` from each every ${m.presenceIntervalSeconds} s over socket.io (own account each). Open loop, evenly phased; ${m.warmupSeconds} s warm-up, ${m.measureSeconds} s measured; latency = local change → each other client's Y.Doc / Awareness has it; lost deliveries count as ∞; goals: edit p99 ≤ ${m.editP99GoalMs} ms, awareness p99 ≤ ${m.awarenessP99GoalMs} ms, ≥ 99% delivered; generator > ${m.generatorCoreLimit * 100}% of a core is flagged.`,
    );
  }
  out.push(
    '- (r) e2e/scripts/receivingBrowser.ts in headless Chromium (1366×768) on the built client, its own server: a 50-page draft, 30 open threads, 20 remote carets at 2 Hz, a remote typist at 5 characters/s; arrival of each `/collab` frame → the next painted frame; main-thread work from CDP TaskDuration less idle; local keypress → painted; warm open = navigation → every paragraph shown, in a new tab of the same profile.',
    '- (f) client/dist after `pnpm build`: the entry script, the route component\'s chunk and every chunk they import statically, summed as their brotli copies (what the server sends); chunks reached only through `import()` are not counted. `e2e/scripts/firstLoadTransfer.ts` measures the same over the wire in Chromium.',
  );
  out.push('');
  out.push(...renderSteps(entries, s.throughput.p99LimitMs));
  out.push(...renderDetails(entries));
  out.push('### Server configurations');
  for (const entry of entries) out.push(`- **${entry.spec.label}**: ${entry.spec.configuration}`);
  return out.join('\n');
}

function renderPresence(results: BenchResults): string[] {
  const ours = results.servers.jane;
  if (ours?.errors.p) return [`Presence fan-out (p): error: ${ours.errors.p.split('\n')[0]}`, ''];
  const p = ours?.presence;
  if (!p) return [];
  return [
    '### Presence fan-out (ours)',
    '',
    '| clients | workspaces | location updates/s | deliveries/s | delivered | p50 / p99 / max | server CPU | µs per update | generator CPU |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${p.clients} | ${p.workspaces} | ${p.updatesPerSecond} | ${p.deliveriesPerSecond} | ${(p.deliveredFraction * 100).toFixed(1)}% | ${ms(p.latencyMs.p50)} / ${ms(p.latencyMs.p99)} / ${ms(p.latencyMs.max)} ms | ${(p.serverCore * 100).toFixed(0)}% of a core | ${p.serverCpuUsPerUpdate.toFixed(0)} | ${(p.generatorCore * 100).toFixed(0)}% |`,
    '',
  ];
}

function renderMeeting(entries: ServerResults[]): string[] {
  const rows = entries.filter((e) => e.meeting || e.errors.m);
  if (rows.length === 0) return [];
  const cell = (v: Summary) => `${ms(v.p50)} / ${ms(v.p99)} / ${ms(v.max)} ms`;
  const pct = (f: number) => `${(f * 100).toFixed(f >= 0.9995 ? 0 : 1)}%`;
  const first = rows.find((e) => e.meeting)?.meeting;
  const out = [
    '### Meeting in one hot document (m)',
    '',
    first
      ? `${first.participants} participants on one ${first.documentWords.toLocaleString('en')}-word document (${first.documentBlocks} blocks, ${kib(first.documentBytes)} as one update); ${first.typists} typing, everyone moving the caret (awareness state ~${first.awarenessStateBytes} bytes as sent).`
      : '',
    '',
    '| Server | edits/s · caret moves/s | edit delivery p50 / p99 / max | delivered | awareness p50 / p99 / max | delivered | server CPU (kernel) | server µs per edit (per message) | server RSS | generator CPU | load 50 pages; connect 50 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const entry of rows) {
    const m = entry.meeting;
    if (!m) {
      out.push(`| ${entry.spec.label} | error: ${entry.errors.m!.split('\n')[0]!.slice(0, 80)} |  |  |  |  |  |  |  |  |  |`);
      continue;
    }
    const gen = `${(m.generatorCore * 100).toFixed(0)}% (loop delay p99 ${ms(m.generatorLoopDelayP99Ms)} ms)${m.generatorSaturated ? ' ⚠ saturated' : ''}`;
    out.push(
      `| ${entry.spec.label} | ${m.editsPerSecond} · ${m.caretMovesPerSecond} | ${cell(m.edits.latencyMs)} | ${pct(m.edits.deliveredFraction)} | ${cell(m.awareness.latencyMs)} | ${pct(m.awareness.deliveredFraction)} | ` +
        `${(m.serverCore * 100).toFixed(0)}% (${(m.serverSystemCore * 100).toFixed(0)}%) | ${m.serverCpuUsPerEdit.toFixed(0)} (${m.serverCpuUsPerMessage.toFixed(0)}) | ${m.serverRssMiB} MiB | ${gen} | ${(m.loadMs / 1000).toFixed(2)} s; ${m.connectSeconds} s |`,
    );
  }
  const oursStore = rows.find((e) => e.spec.id === 'jane')?.meeting?.store;
  if (oursStore) {
    out.push(
      '',
      `Ours, event loop blocked in the store during the window: SQLite append (group commit, fsync) ${(oursStore.appendBlockedFraction * 100).toFixed(1)}% of the time (longest ${ms(oursStore.appendMaxMs)} ms); ${oursStore.compactions} compaction(s) of the 50-page document (longest ${ms(oursStore.compactMaxMs)} ms).`,
    );
  }
  const ours = rows.find((e) => e.spec.id === 'jane')?.meeting?.presence;
  if (ours) {
    out.push(
      '',
      `Ours, socket.io presence in the same run: ${ours.updatesPerSecond} \`presence:update\`/s, delivered to every participant (the sender included) ${pct(ours.deliveredFraction)}, p50 / p99 / max ${cell(ours.latencyMs)}.`,
    );
  }
  const disturbed = rows.filter((e) => e.meeting && e.meeting.otherCore > DISTURBANCE_CORE);
  if (disturbed.length > 0) out.push('', `> **Disturbed** (other processes > ${DISTURBANCE_CORE * 100}% of a core): ${disturbed.map((e) => `${e.spec.label} ${(e.meeting!.otherCore * 100).toFixed(0)}%`).join('; ')}.`);
  out.push('', '(µs per edit: all server CPU in the window — awareness and presence included — over the edits accepted; per message: over edits + awareness frames + presence updates received.)', '');
  return out;
}

function renderCrossInstance(results: BenchResults): string[] {
  const ours = results.servers.jane;
  if (ours?.errors.x) return [`Scale-out edit latency (x): error: ${ours.errors.x.split('\n')[0]}`, ''];
  const x = ours?.crossInstance;
  if (!x) return [];
  const cell = (s: Summary) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)} ms`;
  return [
    '### Scale-out edit latency (ours, two instances)',
    '',
    `Two instances on one store (${x.store}) and one Redis; ${x.edits} sequential one-character edits by a stock client on instance 1.`,
    '',
    '| observer | p50 / p99 / max | server CPU per edit (both instances) |',
    '|---|---|---|',
    `| same instance (relay) | ${cell(x.sameInstanceMs)} | — |`,
    `| other instance (through Redis) | ${cell(x.crossInstanceMs)} | ${x.serverCpuUsPerEdit} µs |`,
    '',
  ];
}

function renderSectionLocks(results: BenchResults): string[] {
  const ours = results.servers.jane;
  if (ours?.errors.l) return [`Section lock cost (l): error: ${ours.errors.l.split('\n')[0]}`, ''];
  const l = ours?.sectionLocks;
  if (!l) return [];
  const us = (v: number) => (v < 100 ? v.toFixed(1) : v.toFixed(0));
  return [
    '### Agreed-section lock: server CPU per update (ours, in process)',
    '',
    'A contributor types one character per update into a call for expressions of interest (8 sections); the room code only (the store left out).',
    '',
    '| blocks | case | updates | µs mean / p50 / p99 |',
    '|---|---|---|---|',
    ...l.cases.map((c) => `| ${c.blocks} | ${c.scenario} | ${c.updates} | ${us(c.usPerUpdate.mean)} / ${us(c.usPerUpdate.p50)} / ${us(c.usPerUpdate.p99)} |`),
    '',
  ];
}

function renderHistory(results: BenchResults): string[] {
  const ours = results.servers.jane;
  if (ours?.errors.h) return [`Version history (h): error: ${ours.errors.h.split('\n')[0]}`, ''];
  const h = ours?.history;
  if (!h) return [];
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');
  return [
    '### Version history (ours, in process, SQLite)',
    '',
    `A 50-page document (${h.documentChars.toLocaleString('en')} characters of XML), then ${h.edits.toLocaleString('en')} one-character edits by two people between two versions.`,
    '',
    '| measure | result | goal |',
    '|---|---|---|',
    `| extra storage (history) per 1,000 edits | ${kib(h.historyBytesPer1000Edits)} (history ${kib(h.historyBytes)}; load path after compaction ${kib(h.loadPathBytes)}) | — |`,
    `| list versions, p50 / max | ${h.listVersionsMs.p50.toFixed(1)} / ${h.listVersionsMs.max.toFixed(1)} ms | < 100 ms: ${verdict(h.listVersionsMs.max < 100)} |`,
    `| changes between the versions, p50 / max | ${h.changesMs.p50.toFixed(0)} / ${h.changesMs.max.toFixed(0)} ms | < 500 ms: ${verdict(h.changesMs.p50 < 500)} |`,
    `| cold open with the history kept, p50 / max | ${h.coldOpenMs.p50.toFixed(1)} / ${h.coldOpenMs.max.toFixed(1)} ms | < 50 ms: ${verdict(h.coldOpenMs.p50 < 50)} |`,
    '',
  ];
}

function renderExportImport(results: BenchResults): string[] {
  const ours = results.servers.jane;
  if (ours?.errors.e) return [`Export and import (e): error: ${ours.errors.e.split('\n')[0]}`, ''];
  const e = ours?.exportImport;
  if (!e) return [];
  const verdict = (ok: boolean) => (ok ? '**PASS**' : '**FAIL**');
  return [
    '### Export and import (ours, in process)',
    '',
    `A 50-page call for expressions of interest (24,000 words) exported to DOCX (${(e.docxBytes / 1024).toFixed(0)} KiB) and that file imported back (${e.importedBlocks} blocks).`,
    '',
    '| measure | p50 / max | goal |',
    '|---|---|---|',
    `| export to DOCX | ${e.exportMs.p50.toFixed(0)} / ${e.exportMs.max.toFixed(0)} ms | < 1 s: ${verdict(e.exportMs.max < 1000)} |`,
    `| import of the DOCX | ${e.importMs.p50.toFixed(0)} / ${e.importMs.max.toFixed(0)} ms | < 2 s: ${verdict(e.importMs.max < 2000)} |`,
    `| memory | heap ${e.heapGrowthMiB >= 0 ? '+' : ''}${e.heapGrowthMiB} MiB after all runs, RSS peak +${e.rssGrowthMiB} MiB | bounded |`,
    '',
  ];
}

/** The (b) step both servers ran at the highest common rate without the generator saturating. */
function commonStep(ours: ThroughputResult | undefined, anchor: ThroughputResult | undefined): { rate: number; ours: number; anchor: number } | null {
  if (!ours || !anchor) return null;
  const valid = (t: ThroughputResult) => new Map(t.steps.filter((st) => st.verdict !== 'discarded' && Number.isFinite(st.serverCpuUsPerUpdate)).map((st) => [st.targetRate, st]));
  const mine = valid(ours);
  const theirs = valid(anchor);
  const rates = [...mine.keys()].filter((rate) => theirs.has(rate)).sort((x, y) => y - x);
  const rate = rates[0];
  return rate === undefined ? null : { rate, ours: mine.get(rate)!.serverCpuUsPerUpdate, anchor: theirs.get(rate)!.serverCpuUsPerUpdate };
}

/** Issue 13's goals (and the older ones), each judged, ours beside the anchors: one table. */
function renderGoals(results: BenchResults): string[] {
  const ours = results.servers.jane;
  const out = ['### Goals', ''];
  if (!ours) return [...out, '- our server was not run', ''];
  const anchors = Object.values(results.servers).filter((e): e is ServerResults => Boolean(e) && e!.spec.id !== 'jane');
  const verdict = (ok: boolean | null, inconclusive = false) => (ok === null ? 'n/a' : inconclusive ? (ok ? 'pass?' : '**FAIL**') : ok ? '**PASS**' : '**FAIL**');
  const rows: string[][] = [];
  const row = (goal: string, oursCell: string, anchorCell: string, judged: string) => rows.push([goal, oursCell, anchorCell, judged]);

  const anchorP50 = anchors.flatMap((e) => (e.latency ? [{ label: e.spec.label, p50: e.latency.latencyMs.p50 }] : []));
  const best = anchorP50.sort((x, y) => x.p50 - y.p50)[0];
  row(
    '(a) edit latency p50 no worse than the best anchor',
    ours.latency ? `${ms(ours.latency.latencyMs.p50)} ms` : '—',
    best ? `${ms(best.p50)} ms (${best.label})` : '—',
    verdict(ours.latency && best ? ours.latency.latencyMs.p50 <= best.p50 : null),
  );

  const ywssEntry = results.servers.ywss;
  const ywss = ywssEntry?.throughput;
  const cost = commonStep(ours.throughput, ywss);
  row(
    '13.1 (b) server CPU per accepted update, durable, ≤ in-memory @y/websocket-server (same step, generator not saturated)',
    cost ? `${cost.ours.toFixed(0)} µs at ${cost.rate}/s` : ours.throughput ? `${ours.throughput.serverCpuUsPerUpdate ?? '—'} µs` : '—',
    cost ? `${cost.anchor.toFixed(0)} µs (in-memory)` : '—',
    verdict(cost ? cost.ours <= cost.anchor : null),
  );

  const oursRate = ours.throughput?.sustainedRate ?? null;
  const ywssRate = ywss?.sustainedRate ?? null;
  const anchorNotDriven = ywss?.limitedBy === 'generator' || ywss?.limitedBy === 'sweep-ceiling';
  const throughputOk = ours.throughput && ywss ? (oursRate ?? 0) >= 1.5 * (ywssRate ?? 0) : null;
  const rateCell = (t: ThroughputResult | undefined) => (t ? `${t.sustainedRate ?? 'none'}${t.limitedBy === 'generator' ? ' (≥; generator-bound)' : t.limitedBy === 'sweep-ceiling' ? ' (≥; top of sweep)' : ''}` : '—');
  row(
    '13.2 (b) sustained updates/s at p99 ≤ 50 ms ≥ 1.5× @y/websocket-server (in memory), durability on',
    rateCell(ours.throughput),
    anchors.filter((e) => e.throughput).map((e) => `${e.spec.label}: ${rateCell(e.throughput)}`).join('; ') || '—',
    verdict(throughputOk, anchorNotDriven && throughputOk === true),
  );

  const meeting = ours.meeting;
  const goals = results.settings.meeting;
  if (goals) {
    const anchorMeeting = (pick: (m: MeetingResult) => string) => anchors.filter((e) => e.meeting).map((e) => `${e.spec.label}: ${pick(e.meeting!)}`).join('; ') || '—';
    const caveat = meeting?.generatorSaturated === true;
    row(
      `13.3 (m) meeting of ${goals.participants}: edit delivery p99 ≤ ${goals.editP99GoalMs} ms (server CPU per edit)`,
      meeting ? `${ms(meeting.edits.latencyMs.p99)} ms (${meeting.serverCpuUsPerEdit.toFixed(0)} µs)` : ours.errors.m ? 'error' : '—',
      anchorMeeting((m) => `${ms(m.edits.latencyMs.p99)} ms (${m.serverCpuUsPerEdit.toFixed(0)} µs)`),
      verdict(meeting ? meeting.editGoalMet : null, caveat),
    );
    row(
      `13.3 (m) meeting of ${goals.participants}: awareness delivery p99 ≤ ${goals.awarenessP99GoalMs} ms (server CPU, cores)`,
      meeting ? `${ms(meeting.awareness.latencyMs.p99)} ms (${meeting.serverCore.toFixed(2)})` : ours.errors.m ? 'error' : '—',
      anchorMeeting((m) => `${ms(m.awareness.latencyMs.p99)} ms (${m.serverCore.toFixed(2)})`),
      verdict(meeting ? meeting.awarenessGoalMet : null, caveat),
    );
  }

  const browser = results.receivingBrowser;
  const browserError = results.errors?.r ? 'error' : '—';
  const b = (pick: (r: ReceivingBrowserResult) => string) => (browser ? pick(browser) : browserError);
  row(
    '13.4 (r) receiving browser, 50 pages, 20 carets, 30 threads: remote edit → painted median ≤ 4 ms, p95 ≤ 12 ms',
    b((r) => `${ms(r.remoteEditPaintedMs.median)} / ${ms(r.remoteEditPaintedMs.p95)} ms`),
    'n/a (browser)',
    verdict(browser ? browser.remoteEditPaintedMs.median <= 4 && browser.remoteEditPaintedMs.p95 <= 12 : null),
  );
  row(
    '13.4 (r) main-thread work per remote update ≤ 5 ms',
    b((r) => `${ms(r.workPerRemoteEditMs)} ms (caret move ${ms(r.workPerCaretMoveMs)} ms)`),
    'n/a (browser)',
    verdict(browser ? browser.workPerRemoteEditMs <= 5 : null),
  );
  row(
    '13.4 (r) local keypress → painted p95 ≤ 16 ms (20 carets moving)',
    b((r) => `${ms(r.localKeypressPaintedMs.p95)} ms (median ${ms(r.localKeypressPaintedMs.median)})`),
    'n/a (browser)',
    verdict(browser ? browser.localKeypressPaintedMs.p95 <= 16 : null),
  );
  row(
    '13.4 (r) warm open of the 50-page document ≤ 300 ms',
    b((r) => `${ms(r.warmOpenMs.median)} ms (median of ${r.warmOpenMs.n})`),
    'n/a (browser)',
    verdict(browser ? browser.warmOpenMs.median <= 300 : null),
  );

  const long = ours.coldOpenLong;
  const open = ours.coldOpen;
  const openRow = (result: ColdOpenResult | undefined, updates: number, label: string) =>
    row(
      `${label} (c) open of a ${updates.toLocaleString('en')}-update document after a restart < 50 ms`,
      result ? `${ms(result.medianOpenMs)} ms (first ${ms(result.firstOpenMs)})` : ours.errors.c ? 'error' : '—',
      anchors.filter((e) => e.coldOpen).map((e) => `${e.spec.label}: ${openCell(e.coldOpen, results.settings.coldOpen.updates)} ms`).join('; ') || '—',
      verdict(result ? result.medianOpenMs < 50 : null),
    );
  openRow(open, results.settings.coldOpen.updates, '');
  const longSettings = results.settings.coldOpenLong as { updates: number } | undefined;
  if (longSettings) openRow(long, longSettings.updates, '13.5');

  const documentPage = results.bundle?.pages.find((page) => page.page === 'document');
  row(
    '13.5 (f) first load of the document page ≤ 250 KiB of compressed JavaScript (entry + route + static imports, brotli)',
    documentPage ? `${kib(documentPage.jsBrotliBytes)} (${documentPage.chunks} files; ${kib(documentPage.jsBytes)} uncompressed)` : results.errors?.f ? 'error' : '—',
    'n/a',
    verdict(documentPage ? documentPage.jsBrotliBytes <= 250 * 1024 : null),
  );

  out.push('| Goal | Ours | Anchors | Verdict |', '|---|---|---|---|');
  for (const [goal, oursCell, anchorCell, judged] of rows) out.push(`| ${goal} | ${oursCell} | ${anchorCell} | ${judged} |`);
  out.push(
    '',
    '"pass?" = passed against an anchor the generator could not drive to its limit (not conclusive). 13.6 (cost on paper) is in the README, computed from these figures.',
  );
  if (results.bundle) {
    out.push('', `(f) first-load JavaScript per page (built ${results.bundle.builtAt.slice(0, 16)}): ` + results.bundle.pages.map((p) => `${p.page} ${kib(p.jsBrotliBytes)}`).join(', '));
  }
  for (const [workload, error] of Object.entries(results.errors ?? {})) out.push('', `(${workload}) ERROR: ${error}`);
  out.push('');
  return out;
}

function renderSteps(entries: ServerResults[], limit: number): string[] {
  const out = [
    '### (b) sweep steps',
    '',
    '| Server | target/s | sent/s | delivered/s | p50 ms | p99 ms | max ms | generator CPU | other processes | server CPU (kernel) | server µs/update | ours: commits/s × updates, loop blocked in append (max) | ours: compactions, loop blocked (max) | verdict |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const entry of entries) {
    for (const step of entry.throughput?.steps ?? []) {
      const verdict = step.verdict === 'discarded' ? `discarded: ${step.reason}` : step.verdict === 'fail' ? `fail: ${step.reason}` : 'pass';
      out.push(
        `| ${entry.spec.label} | ${step.targetRate} | ${step.sentRate.toFixed(0)} | ${step.deliveredRate.toFixed(0)} | ${ms(step.latencyMs.p50)} | ${ms(step.latencyMs.p99)} | ${ms(step.latencyMs.max)} | ` +
          `${(step.generatorCore * 100).toFixed(0)}% | ${(step.otherCore * 100).toFixed(0)}% | ${(step.serverCore * 100).toFixed(0)}% (${(step.serverSystemCore * 100).toFixed(0)}%) | ${step.serverCpuUsPerUpdate.toFixed(0)} | ` +
          `${step.commitsPerSecond === null ? '—' : `${step.commitsPerSecond} × ${step.updatesPerCommit}, ${((step.appendBlockedFraction ?? 0) * 100).toFixed(0)}% (${ms(step.appendMaxMs ?? Number.NaN)} ms)`} | ` +
          `${step.compactions === null ? '—' : step.compactions === 0 ? '0' : `${step.compactions}, ${ms(step.compactBlockedMs ?? 0)} ms (${ms(step.compactMaxMs ?? 0)} ms)`} | ${verdict} |`,
      );
    }
  }
  out.push('', `(p99 limit ${limit} ms; CPU in % of one core over the measured window.)`, '');
  return out;
}

function renderDetails(entries: ServerResults[]): string[] {
  const out = ['### Details', ''];
  for (const entry of entries) {
    const parts: string[] = [];
    if (entry.latency) parts.push(`(a) server CPU ${entry.latency.serverCpuUsPerEdit} µs/edit (kernel ${entry.latency.serverKernelUsPerEdit}), p90 ${ms(entry.latency.latencyMs.p90)} ms, max ${ms(entry.latency.latencyMs.max)} ms`);
    if (entry.throughput) {
      const t = entry.throughput;
      parts.push(
        `(b) ${t.connections} connections opened in ${t.connectSeconds} s; limited by ${t.limitedBy}` +
          (t.serverCpuUsPerUpdate !== null ? `; server CPU ${t.serverCpuUsPerUpdate} µs/update at ${t.sustainedRate}/s → ~${t.cpuProjectedRate}/s if one core were the only limit` : ''),
      );
    }
    if (entry.coldOpen) {
      const c = entry.coldOpen;
      parts.push(
        `(c) ${c.kind === 'cold' ? 'opens after restart' : 'warm opens'} ${c.openMs.map(ms).join(', ')} ms` +
          (c.unloadedOpenMs.length > 0 ? `; opens after unload, same process: ${c.unloadedOpenMs.map(ms).join(', ')} ms` : '') +
          `; history built at ${c.buildRate} updates/s` +
          (c.persistLagMs !== null ? `, durable ${ms(c.persistLagMs)} ms after the last update was applied` : '') +
          (c.storedLogLength !== null ? `; stored log tail at open: ${c.storedLogLength} updates (rest compacted into the snapshot)` : '') +
          (c.notes.length > 0 ? `; ${c.notes.join('; ')}` : ''),
      );
    }
    if (entry.memory) {
      const m = entry.memory;
      parts.push(
        `(d) heap ${(m.baseline.heapUsed / 2 ** 20).toFixed(1)} → ${(m.loaded.heapUsed / 2 ** 20).toFixed(1)} MiB, RSS ${(m.baseline.rss / 2 ** 20).toFixed(1)} → ${(m.loaded.rss / 2 ** 20).toFixed(1)} MiB for ${m.documents} docs (${m.loaded.loadedDocuments ?? '?'} loaded)`,
      );
    }
    for (const [workload, error] of Object.entries(entry.errors)) parts.push(`(${workload}) ERROR: ${error}`);
    if (parts.length > 0) out.push(`- **${entry.spec.label}**: ${parts.join('; ')}`);
    for (const [workload, profile] of Object.entries(entry.profile ?? {})) {
      out.push(`  - CPU profile during (${workload}) (busy ${profile.busyMs} of ${profile.totalMs} ms): by package ` + profile.byPackage.slice(0, 10).map((p) => `${p.name} ${p.selfPctOfBusy}%`).join(', '));
      out.push(`  - top functions: ` + profile.topFunctions.slice(0, 12).map((f) => `${f.name} ${f.selfPctOfBusy}%`).join('; '));
    }
  }
  out.push('');
  return out;
}

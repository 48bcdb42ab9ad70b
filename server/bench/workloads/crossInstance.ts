/**
 * (x) Scale-out edit latency, ours only: two instances of our server sharing one MongoDB
 * (the jongodb server, or BENCH_MONGODB_URI) and one Redis. Client A types one character
 * at a time on instance 1; the next keystroke is made only after the observer saw the
 * previous one. Measured twice in the same setup: observer on the same instance (relay
 * only) and observer on the other instance (through Redis). Both clients in this process,
 * one clock.
 */
import { connectProvider } from '../lib/providers.js';
import { CpuMeter, waitForQuiet } from '../lib/proc.js';
import { round, summarize, type Summary } from '../lib/stats.js';
import type { ServerHandle } from '../lib/servers.js';

export interface CrossInstanceResult {
  edits: number;
  store: string;
  sameInstanceMs: Summary;
  crossInstanceMs: Summary;
  /** Server CPU (both instances) per edit during the cross-instance pass, µs. */
  serverCpuUsPerEdit: number;
}

const FIELD = 'bench';
const EDIT_TIMEOUT_MS = 5_000;

async function measure(writerOn: ServerHandle, readerOn: ServerHandle, docName: string, warmup: number, edits: number): Promise<{ summary: Summary; cpuUs: number }> {
  const a = connectProvider(writerOn, docName);
  const b = connectProvider(readerOn, docName);
  try {
    await Promise.all([a.synced, b.synced]);
    const textA = a.doc.getText(FIELD);
    const textB = b.doc.getText(FIELD);
    let expectedLength = 0;
    let arrived: ((at: number) => void) | null = null;
    textB.observe(() => {
      if (arrived && textB.length >= expectedLength) {
        const resolve = arrived;
        arrived = null;
        resolve(performance.now());
      }
    });
    const samples: number[] = [];
    let meters: CpuMeter[] = [];
    for (let i = 0; i < warmup + edits; i++) {
      if (i === warmup) meters = [new CpuMeter(writerOn.pid), new CpuMeter(readerOn.pid)];
      expectedLength = textA.length + 1;
      const arrival = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`edit ${i} did not arrive within ${EDIT_TIMEOUT_MS} ms`)), EDIT_TIMEOUT_MS);
        arrived = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      });
      const start = performance.now();
      textA.insert(textA.length, String.fromCharCode(97 + (i % 26)));
      const end = await arrival;
      if (i >= warmup) samples.push(end - start);
    }
    const readings = meters.map((m) => m.read());
    const cpuSeconds = writerOn === readerOn ? readings[0]!.serverCore * readings[0]!.wallSeconds : readings.reduce((sum, r) => sum + r.serverCore * r.wallSeconds, 0);
    return { summary: summarize(samples), cpuUs: round((cpuSeconds * 1e6) / edits, 1) };
  } finally {
    a.destroy();
    b.destroy();
  }
}

export async function runCrossInstance(first: ServerHandle, second: ServerHandle, options: { warmup: number; edits: number; store: string }): Promise<CrossInstanceResult> {
  await waitForQuiet();
  const [sameDoc, crossDoc] = await first.createDocs(2);
  const same = await measure(first, first, sameDoc!, options.warmup, options.edits);
  await waitForQuiet();
  const cross = await measure(first, second, crossDoc!, options.warmup, options.edits);
  return { edits: options.edits, store: options.store, sameInstanceMs: same.summary, crossInstanceMs: cross.summary, serverCpuUsPerEdit: cross.cpuUs };
}

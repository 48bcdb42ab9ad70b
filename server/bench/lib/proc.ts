/** Process-level measurements: CPU time of a child from /proc, free ports, this process's CPU. */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86-64

/** User and system CPU seconds of a process, from /proc/<pid>/stat (10 ms resolution). */
export function childCpuTimes(pid: number): { user: number; system: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at index 2 ("state").
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS_PER_SECOND, system: Number(fields[12]) / CLOCK_TICKS_PER_SECOND };
}

/** User + system CPU seconds of a process. */
export function childCpuSeconds(pid: number): number {
  const { user, system } = childCpuTimes(pid);
  return user + system;
}

/** Resident set size of a process in bytes, from /proc/<pid>/statm. */
export function childRssBytes(pid: number): number {
  const statm = fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
  return Number(statm[1]) * 4096;
}

/** Busy CPU seconds of the whole machine (all cores, all processes), from /proc/stat. */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS_PER_SECOND;
}

/**
 * Waits until the machine is quiet (other sessions may be running tests on it): total CPU
 * below `threshold` cores for `quietSeconds` consecutive seconds, at most `maxWaitSeconds`.
 * Call it while the bench itself is idle. Returns the seconds waited.
 */
export async function waitForQuiet(options: { threshold?: number; quietSeconds?: number; maxWaitSeconds?: number } = {}): Promise<number> {
  const { threshold = 0.12, quietSeconds = 3, maxWaitSeconds = 240 } = options;
  const started = performance.now();
  let quiet = 0;
  let announced = false;
  while ((performance.now() - started) / 1000 < maxWaitSeconds) {
    const before = machineBusySeconds();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const busy = machineBusySeconds() - before;
    quiet = busy < threshold ? quiet + 1 : 0;
    if (quiet >= quietSeconds) break;
    if (quiet === 0 && !announced) {
      announced = true;
      process.stderr.write(`    waiting for other processes to go quiet (machine at ${(busy * 100).toFixed(0)}% of a core)…\n`);
    }
  }
  return (performance.now() - started) / 1000;
}

/** CPU seconds used by this (load generator) process so far. */
export function selfCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Measures CPU use (fraction of one core) of this process and of a child over an interval. */
export class CpuMeter {
  private startWall = performance.now();
  private startSelf = selfCpuSeconds();
  private startChild: { user: number; system: number };
  private startMachine = machineBusySeconds();

  constructor(private readonly childPid: number) {
    this.startChild = childCpuTimes(childPid);
  }

  /**
   * CPU in cores over the interval. `otherCore` is what the rest of the machine used
   * (other processes): anything well above 0 means the numbers were disturbed.
   */
  read(): { wallSeconds: number; generatorCore: number; serverCore: number; serverSystemCore: number; otherCore: number } {
    const wallSeconds = (performance.now() - this.startWall) / 1000;
    const child = childCpuTimes(this.childPid);
    const user = child.user - this.startChild.user;
    const system = child.system - this.startChild.system;
    const generatorCore = (selfCpuSeconds() - this.startSelf) / wallSeconds;
    const serverCore = (user + system) / wallSeconds;
    const machineCore = (machineBusySeconds() - this.startMachine) / wallSeconds;
    return {
      wallSeconds,
      generatorCore,
      serverCore,
      serverSystemCore: system / wallSeconds,
      otherCore: Math.max(0, machineCore - generatorCore - serverCore),
    };
  }
}

/** A port that was free a moment ago (for servers that cannot listen on port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function machineDescription(): { cpus: number; cpuModel: string; node: string; platform: string; memoryGiB: number } {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

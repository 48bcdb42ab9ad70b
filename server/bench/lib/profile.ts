/** Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time by function and by package. */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  files: string[];
  totalMs: number;
  /** Share of samples that were not idle. */
  busyMs: number;
  topFunctions: { name: string; selfMs: number; selfPctOfBusy: number }[];
  byPackage: { name: string; selfMs: number; selfPctOfBusy: number }[];
}

function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const nodeModules = url.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const rest = url.slice(nodeModules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/server/src/');
  if (src >= 0) return `ours: ${url.slice(src + '/server/src/'.length).split('/').slice(0, -1).join('/') || '.'}`;
  if (url.includes('/shared/src/')) return 'ours: shared';
  // The bench runs our server bundled (servers.ts): one file for src/ and shared/ alike.
  if (url.includes('/bench/.build/')) return 'ours (bundled)';
  return url;
}

export function summarizeCpuProfiles(dir: string, top = 20): ProfileSummary {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((nodeId, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      const node = nodes.get(nodeId);
      if (!node) return;
      totalUs += delta;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idleUs += delta;
        return;
      }
      const shortUrl = url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
      const key = `${functionName || '(anonymous)'} ${shortUrl ? `${shortUrl}:${lineNumber + 1}` : ''}`.trim();
      byFunction.set(key, (byFunction.get(key) ?? 0) + delta);
      const pkg = packageOf(url, functionName);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + delta);
    });
  }
  const busyUs = totalUs - idleUs;
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), selfPctOfBusy: Math.round((us / Math.max(1, busyUs)) * 1000) / 10 }));
  return { files, totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), topFunctions: rank(byFunction), byPackage: rank(byPackage) };
}

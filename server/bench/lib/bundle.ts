/**
 * (f) What the first load of a page costs in JavaScript, read from the built client
 * (`client/dist`, `pnpm build`): the entry script, the page's route chunk, and every chunk
 * they import statically (what the browser must fetch before the page can run), summed
 * as the brotli copies the server sends. Chunks reached only by `import()` (split off:
 * panels, dialogs, other pages) are left out; `e2e/scripts/firstLoadTransfer.ts` measures
 * the same in Chromium, over the wire.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface PageBundle {
  page: string;
  /** The route component's chunk (e.g. DocumentView-….js). */
  routeChunk: string;
  chunks: number;
  jsBytes: number;
  jsBrotliBytes: number;
}

export interface BundleResult {
  distDir: string;
  builtAt: string;
  pages: PageBundle[];
}

const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\/[^"']+\.js)["']/g;

function staticImports(file: string): string[] {
  const code = fs.readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of code.matchAll(STATIC_IMPORT)) found.add(match[1]!.slice(2));
  return [...found];
}

function closure(assets: string, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...staticImports(path.join(assets, name)));
  }
  return seen;
}

const brotliSize = (file: string) => (fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : fs.statSync(file).size);

/** `pages`: page label → route component name (the chunk's name before the hash). */
export function measureBundle(distDir: string, pages: Record<string, string>): BundleResult {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) throw new Error(`${distDir} has no index.html: run \`pnpm build\` first`);
  const html = fs.readFileSync(index, 'utf8');
  const entry = /<script[^>]+type="module"[^>]+src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('no entry script in index.html');
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const assets = path.join(distDir, 'assets');
  const files = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
  const result: PageBundle[] = [];
  for (const [page, component] of Object.entries(pages)) {
    const routeChunk = files.find((f) => f.startsWith(`${component}-`));
    if (!routeChunk) throw new Error(`no chunk for ${component} in ${assets}`);
    const chunks = closure(assets, [entry, ...preloads, routeChunk]);
    let jsBytes = 0;
    let jsBrotliBytes = 0;
    for (const chunk of chunks) {
      const file = path.join(assets, chunk);
      jsBytes += fs.statSync(file).size;
      jsBrotliBytes += brotliSize(file);
    }
    result.push({ page, routeChunk, chunks: chunks.size, jsBytes, jsBrotliBytes });
  }
  return { distDir, builtAt: fs.statSync(index).mtime.toISOString(), pages: result };
}

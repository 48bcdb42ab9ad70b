/**
 * How the server is bundled into plain JavaScript that `node` runs without tsx: used by
 * `pnpm build` (build.ts: dist/main.js) and by the benchmark, which measures the server
 * as production runs it (bench/lib/servers.ts).
 *
 * Our workspace package `@jane/shared` (TypeScript sources) is bundled in, with what only
 * it depends on; the server's own dependencies stay in node_modules, loaded by Node as
 * usual (native modules such as better-sqlite3 cannot be bundled anyway). The store's
 * writer thread is always built beside the entry that starts it: contentWriter.ts looks
 * for `contentWorker.js` next to itself.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const serverDir = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(fs.readFileSync(path.join(serverDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const installed = new Set(Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@jane/')));

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Imports of the server's own dependencies (and Node's modules) are left to Node. */
const serverDependenciesExternal: esbuild.Plugin = {
  name: 'server-dependencies-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || installed.has(packageName(args.path))) return { external: true };
      return undefined;
    });
  },
};

/**
 * Bundles `entryPoints` (output name → source path) and the writer thread into `outdir`
 * (emptied first); returns each output file's size in bytes, by path relative to the
 * server package.
 */
export async function bundleServer(entryPoints: Record<string, string>, outdir: string): Promise<Record<string, number>> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { ...entryPoints, contentWorker: path.join(serverDir, 'src/storage/sqlite/contentWorker.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    plugins: [serverDependenciesExternal],
    metafile: true,
    logLevel: 'warning',
  });
  return Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, output]) => [path.relative(serverDir, file), output.bytes]));
}

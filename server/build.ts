/**
 * Builds the server for production: `dist/main.js` and the store's writer thread
 * `dist/contentWorker.js`, plain JavaScript that `node` runs without tsx (which, run in
 * production, started in 2.2 s instead of 0.9 s and kept a 50 MB CLI process and its
 * TypeScript loader beside a 30 MB larger server).
 *
 * Our workspace package `@jane/shared` (TypeScript sources) is bundled in, with what only
 * it depends on; the server's own dependencies stay in node_modules, loaded by Node as
 * usual (native modules such as better-sqlite3 cannot be bundled anyway). Run with
 * `pnpm build`; tests and `pnpm dev` keep running the sources through tsx.
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

const outdir = path.join(serverDir, 'dist');
fs.rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: {
    main: path.join(serverDir, 'src/main.ts'),
    contentWorker: path.join(serverDir, 'src/storage/sqlite/contentWorker.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  plugins: [serverDependenciesExternal],
  metafile: true,
  logLevel: 'warning',
});
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  console.log(`${path.relative(serverDir, file)}  ${(output.bytes / 1024).toFixed(0)} KiB`);
}

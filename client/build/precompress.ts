/**
 * Writes precompressed copies next to every compressible file of the build —
 * `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) — so the server can
 * send them as they are to browsers that accept them, instead of compressing on every
 * request (or not at all). A copy is written only when it is smaller than the file.
 *
 * It runs last (closeBundle, order "post"), after anything else that writes into the
 * output directory, such as the service worker.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** Text formats worth compressing (images and fonts are compressed already). */
const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml)$/i;

async function* filesUnder(directory: string): AsyncGenerator<string> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Compresses one file both ways; returns how many copies were written. */
async function precompressFile(file: string): Promise<number> {
  const content = await readFile(file);
  const [br, gz] = await Promise.all([
    brotli(content, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    }),
    gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  let written = 0;
  if (br.length < content.length) {
    await writeFile(`${file}.br`, br);
    written++;
  }
  if (gz.length < content.length) {
    await writeFile(`${file}.gz`, gz);
    written++;
  }
  return written;
}

export function precompress(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'jane:precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const outDir = path.resolve(config.root, config.build.outDir);
        const files: string[] = [];
        for await (const file of filesUnder(outDir)) if (COMPRESSIBLE.test(file)) files.push(file);
        const written = await Promise.all(files.map(precompressFile));
        config.logger.info(`precompressed ${files.length} files (${written.reduce((a, b) => a + b, 0)} .br/.gz copies)`);
      },
    },
  };
}

/**
 * What outside testing found in the first screens and the way the app is served: the
 * CSP over plain HTTP, precompressed assets, private source maps, and where a relative
 * DATA_DIR lands.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startServer, type JaneServer } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { testConfig } from './helpers/server.js';
import { makeTempDir } from './helpers/tempDir.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A built client as `vite build` leaves it: an app shell, a hashed asset with precompressed copies, and a source map. */
function fakeClientBuild(): string {
  const temp = makeTempDir('jane-dist-');
  cleanups.push(temp.remove);
  const assets = path.join(temp.dir, 'assets');
  fs.mkdirSync(assets);
  fs.writeFileSync(path.join(temp.dir, 'index.html'), '<!doctype html><title>JANE</title><script type="module" src="/assets/app-1234.js"></script>');
  const script = `console.log(${JSON.stringify('JANE Workspace '.repeat(400))});\n`;
  fs.writeFileSync(path.join(assets, 'app-1234.js'), script);
  fs.writeFileSync(path.join(assets, 'app-1234.js.br'), zlib.brotliCompressSync(script));
  fs.writeFileSync(path.join(assets, 'app-1234.js.gz'), zlib.gzipSync(script));
  fs.writeFileSync(path.join(assets, 'app-1234.js.map'), '{"sources":["secret.ts"]}');
  return temp.dir;
}

async function serve(env: Record<string, string>, clientDist: string | null = null): Promise<JaneServer> {
  const { config, cleanup } = testConfig(env);
  cleanups.push(cleanup);
  const server = await startServer({ ...config, clientDist }, { logger: pino({ level: 'silent' }) });
  cleanups.push(() => server.close());
  return server;
}

describe('serving the app', () => {
  it('asks browsers to upgrade requests to https only when the public address is https', async () => {
    const plain = await serve({});
    const csp = (await fetch(`${plain.url}/api/health`)).headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const secure = await serve({ PUBLIC_URL: 'https://workspace.jane-project.eu' });
    expect((await fetch(`${secure.url}/api/health`)).headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('serves precompressed brotli or gzip copies to browsers that accept them, the plain file otherwise, and never a source map', async () => {
    const dist = fakeClientBuild();
    const server = await serve({}, dist);
    const original = fs.readFileSync(path.join(dist, 'assets', 'app-1234.js'));
    const get = (encoding: string) => fetch(`${server.url}/assets/app-1234.js`, { headers: { 'accept-encoding': encoding } });

    const br = await get('gzip, deflate, br');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(br.headers.get('cache-control')).toContain('immutable');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    expect(Number(br.headers.get('content-length'))).toBeLessThan(original.byteLength / 5);
    // fetch decodes it: the browser gets exactly the built script.
    expect(Buffer.from(await br.arrayBuffer()).equals(original)).toBe(true);

    const gzip = await get('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(Buffer.from(await gzip.arrayBuffer()).equals(original)).toBe(true);

    const identity = await get('identity');
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(Number(identity.headers.get('content-length'))).toBe(original.byteLength);

    expect((await fetch(`${server.url}/assets/app-1234.js.map`)).status).toBe(404);
    const shell = await fetch(`${server.url}/w/some-workspace`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    expect(await shell.text()).toContain('<title>JANE</title>');
  });
});

describe('configuration', () => {
  it('resolves a relative DATA_DIR against the directory the command was run in, not server/', () => {
    const config = loadConfig({ DATA_DIR: './my-data', INIT_CWD: '/srv/jane' });
    expect(config.dataDir).toBe('/srv/jane/my-data');
    expect(loadConfig({ DATA_DIR: '/var/lib/jane' }).dataDir).toBe('/var/lib/jane');
  });
});

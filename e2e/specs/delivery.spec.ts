/**
 * What the app sends to browsers: no source maps (they would publish the whole source),
 * a brotli and a gzip copy next to every compressible file so the server can send them
 * as they are, and a sign-in page that does not download what only signed-in pages use
 * (realtime, meetings, the editor).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, brotliDecompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { expect, openDocument, test, type OpenDocument } from '../fixtures';
import { CONTRIBUTOR } from '../people';

/** What the test server serves (its CLIENT_DIST, by default the client's build). */
const dist = process.env.CLIENT_DIST ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'client', 'dist');
/** JavaScript and CSS of the sign-in page, uncompressed (it was 239 KiB when it carried socket.io). */
const SIGN_IN_BUDGET = 190 * 1024;

interface LoadedFile {
  url: string;
  body: Buffer;
}

/** Every script, style sheet and the page itself, as the browser received them. */
function recordFiles(page: Page): LoadedFile[] {
  const files: LoadedFile[] = [];
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    if (type !== 'script' && type !== 'stylesheet' && type !== 'document') return;
    if (!response.ok()) return;
    files.push({ url: response.url(), body: await response.body() });
  });
  return files;
}

/** The sign-in page (not signed in) and a document page (signed in): between them, every kind of file. */
async function visitSignInAndDocument(anonymous: Page, member: Page, doc: OpenDocument): Promise<LoadedFile[]> {
  const anonymousFiles = recordFiles(anonymous);
  const memberFiles = recordFiles(member);
  await anonymous.goto('/login');
  await expect(anonymous.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await openDocument(member, doc);
  return [...anonymousFiles, ...memberFiles];
}

test('no source maps are published, and no file points to one', async ({ createDocument, openAnonymous, openAs }) => {
  const doc = await createDocument();
  const member = await openAs(CONTRIBUTOR);
  const loaded = await visitSignInAndDocument(await openAnonymous(), member, doc);

  const assets = loaded.filter((file) => /\.(js|css)$/.test(new URL(file.url).pathname));
  expect(assets.length).toBeGreaterThan(3);
  for (const file of assets) {
    expect(file.body.includes('sourceMappingURL'), `${file.url} points to a source map`).toBe(false);
    const map = await member.request.get(`${file.url}.map`);
    const text = map.ok() ? await map.text() : '';
    expect(text, `${file.url}.map`).not.toContain('"mappings"');
  }
});

test('every text file a page loads has a smaller brotli and gzip copy next to it in the build', async ({ createDocument, openAnonymous, openAs }) => {
  const doc = await createDocument();
  const loaded = await visitSignInAndDocument(await openAnonymous(), await openAs(CONTRIBUTOR), doc);
  const paths = new Set(loaded.map((file) => new URL(file.url).pathname).filter((pathname) => /\.(js|css|svg)$/.test(pathname)));
  paths.add('/index.html');
  expect(paths.size).toBeGreaterThan(5);

  for (const pathname of paths) {
    const file = path.join(dist, pathname);
    const original = fs.readFileSync(file);
    const brotliPath = `${file}.br`;
    const gzipPath = `${file}.gz`;
    // A copy is only written when it is smaller; for the tiniest files it may not be.
    const brotliHelps = brotliCompressSync(original, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length < original.length;
    const gzipHelps = gzipSync(original, { level: 9 }).length < original.length;
    expect(fs.existsSync(brotliPath), `${pathname}.br`).toBe(brotliHelps);
    expect(fs.existsSync(gzipPath), `${pathname}.gz`).toBe(gzipHelps);
    if (brotliHelps) expect(brotliDecompressSync(fs.readFileSync(brotliPath)).equals(original), `${pathname}.br`).toBe(true);
    if (gzipHelps) expect(gunzipSync(fs.readFileSync(gzipPath)).equals(original), `${pathname}.gz`).toBe(true);
  }
});

test('the sign-in page downloads only what signing in needs', async ({ openAnonymous }) => {
  const page = await openAnonymous();
  const files = recordFiles(page);
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');

  const assets = files.filter((file) => /\.(js|css)$/.test(new URL(file.url).pathname));
  const bytes = assets.reduce((total, file) => total + file.body.length, 0);
  expect(bytes).toBeLessThan(SIGN_IN_BUDGET);
  // Realtime (socket.io) and the editor come with the pages that use them.
  for (const file of assets) {
    expect(file.body.includes('EIO='), `${file.url} carries socket.io`).toBe(false);
    expect(file.body.includes('prosemirror'), `${file.url} carries the editor`).toBe(false);
  }
});

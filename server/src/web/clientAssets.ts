/**
 * Serves the built client: hashed assets cached for a year, the app shell for every
 * client-side route, and the precompressed copies the build writes next to each file
 * (`<file>.br`, `<file>.gz`) to browsers that accept them. Source maps are never served
 * (they would publish the source).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

type Encoding = 'br' | 'gzip';

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** Which encodings the request accepts, best first (q=0 excluded). */
function acceptedEncodings(req: Request): Encoding[] {
  const header = String(req.headers['accept-encoding'] ?? '');
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name || params.some((p) => p.trim() === 'q=0')) continue;
    accepted.add(name);
  }
  return (['br', 'gzip'] as const).filter((encoding) => accepted.has(encoding));
}

/** Every precompressed copy in the build (the build does not change while we run). */
function findCompressed(dist: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.br') || entry.name.endsWith('.gz')) found.add(full);
    }
  };
  walk(dist);
  return found;
}

export function clientAssets(dist: string): Router {
  const router = express.Router();
  const compressed = findCompressed(dist);
  const indexFile = path.join(dist, 'index.html');

  /** Sends `file`, or its best precompressed copy the browser accepts. */
  const send = (req: Request, res: Response, file: string, cacheControl: string) => {
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('Vary', 'Accept-Encoding');
    res.type(path.extname(file));
    for (const encoding of acceptedEncodings(req)) {
      const candidate = file + SUFFIX[encoding];
      if (!compressed.has(candidate)) continue;
      res.setHeader('Content-Encoding', encoding);
      res.sendFile(candidate);
      return;
    }
    res.sendFile(file);
  };

  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.endsWith('.map')) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    const file = path.join(dist, relative);
    if (!file.startsWith(dist + path.sep) || file.endsWith('.br') || file.endsWith('.gz')) return next();
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return next();
    }
    if (!stat.isFile() || file === indexFile) return next();
    // Hashed names never change content; everything else (the service worker above all)
    // is checked again on every load, so that a deploy reaches everyone.
    const immutable = file.includes(`${path.sep}assets${path.sep}`) || /^workbox-[\w-]+\.js$/.test(path.basename(file));
    send(req, res, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  });

  // Client-side routes: every other GET serves the app shell.
  router.get(/^\/(?!api\/|collab\/|socket\.io\/).*/, (req, res) => send(req, res, indexFile, 'no-cache'));
  return router;
}

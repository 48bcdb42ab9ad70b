/**
 * How many bytes of JavaScript and CSS the first visit of each main page costs.
 *
 * Against a running server (JANE_URL, default http://127.0.0.1:3000) and an account on
 * it (JANE_EMAIL / JANE_PASSWORD, default: the e2e administrator), this opens the
 * sign-in, home, workspace and document pages, each in a fresh Chromium context (empty
 * cache, service workers blocked), waits until the page shows its content and the network
 * is quiet, and prints a Markdown table:
 *
 * - "transferred" is what came over the wire: Chromium's `encodedDataLength` per response
 *   (headers included, compressed if the server compressed it);
 * - "JS body" is the JavaScript alone as it came over the wire, without the response
 *   headers (brotli when the server sent brotli): what the bundle itself costs;
 * - "decoded" is the size of the files themselves, after decompression;
 * - "precompressed .br" (shown when the server answers `<file>.br` requests) sums the
 *   brotli copies the build writes next to each file: what a server that sends them
 *   would transfer.
 *
 * The service worker precaches the rest of the app in the background after the first
 * paint; what that costs over the network (files the page already loaded come from the
 * HTTP cache) is measured on the document page and printed below the table.
 *
 *   cd e2e && JANE_URL=http://127.0.0.1:3000 npx tsx scripts/firstLoadTransfer.ts
 *
 * With JANE_FILES=1 it also lists every file each page loaded, largest first.
 */
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../env';
import { ADMIN } from '../people';

const BASE_URL = (process.env.JANE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const EMAIL = process.env.JANE_EMAIL ?? ADMIN.email;
const PASSWORD = process.env.JANE_PASSWORD ?? ADMIN.password;
/** The network counts as quiet once no script or style sheet has been pending for this long. */
const QUIET_MS = 750;
const LIST_FILES = process.env.JANE_FILES === '1';

type Kind = 'js' | 'css';

interface Transfer {
  url: string;
  kind: Kind;
  transferred: number;
  /** The body as it came over the wire (compressed), without the headers. */
  body: number;
  decoded: number;
  encoding: string;
}

interface PageVisit {
  name: string;
  path: string;
  signedIn: boolean;
  /** Resolves once the page shows what a person came for. */
  shown(page: Page): Promise<void>;
}

function kindOf(resourceType: string, mimeType: string): Kind | null {
  if (resourceType === 'Script' || /javascript/.test(mimeType)) return 'js';
  if (resourceType === 'Stylesheet' || mimeType === 'text/css') return 'css';
  return null;
}

/** Records every script and style sheet the page itself loads (service worker fetches are a separate target). */
async function recordTransfers(page: Page): Promise<{ transfers: Transfer[]; quiet(): Promise<void> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const pending = new Map<string, Omit<Transfer, 'transferred'>>();
  const transfers: Transfer[] = [];
  let lastActivity = Date.now();
  const inFlight = new Set<string>();

  cdp.on('Network.requestWillBeSent', ({ requestId, type }) => {
    if (type === 'Script' || type === 'Stylesheet') {
      inFlight.add(requestId);
      lastActivity = Date.now();
    }
  });
  cdp.on('Network.responseReceived', ({ requestId, type, response }) => {
    const kind = kindOf(type, response.mimeType);
    if (!kind) return;
    const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
    pending.set(requestId, { url: response.url, kind, body: 0, decoded: 0, encoding: headers['content-encoding'] ?? 'identity' });
  });
  cdp.on('Network.dataReceived', ({ requestId, dataLength, encodedDataLength }) => {
    const entry = pending.get(requestId);
    if (!entry) return;
    entry.decoded += dataLength;
    entry.body += encodedDataLength;
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    inFlight.delete(requestId);
    lastActivity = Date.now();
    const entry = pending.get(requestId);
    if (!entry) return;
    pending.delete(requestId);
    transfers.push({ ...entry, transferred: encodedDataLength });
  });
  cdp.on('Network.loadingFailed', ({ requestId }) => {
    inFlight.delete(requestId);
    pending.delete(requestId);
  });

  async function quiet(): Promise<void> {
    while (inFlight.size > 0 || Date.now() - lastActivity < QUIET_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { transfers, quiet };
}

/**
 * A fresh context. `serviceWorkers: 'block'` for the first-load visits: the page registers
 * its worker once loaded, and the worker's precache would otherwise race the page for the
 * files it loads a moment later (they then arrive from the worker's fetch, and the page's
 * own request shows 0 bytes), so the totals changed from run to run.
 */
async function newContext(browser: Browser, signedIn: boolean, serviceWorkers: 'allow' | 'block' = 'allow'): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: BASE_URL, viewport: { width: 1366, height: 768 }, serviceWorkers });
  if (!signedIn) return context;
  const response = await context.request.post('/api/auth/login', { data: { email: EMAIL, password: PASSWORD } });
  if (!response.ok()) throw new Error(`Signing in as ${EMAIL} failed: ${response.status()} ${await response.text()}`);
  return context;
}

/** A workspace the account belongs to and a document in it (created if there is none). */
async function findTargets(browser: Browser): Promise<{ workspaceId: string; documentId: string }> {
  const context = await newContext(browser, true);
  try {
    const { workspaces } = (await (await context.request.get('/api/workspaces')).json()) as { workspaces: { id: string }[] };
    for (const workspace of workspaces) {
      const { documents } = (await (await context.request.get(`/api/workspaces/${workspace.id}/documents`)).json()) as { documents: { id: string }[] };
      if (documents[0]) return { workspaceId: workspace.id, documentId: documents[0].id };
    }
    const workspace = workspaces[0];
    if (!workspace) throw new Error(`${EMAIL} belongs to no workspace.`);
    const created = await context.request.post(`/api/workspaces/${workspace.id}/documents`, {
      data: { title: 'First-load measurement draft', template: 'call-for-expressions-of-interest' },
    });
    if (!created.ok()) throw new Error(`Creating a document failed: ${created.status()} ${await created.text()}`);
    const { document } = (await created.json()) as { document: { id: string } };
    return { workspaceId: workspace.id, documentId: document.id };
  } finally {
    await context.close();
  }
}

/** The size of the brotli copy next to each file, or null if any is missing (the SPA fallback answers with HTML). */
async function precompressedSize(context: BrowserContext, transfers: Transfer[]): Promise<number | null> {
  let total = 0;
  for (const transfer of transfers) {
    const response = await context.request.get(`${transfer.url}.br`, { headers: { 'accept-encoding': 'identity' } });
    if (!response.ok() || (response.headers()['content-type'] ?? '').startsWith('text/html')) return null;
    total += (await response.body()).length;
  }
  return total;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

function sum(transfers: Transfer[], kind: Kind, field: 'transferred' | 'body' | 'decoded'): number {
  return transfers.filter((t) => t.kind === kind).reduce((total, t) => total + t[field], 0);
}

async function measurePrecache(browser: Browser, path: string, shown: PageVisit['shown']): Promise<{ files: number; bytes: number } | null> {
  const context = await newContext(browser, true);
  try {
    let files = 0;
    let bytes = 0;
    const counting: Promise<void>[] = [];
    context.on('requestfinished', (request) => {
      if (!request.serviceWorker()) return;
      counting.push(
        request.sizes().then((sizes) => {
          files++;
          bytes += sizes.responseBodySize + sizes.responseHeadersSize;
        }),
      );
    });
    const page = await context.newPage();
    await page.goto(path);
    await shown(page);
    const registered = await page.evaluate(async () => {
      if (!('serviceWorker' in navigator) || !(await navigator.serviceWorker.getRegistration())) return false;
      await navigator.serviceWorker.ready;
      return true;
    });
    await Promise.all(counting);
    return registered ? { files, bytes } : null;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const { workspaceId, documentId } = await findTargets(browser);
    const visits: PageVisit[] = [
      { name: 'Sign in', path: '/login', signedIn: false, shown: (page) => page.getByRole('heading', { name: 'Sign in' }).waitFor() },
      { name: 'Home', path: '/', signedIn: true, shown: (page) => page.getByRole('heading', { name: 'My workspaces' }).waitFor() },
      { name: 'Workspace', path: `/w/${workspaceId}`, signedIn: true, shown: (page) => page.getByRole('heading', { level: 1 }).waitFor() },
      {
        name: 'Document',
        path: `/d/${documentId}`,
        signedIn: true,
        shown: (page) => page.locator('#document-editor h1, #document-editor h2, #document-editor p').first().waitFor(),
      },
    ];

    const rows: { cells: string[]; brotli: number | null }[] = [];
    const listings: string[] = [];
    for (const visit of visits) {
      const context = await newContext(browser, visit.signedIn, 'block');
      try {
        const page = await context.newPage();
        const { transfers, quiet } = await recordTransfers(page);
        await page.goto(visit.path);
        await visit.shown(page);
        await quiet();
        const js = transfers.filter((t) => t.kind === 'js').length;
        const css = transfers.filter((t) => t.kind === 'css').length;
        const encodings = [...new Set(transfers.map((t) => t.encoding))].join(', ');
        const transferred = sum(transfers, 'js', 'transferred') + sum(transfers, 'css', 'transferred');
        const decoded = sum(transfers, 'js', 'decoded') + sum(transfers, 'css', 'decoded');
        const brotli = await precompressedSize(context, transfers);
        rows.push({
          cells: [
            visit.name,
            `${js} + ${css}`,
            kib(sum(transfers, 'js', 'transferred')),
            kib(sum(transfers, 'js', 'body')),
            kib(sum(transfers, 'css', 'transferred')),
            `**${kib(transferred)}**`,
            kib(decoded),
            encodings,
          ],
          brotli,
        });
        if (LIST_FILES) {
          listings.push(`\n${visit.name} (${visit.path}): transferred / body / decoded`);
          for (const t of [...transfers].sort((a, b) => b.transferred - a.transferred)) {
            listings.push(`  ${kib(t.transferred).padStart(10)} ${kib(t.body).padStart(10)} ${kib(t.decoded).padStart(10)}  ${new URL(t.url).pathname}`);
          }
        }
      } finally {
        await context.close();
      }
    }

    console.log(`First load of each page at ${BASE_URL} (fresh context, Chromium, 1366×768)\n`);
    const withBrotli = rows.some((row) => row.brotli !== null);
    const header = ['Page', 'JS + CSS files', 'JS transferred', 'JS body', 'CSS transferred', 'Total transferred', 'Decoded size', 'Content-Encoding', ...(withBrotli ? ['Precompressed .br'] : [])];
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => '---').join('|')}|`);
    for (const row of rows) console.log(`| ${[...row.cells, ...(withBrotli ? [row.brotli === null ? '—' : kib(row.brotli)] : [])].join(' | ')} |`);
    if (listings.length > 0) console.log(listings.join('\n'));

    const documentVisit = visits[3]!;
    const precache = await measurePrecache(browser, documentVisit.path, documentVisit.shown);
    console.log(
      precache
        ? `\nService worker precache after the first paint (once per version, in the background): ${precache.files} files, ${kib(precache.bytes)} over the network.`
        : '\nNo service worker registered: nothing is precached.',
    );
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

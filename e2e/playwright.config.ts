import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { BASE_URL, CHROMIUM_ARGS, CHROMIUM_PATH, PORT } from './env';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverDir = path.resolve(here, '../server');

// A fresh, empty data directory per run. Workers load this file too; they inherit the
// environment of the main process, so they reuse its directory instead of making more.
const ownsDataDir = !process.env.JANE_E2E_DATA_DIR;
const dataDir = (process.env.JANE_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'jane-e2e-')));
// The main process made it, so it removes it when it exits (after the server has stopped).
if (ownsDataDir && process.env.TEST_WORKER_INDEX === undefined) {
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: './specs',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: './test-results',
  use: {
    baseURL: BASE_URL,
    headless: true,
    viewport: { width: 1366, height: 850 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The empty server's first-run setup goes through the UI first; everything else
    // signs in as the administrator it created.
    { name: 'first-run', testMatch: /first-run\.spec\.ts/ },
    { name: 'app', testIgnore: /first-run\.spec\.ts/, dependencies: ['first-run'] },
  ],
  webServer: {
    // The built server (pnpm build), as production runs it.
    command: 'node dist/main.js',
    cwd: serverDir,
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SCRYPT_COST: '10',
      LOG_LEVEL: 'warn',
      // Meetings record a leave once a person has been gone this long (30 s in production).
      MEETING_GRACE_MS: '2000',
    },
  },
});

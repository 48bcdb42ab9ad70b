import { pino } from 'pino';
import { startServer, type JaneServer } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Store } from '../../src/storage/port.js';
import { makeTempDir } from './tempDir.js';

export interface TestServer extends JaneServer {
  config: Config;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** Test configuration: port 0, loopback, a temp data dir, fast password hashing, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): { config: Config; cleanup(): void } {
  const temp = makeTempDir('jane-server-');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: temp.dir,
    SCRYPT_COST: '10',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    CLIENT_DIST: '',
    DOC_UNLOAD_DELAY_MS: '200',
    ...overrides,
  });
  return { config: { ...config, clientDist: null }, cleanup: temp.remove };
}

/** A real server on a free port with its own SQLite file (or the given store). */
export async function startTestServer(options: { env?: Record<string, string>; store?: Store } = {}): Promise<TestServer> {
  const { config, cleanup } = testConfig(options.env);
  const server = await startServer(config, {
    store: options.store,
    logger: pino({ level: config.logLevel }),
  });
  return Object.assign(server, {
    config,
    async stop() {
      await server.close();
      cleanup();
    },
  });
}

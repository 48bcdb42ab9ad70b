import { startServer } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';

/** A wrong variable is a person's mistake: every problem in plain words, exit code 2, no stack trace. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nFix these environment variables and start again (the README lists them all).\n`);
    process.exit(2);
  }
}

const config = configOrExit();
const server = await startServer(config);
server.context.logger.info(
  { url: server.url, store: server.store.kind, dataDir: server.store.kind === 'sqlite' ? config.dataDir : undefined },
  `JANE Workspace is running at ${server.url}`,
);
// One plain line for a person reading the terminal (the JSON logs are for machines; under
// `pnpm start` stdout is a pipe, so this cannot depend on it being a terminal).
if (config.logLevel !== 'silent') process.stderr.write(`\n  JANE Workspace is running at ${server.url}\n\n`);

/** Shutdown never takes longer than this, whatever hangs (a stalled store, a dead Redis). */
const SHUTDOWN_DEADLINE_MS = 10_000;

// A stray rejection in a dependency (e.g. a Redis client during an outage) must not take
// down a process that is serving people; it is logged loudly instead.
process.on('unhandledRejection', (reason) => {
  server.context.logger.error({ err: reason }, 'unhandled promise rejection');
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.context.logger.info({ signal }, 'shutting down: readiness off, flushing documents');
    setTimeout(() => {
      server.context.logger.error('shutdown deadline reached; exiting with changes possibly not flushed');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    server.close(SHUTDOWN_DEADLINE_MS - 2_000).then(
      () => process.exit(0),
      (error) => {
        server.context.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

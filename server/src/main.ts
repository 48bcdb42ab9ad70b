import { startServer } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig();
const server = await startServer(config);
server.context.logger.info(
  { url: server.url, store: server.store.kind, dataDir: server.store.kind === 'sqlite' ? config.dataDir : undefined },
  `JANE Workspace is running at ${server.url}`,
);
if (process.stdout.isTTY || process.env.CI) console.log(`\n  JANE Workspace: ${server.url}\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    server.context.logger.info({ signal }, 'shutting down: flushing documents');
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.context.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

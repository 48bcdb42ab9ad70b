// Loaded with `node --import` in front of @y/websocket-server's own bin script
// (src/server.js, unmodified). It only adds the bench's IPC channel: memory after GC, and
// 'flush', which waits for y-leveldb's write chain (LeveldbPersistence#tr) so that a
// restart measures a cold open instead of losing writes still queued in the process.
import { handleRequests, memorySnapshot } from './ipc.mjs';

handleRequests(async (request) => {
  const utils = await import('@y/websocket-server/utils');
  switch (request.type) {
    case 'mem':
      return memorySnapshot({ loadedDocuments: utils.docs.size });
    case 'flush': {
      const persistence = utils.getPersistence();
      const started = performance.now();
      if (persistence?.provider?.tr) await persistence.provider.tr;
      return { waitedMs: performance.now() - started };
    }
    case 'stats':
      return { loadedDocuments: utils.docs.size };
    default:
      throw new Error(`unknown request ${request.type}`);
  }
});
process.on('disconnect', () => process.exit(0));
// The bin has no signal handlers; exiting normally on SIGTERM (as the default handler would
// end it anyway) lets `node --cpu-prof` write its profile.
process.on('SIGTERM', () => process.exit(0));

/**
 * The writer thread of the embedded store. Committing with `synchronous = FULL` waits
 * for the disk (fsync); done on the main thread it would stall every connection for the
 * duration of each commit, and compaction (folding hundreds of updates) even longer.
 * Here it blocks only this thread; the main thread keeps relaying edits meanwhile.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import { contentSql, TOUCH_EVERY_MS } from './contentSql.js';
import { unpackBatch, type WriterReply, type WriterRequest } from './contentWriter.js';

const port = parentPort;
if (!port) throw new Error('contentWorker must run in a worker thread');

// Below the main thread in CPU priority: when cores are scarce, relaying edits to the
// people watching comes first and the disk write (and its "saved") a moment later. On
// Linux a nice value set from a thread applies to that thread only.
try {
  os.setPriority(0, 10);
} catch {
  // not permitted here: run at normal priority
}

const db = openDatabase((workerData as { file: string }).file);
const sql = contentSql(db);

// "Last edited" times that appends held back are written a moment later, and at close.
let touchTimer: NodeJS.Timeout | null = null;
function scheduleTouches(): void {
  if (touchTimer) return;
  touchTimer = setTimeout(() => {
    touchTimer = null;
    try {
      sql.flushTouches();
    } catch {
      // the next append or the close writes them
    }
  }, TOUCH_EVERY_MS);
}

port.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  try {
    if (request.op === 'append') {
      sql.append(unpackBatch(request.packed), request.at);
      scheduleTouches();
      reply = { id: request.id, ok: true, result: null };
    } else if (request.op === 'compact') {
      reply = { id: request.id, ok: true, result: sql.compact(request.docId) };
    } else {
      if (touchTimer) clearTimeout(touchTimer);
      sql.flushTouches();
      db.close();
      reply = { id: request.id, ok: true, result: null };
    }
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});

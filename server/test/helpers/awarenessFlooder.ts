/**
 * A hostile collaboration client in a process of its own: opens `/collab/<documentId>`
 * with a session cookie and sends awareness frames carrying 8 KB states in bursts,
 * reconnecting whenever it is closed, until `frames` are sent or `ms` have passed.
 * Prints one JSON line: frames sent, connections opened, close codes seen, refused upgrades.
 *
 *   node --import tsx test/helpers/awarenessFlooder.ts <url> <cookie> <documentId> <frames> <ms>
 */
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import { MESSAGE_AWARENESS } from '@jane/shared';

const [url, cookie, documentId, framesText, msText] = process.argv.slice(2);
const total = Number(framesText);
const deadline = Date.now() + Number(msText);
const stats = { sent: 0, connections: 0, closeCodes: [] as number[], refusedUpgrades: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function frame(clock: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, 4242);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify({ cursor: 'x'.repeat(8_000) }));
  const message = encoding.createEncoder();
  encoding.writeVarUint(message, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
  return encoding.toUint8Array(message);
}

async function main(): Promise<void> {
  while (stats.sent < total && Date.now() < deadline) {
    const ws = new WebSocket(`${url!.replace(/^http/, 'ws')}/collab/${documentId}`, { headers: { cookie: cookie! } });
    const opened = await new Promise<boolean>((resolve) => {
      ws.once('open', () => resolve(true));
      ws.once('unexpected-response', () => resolve(false));
      ws.once('error', () => resolve(false));
    });
    if (!opened) {
      stats.refusedUpgrades++;
      ws.terminate();
      await sleep(50);
      continue;
    }
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    const sentBefore = stats.sent;
    while (ws.readyState === WebSocket.OPEN && stats.sent < total && Date.now() < deadline) {
      for (let i = 0; i < 40 && ws.readyState === WebSocket.OPEN; i++) ws.send(frame(++stats.sent));
      await sleep(45);
    }
    if (stats.sent === sentBefore) {
      // Opened as time ran out and sent nothing: there was nothing for the server to close it for.
      ws.terminate();
      break;
    }
    stats.connections++;
    stats.closeCodes.push(await Promise.race([closed, sleep(2_000).then(() => -1)]));
    ws.terminate();
  }
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}

// Ready (code loaded): the test starts measuring; the flood starts a moment later.
process.stdout.write('READY\n');
void sleep(300).then(main).then(() => process.exit(0));

/**
 * A hostile client in a process of its own (so that the measuring test process stays
 * idle): connects to socket.io with a session cookie and sends `count` events as fast as
 * the socket takes them, reconnecting whenever it is disconnected, for at most `ms`.
 * Prints one JSON line: events sent, refusals seen, disconnections, refused handshakes.
 *
 *   node --import tsx test/helpers/flooder.ts <url> <cookie> <event> <count> <ms> [documentId]
 */
import { io } from 'socket.io-client';

const [url, cookie, event, countText, msText, documentId] = process.argv.slice(2);
const count = Number(countText);
const deadline = Date.now() + Number(msText);
const stats = { sent: 0, accepted: 0, refusals: 0, disconnections: 0, refusedHandshakes: 0 };
const payload = event === 'document:watch' ? [{ documentId }] : event === 'presence:update' ? [{ workspaceId: null, documentId: null, sectionTitle: null, activity: 'active', hidden: false }] : [];

function finish(): void {
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.exit(0);
}

function connect(): void {
  if (Date.now() > deadline || stats.sent >= count) return finish();
  const socket = io(url!, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: cookie! }, reconnection: false, forceNew: true });
  socket.on('connect_error', () => {
    stats.refusedHandshakes++;
    setTimeout(connect, 20);
  });
  socket.on('disconnect', () => {
    stats.disconnections++;
    setTimeout(connect, 20);
  });
  socket.on('connect', () => {
    const burst = () => {
      if (!socket.connected) return;
      if (Date.now() > deadline || stats.sent >= count) return finish();
      for (let i = 0; i < 200 && stats.sent < count; i++) {
        stats.sent++;
        socket.emit(event!, ...payload, (result: { ok: boolean }) => {
          if (result.ok) stats.accepted++;
          else stats.refusals++;
        });
      }
      setImmediate(burst);
    };
    burst();
  });
}

// Ready (code loaded): the test starts measuring; the flood starts a moment later.
process.stdout.write('READY\n');
setTimeout(connect, 300);

/**
 * Origin allowlist for cookie-authenticated requests from browsers (WebSocket upgrades,
 * socket.io handshakes and state-changing REST calls). A page on another site cannot
 * ride on a member's cookie: its Origin is neither our own host nor configured.
 * Requests without an Origin header do not come from a browser page and pass.
 */
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';

export function isOriginAllowed(req: IncomingMessage, config: Config): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (config.allowedOrigins.includes(origin)) return true;
  if (config.publicUrl && new URL(config.publicUrl).origin === origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * Cookie sessions. The cookie holds a random token; the store keeps only its SHA-256.
 * The same session authenticates REST, the collaboration WebSocket and socket.io.
 */
import type { IncomingMessage } from 'node:http';
import type { Config } from '../config.js';
import type { Store, UserRecord } from '../storage/port.js';
import { hashSecret, newSecret } from '../ids.js';
import type { LiveSession } from './liveSessions.js';

export const SESSION_COOKIE = 'jane_session';

/** Reads one cookie from a `Cookie` header without pulling in a parser. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

export interface SessionUser {
  user: UserRecord;
  token: string;
  /** The session as a live connection registers it (see liveSessions.ts). */
  session: LiveSession;
}

export class SessionService {
  constructor(
    private readonly store: Store,
    private readonly config: Config,
  ) {}

  async create(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = newSecret();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMs);
    await this.store.sessions.create({
      tokenHash: hashSecret(token),
      userId,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return { token, expiresAt };
  }

  /** The active user behind a session token, or null (unknown, expired, deactivated). */
  async resolve(token: string | null): Promise<UserRecord | null> {
    return (await this.resolveSession(token))?.user ?? null;
  }

  /** The session and its active user, or null (unknown, expired, deactivated). */
  async resolveSession(token: string | null): Promise<SessionUser | null> {
    if (!token || token.length > 100) return null;
    const session = await this.store.sessions.find(hashSecret(token));
    if (!session) return null;
    if (session.expiresAt <= new Date().toISOString()) {
      await this.store.sessions.delete(session.tokenHash);
      return null;
    }
    const user = await this.store.users.findById(session.userId);
    if (!user || !user.active) return null;
    return { user, token, session: { tokenHash: session.tokenHash, userId: user.id, expiresAt: session.expiresAt } };
  }

  /** Resolves the session of an HTTP request (REST, WebSocket upgrade, socket.io handshake). */
  async fromRequest(req: IncomingMessage): Promise<SessionUser | null> {
    return this.resolveSession(readCookie(req.headers.cookie, SESSION_COOKIE));
  }

  /** Signs the session out: deleted from the store; returns its hash (its live connections must close). */
  async destroy(token: string): Promise<string> {
    const tokenHash = hashSecret(token);
    await this.store.sessions.delete(tokenHash);
    return tokenHash;
  }

  /** `Set-Cookie` value for a new session. */
  cookie(token: string, expiresAt: Date, secure: boolean): string {
    const parts = [
      `${SESSION_COOKIE}=${encodeURIComponent(token)}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Expires=${expiresAt.toUTCString()}`,
    ];
    if (secure) parts.push('Secure');
    return parts.join('; ');
  }

  clearCookie(secure: boolean): string {
    return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? '; Secure' : ''}`;
  }
}

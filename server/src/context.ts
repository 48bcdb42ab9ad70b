import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Store } from './storage/port.js';
import type { SessionService } from './auth/sessions.js';
import type { LiveSessions } from './auth/liveSessions.js';
import type { Budgets } from './limits/budgets.js';
import type { LiveDocuments } from './collab/liveDocuments.js';

/**
 * Events about who may access what; transports listen to close what is no longer
 * allowed. They are relayed to the other instances (`fromCluster` marks a relayed one),
 * so a listener acts on its own instance's connections only.
 */
export interface AccessEventMap {
  /** A member was added, removed, or changed role in a workspace. */
  membershipChanged: [{ workspaceId: string; userId: string; fromCluster?: boolean }];
  /** An account was deactivated or its sessions revoked. */
  userSignedOut: [{ userId: string; fromCluster?: boolean }];
  /** One session was signed out. */
  sessionEnded: [{ tokenHash: string; fromCluster?: boolean }];
  /** A document was archived or restored (archived documents open read-only). */
  documentChanged: [{ documentId: string; fromCluster?: boolean }];
  /** An administrator set a new password: waits from failed sign-ins end. */
  passwordReset: [{ email: string; fromCluster?: boolean }];
  /** A section's owner or status changed: locks and the section lists must follow. */
  sectionsChanged: [{ documentId: string; workspaceId: string; fromCluster?: boolean }];
}

export const ACCESS_EVENTS = ['membershipChanged', 'userSignedOut', 'sessionEnded', 'documentChanged', 'passwordReset', 'sectionsChanged'] as const satisfies readonly (keyof AccessEventMap)[];

export class AccessEvents extends EventEmitter<AccessEventMap> {}

/** What readiness reports: set by the boot code and the transports. */
export interface HealthState {
  /** Shutdown has begun: no new clients. */
  draining: boolean;
  redis: () => 'not-configured' | 'connected' | 'disconnected';
}

/** What every feature module gets: configuration, the store and shared services. */
export interface AppContext {
  config: Config;
  store: Store;
  logger: Logger;
  sessions: SessionService;
  accessEvents: AccessEvents;
  /** Closes live connections whose session ended. */
  liveSessions: LiveSessions;
  /** Rate budgets of REST, socket.io and collaboration (limits/budgets.ts). */
  budgets: Budgets;
  /** The server's write path into documents (collab/liveDocuments.ts); set once collab is attached. */
  liveDocuments: LiveDocuments;
  health: HealthState;
}

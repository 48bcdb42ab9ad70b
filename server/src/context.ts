import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Store } from './storage/port.js';
import type { SessionService } from './auth/sessions.js';

/** Events about who may access what; transports listen to close what is no longer allowed. */
export interface AccessEventMap {
  /** A member was added, removed, or changed role in a workspace. */
  membershipChanged: [{ workspaceId: string; userId: string }];
  /** An account was deactivated or its sessions revoked. */
  userSignedOut: [{ userId: string }];
  /** A document was archived or restored (archived documents open read-only). */
  documentChanged: [{ documentId: string }];
}

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
  health: HealthState;
}

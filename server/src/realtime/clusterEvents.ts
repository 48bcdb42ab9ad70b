/**
 * Access events (sign-outs, deactivations, membership and document changes) reach every
 * instance: each one raised here is passed to the others through the socket.io Redis
 * adapter and raised there again, marked `fromCluster` so that it is not passed on twice.
 * Listeners then act on their own instance's connections. Without Redis there is one
 * instance and nothing to relay; during a Redis outage a relayed event can be lost — the
 * periodic session check (auth/liveSessions.ts) still ends what a lost sign-out left open.
 */
import type { Logger } from 'pino';
import { ACCESS_EVENTS, type AccessEventMap, type AccessEvents } from '../context.js';
import type { RealtimeIO } from './types.js';

export type RelayedAccessEvent = { [K in keyof AccessEventMap]: { name: K; payload: AccessEventMap[K][0] } }[keyof AccessEventMap];

export function relayAccessEvents(io: RealtimeIO, events: AccessEvents, logger: Logger): void {
  for (const name of ACCESS_EVENTS) {
    events.on(name, (payload: AccessEventMap[typeof name][0]) => {
      if (payload.fromCluster) return;
      try {
        io.serverSideEmit('access:event', { name, payload } as RelayedAccessEvent);
      } catch (error) {
        logger.warn({ err: error, event: name }, 'could not relay an access event to other instances');
      }
    });
  }
  io.on('access:event', (event: RelayedAccessEvent) => {
    if (!event || !ACCESS_EVENTS.includes(event.name)) return;
    (events.emit as (name: string, payload: unknown) => boolean)(event.name, { ...event.payload, fromCluster: true });
  });
}

import type { Ack, AckCallback } from '@jane/shared';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

const socketLogs = new WeakMap<object, Logger>();

/** Binds a socket's own logger (its id bound): every line about the socket carries the id. */
export function bindSocketLog(socket: object, logger: Logger): Logger {
  socketLogs.set(socket, logger);
  return logger;
}

/** The socket's own logger, or `fallback` when none was bound. */
export function socketLog(socket: object, fallback: Logger): Logger {
  return socketLogs.get(socket) ?? fallback;
}

/**
 * Runs an event handler and answers its acknowledgement: the result, or an error with
 * the same codes and messages as the REST API. A handler never throws into socket.io.
 */
export async function answer<T>(ack: unknown, logger: Logger, handler: () => Promise<T>): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as AckCallback<T>) : null;
  let result: Ack<T>;
  try {
    result = { ok: true, data: await handler() };
  } catch (error) {
    if (error instanceof AppError) {
      result = { ok: false, error: { code: error.code, message: error.message } };
    } else {
      logger.error({ err: error }, 'realtime handler failed');
      result = { ok: false, error: { code: 'internal', message: 'Something went wrong on the server. Try again.' } };
    }
  }
  reply?.(result);
}

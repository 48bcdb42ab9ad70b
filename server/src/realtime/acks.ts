import type { Ack, AckCallback } from '@jane/shared';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

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

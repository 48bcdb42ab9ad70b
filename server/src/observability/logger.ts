/**
 * The server's pino logger. Lines name people by account id only: fields that could carry
 * personal data or secrets are redacted wherever they appear, and e-mail addresses inside
 * error messages (a store's duplicate-key error quotes the value) are masked.
 */
import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

/** Masks e-mail addresses in free text. */
export function scrubPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]');
}

const REDACTED_FIELDS = ['email', 'password', 'newPassword', 'token', 'cookie', 'authorization'];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: [...REDACTED_FIELDS, ...REDACTED_FIELDS.map((field) => `*.${field}`)], censor: '[redacted]' },
    serializers: {
      err: (error: unknown) => {
        if (!(error instanceof Error)) return error;
        const serialized = stdSerializers.err(error);
        serialized.message = scrubPersonalData(serialized.message);
        if (serialized.stack) serialized.stack = scrubPersonalData(serialized.stack);
        return serialized;
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

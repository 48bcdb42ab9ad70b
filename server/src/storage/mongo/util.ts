import { MongoServerError, type Binary } from 'mongodb';

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** The patch without its undefined fields (`$set` would store them as null). */
export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function bytes(binary: Binary): Uint8Array {
  return new Uint8Array(binary.buffer.buffer, binary.buffer.byteOffset, binary.buffer.byteLength);
}

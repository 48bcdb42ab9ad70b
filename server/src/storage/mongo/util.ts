import { MongoServerError, type Binary } from 'mongodb';

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/** Removes Mongo's `_id` and returns the record as the port defines it. */
export function strip<T>(doc: (T & { _id: unknown }) | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return rest as T;
}

export function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function bytes(binary: Binary): Uint8Array {
  return new Uint8Array(binary.buffer.buffer, binary.buffer.byteOffset, binary.buffer.byteLength);
}


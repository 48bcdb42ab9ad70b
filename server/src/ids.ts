import { createHash, randomBytes } from 'node:crypto';

/** A URL-safe random id (128 bits). */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A URL-safe id made from `parts` (128 bits of their SHA-256): the same parts, the same id, on every instance. */
export function idFrom(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest().subarray(0, 16).toString('base64url');
}

/** A URL-safe random secret (256 bits) for cookies and invitation links. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a secret, hex: what the store keeps instead of the secret itself. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Password hashing with scrypt (N = 2^cost, r = 8, p = 1; cost 17 by default, as
 * ARCHITECTURE.md decision 8 asks). The parameters are stored with each hash, so the
 * cost can be raised later without invalidating existing passwords.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function optionsFor(cost: number): ScryptOptions {
  const N = 2 ** cost;
  // scrypt needs 128 * N * r bytes; leave headroom.
  return { N, r: 8, p: 1, maxmem: 256 * N * 8 };
}

/** `scrypt$<cost>$<salt>$<key>` with base64url parts. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, optionsFor(cost));
  return `scrypt$${cost}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, costText, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !costText || !saltText || !keyText) return false;
  const cost = Number(costText);
  if (!Number.isInteger(cost) || cost < 10 || cost > 20) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(saltText, 'base64url'), optionsFor(cost));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A hash to verify against when the email is unknown, so that a wrong email takes as
 * long as a wrong password and does not reveal which accounts exist.
 */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(cost: number): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'), cost);
  return decoyHash;
}

/**
 * Who was signed in on this device, so the app can open offline (the server cannot be
 * asked). Written whenever the server confirms the session, removed when it ends or the
 * person signs out. It is used only while the server is unreachable; the server's answer
 * always wins once it comes.
 */
import type { User } from '@jane/shared/core';

const KEY = 'jane.signedInUser';

export function rememberUser(user: User): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(user));
  } catch {
    // no storage: no offline start
  }
}

export function rememberedUser(): User | null {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const user = parsed as Partial<User>;
    return typeof user.id === 'string' && typeof user.name === 'string' ? (parsed as User) : null;
  } catch {
    return null;
  }
}

export function forgetUser(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

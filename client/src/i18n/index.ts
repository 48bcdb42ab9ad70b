/**
 * Translation helper. Every user-facing string lives in one typed catalog
 * (`en.ts`); a translation is another object of the same shape. Parameters are written
 * `{name}` in the messages; plural forms are separate keys ending in `_one` / `_other`.
 */
import { en, type MessageKey } from './en';

export type { MessageKey } from './en';

type Catalog = Record<MessageKey, string>;

const catalog: Catalog = en;
const locale = 'en';
const pluralRules = new Intl.PluralRules(locale);

export type MessageParams = Record<string, string | number>;

function interpolate(message: string, params?: MessageParams): string {
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The message for `key` with `{param}` placeholders filled in. */
export function t(key: MessageKey, params?: MessageParams): string {
  return interpolate(catalog[key], params);
}

type PluralBase = MessageKey extends infer K ? (K extends `${infer Base}_one` ? Base : never) : never;

/** A counted message: picks `<key>_one` or `<key>_other` for `count` and fills `{count}`. */
export function tn(key: PluralBase, count: number, params?: MessageParams): string {
  const form = pluralRules.select(count) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}` as MessageKey, { count, ...params });
}

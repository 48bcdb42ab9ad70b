import { z } from 'zod';

/**
 * Control characters (line breaks, tabs, NUL, …) and the invisible bidirectional
 * overrides that can make a name display as something else. None belongs in a name,
 * an organisation or a title: they break exports (a newline ends a Markdown table row)
 * and can disguise who someone is.
 */
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export const NO_CONTROL_MESSAGE = 'Use letters, digits, spaces and punctuation only (no line breaks, tabs or control characters)';

/** A one-line text field: trimmed, required (with `emptyMessage`), at most `max` characters, no control characters. */
export function singleLine(max: number, emptyMessage?: string) {
  return z
    .string()
    .trim()
    .min(1, emptyMessage ?? 'Enter a value')
    .max(max)
    .refine((value) => !CONTROL.test(value), NO_CONTROL_MESSAGE);
}

/** Like {@link singleLine} but may be empty. */
export function optionalSingleLine(max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .refine((value) => !CONTROL.test(value), NO_CONTROL_MESSAGE);
}

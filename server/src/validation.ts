import type { z } from 'zod';
import { BadRequestError } from './errors.js';

/** Parses `data` with `schema` or throws a 400 that lists each problem by field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, what = 'request'): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join('.') || null, message: issue.message }));
  const summary = fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join('; ');
  throw new BadRequestError(`Invalid ${what}: ${summary}`, { fields });
}

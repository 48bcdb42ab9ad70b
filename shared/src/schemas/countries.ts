import { z } from 'zod';
import { isCountryCode } from '../domain/countries.js';

/** A country as an ISO 3166-1 alpha-2 code; lower case input is accepted and upper-cased. */
export const CountrySchema = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => isCountryCode(value), { message: 'Use an ISO 3166-1 alpha-2 country code, e.g. IT or DE' });

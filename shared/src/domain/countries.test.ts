import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, countryName, isCountryCode } from './countries.js';

describe('country names', () => {
  it('are the English names Intl.DisplayNames gives, for every assigned code', () => {
    const intl = new Intl.DisplayNames(['en'], { type: 'region' });
    expect(COUNTRY_CODES).toHaveLength(249);
    for (const code of COUNTRY_CODES) expect(countryName(code), code).toBe(intl.of(code));
    expect(countryName('PT')).toBe('Portugal');
    expect(countryName('CZ')).toBe('Czechia');
  });

  it('fall back to the code for one not assigned, and know the European Union', () => {
    expect(countryName('XX')).toBe('XX');
    expect(isCountryCode('XX')).toBe(false);
    expect(isCountryCode('IT')).toBe(true);
    expect(countryName('EU')).toBe('European Union');
  });
});

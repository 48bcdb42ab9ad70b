/** Country names in English, EU member states listed first in pickers. */
import { COUNTRY_CODES, countryFlag, countryName } from '@jane/shared/core';

export const EU_MEMBER_STATES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
] as const;

export interface CountryOption {
  code: string;
  name: string;
}

let options: { eu: CountryOption[]; other: CountryOption[] } | null = null;

/** The picker's two groups, sorted by name (made when a picker is first shown, not at every page load). */
export function countryOptions(): { eu: CountryOption[]; other: CountryOption[] } {
  if (options) return options;
  const collator = new Intl.Collator('en');
  const euSet = new Set<string>(EU_MEMBER_STATES);
  const sorted = (codes: readonly string[]) => codes.map((code) => ({ code, name: countryName(code) })).sort((a, b) => collator.compare(a.name, b.name));
  options = { eu: sorted(EU_MEMBER_STATES), other: sorted(COUNTRY_CODES.filter((code) => !euSet.has(code))) };
  return options;
}

export { countryFlag, countryName };

let flagSupport: boolean | null = null;

/** Where the answer is kept, per browser version: drawing and reading back the canvas costs ~15 ms a page load. */
const FLAG_SUPPORT_KEY = 'jane.flagEmoji';

/**
 * Whether this system draws flag emoji (Windows and many Linux setups show two letters
 * or empty boxes instead). Checked by drawing a flag and looking for colour, once per
 * browser version.
 */
export function supportsFlagEmoji(): boolean {
  if (flagSupport !== null) return flagSupport;
  try {
    const known = localStorage.getItem(FLAG_SUPPORT_KEY);
    if (known === `1 ${navigator.userAgent}` || known === `0 ${navigator.userAgent}`) return (flagSupport = known.startsWith('1'));
  } catch {
    // storage unavailable: measure
  }
  flagSupport = measureFlagSupport();
  try {
    localStorage.setItem(FLAG_SUPPORT_KEY, `${flagSupport ? 1 : 0} ${navigator.userAgent}`);
  } catch {
    // storage unavailable: measured again next time
  }
  return flagSupport;
}

function measureFlagSupport(): boolean {
  let supported = false;
  try {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 24;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return false;
    context.font = '20px "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif';
    context.textBaseline = 'top';
    context.fillText(countryFlag('EU'), 0, 0);
    const pixels = context.getImageData(0, 0, 24, 24).data;
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
      if (a > 0 && (Math.abs(r - g) > 30 || Math.abs(g - b) > 30)) {
        supported = true;
        break;
      }
    }
  } catch {
    supported = false;
  }
  return supported;
}

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildTemplateUpdate, TEMPLATE_SECTIONS } from './templates.js';
import { DOCUMENT_FIELD } from './protocol/collab.js';
import { CountrySchema } from './schemas/countries.js';
import { countryFlag } from './domain/countries.js';

function headings(update: Uint8Array): string[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc
    .getXmlFragment(DOCUMENT_FIELD)
    .toArray()
    .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement && node.nodeName === 'heading')
    .map((node) => `${node.getAttribute('level')}:${node.toArray().map((t) => t.toString()).join('')}`);
}

describe('document templates', () => {
  it('starts a call for expressions of interest with its title and the eight sections a network must publish', () => {
    const titles = headings(buildTemplateUpdate('call-for-expressions-of-interest', 'Call for Survivorship centres'));
    expect(titles[0]).toBe('1:Call for Survivorship centres');
    expect(titles.slice(1)).toEqual(TEMPLATE_SECTIONS['call-for-expressions-of-interest'].map((s) => `2:${s}`));
    expect(titles).toContain('2:Eligibility and selection criteria');
  });

  it('starts a blank document with just its title', () => {
    expect(headings(buildTemplateUpdate('blank', 'Notes'))).toEqual(['1:Notes']);
  });
});

describe('countries', () => {
  it('accepts ISO 3166-1 alpha-2 codes in any case and refuses others with a hint', () => {
    expect(CountrySchema.parse(' pt ')).toBe('PT');
    const refused = CountrySchema.safeParse('XX');
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/ISO 3166-1 alpha-2/);
    expect(countryFlag('IT')).toBe('🇮🇹');
  });
});

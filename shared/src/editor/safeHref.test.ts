import { describe, expect, it } from 'vitest';
import { isSafeHref } from './safeHref.js';

describe('link safety', () => {
  it('allows web and mail links', () => {
    expect(isSafeHref('https://jane-project.eu/wp9')).toBe(true);
    expect(isSafeHref('http://example.org')).toBe(true);
    expect(isSafeHref('mailto:chair@example.eu')).toBe(true);
  });

  it('refuses script, data and disguised javascript links', () => {
    for (const href of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '', null, 42]) {
      expect(isSafeHref(href)).toBe(false);
    }
  });
});

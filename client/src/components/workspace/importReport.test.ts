import { describe, expect, it } from 'vitest';
import { importReportInWords } from './importReport';

describe('an import report in words', () => {
  it('says what was kept and dropped, with examples', () => {
    const words = importReportInWords({
      kept: { headings: 12, paragraphs: 0, lists: 1, tables: 3, links: 0 },
      dropped: [
        { what: 'image', count: 2 },
        { what: 'unsupported', count: 1, example: 'HTML: <script>' },
      ],
      notes: [],
    });
    expect(words.kept).toBe('Kept 12 headings, 1 list, and 3 tables.');
    expect(words.dropped).toBe('Dropped 2 images and 1 item the editor cannot hold.');
    expect(words.examples).toEqual(['1 item the editor cannot hold — For example: HTML: <script>']);
  });

  it('says so when nothing was dropped', () => {
    const words = importReportInWords({ kept: { headings: 0, paragraphs: 1, lists: 0, tables: 0, links: 0 }, dropped: [], notes: [] });
    expect(words).toEqual({ kept: 'Kept 1 paragraph.', dropped: 'Nothing was left out.', examples: [] });
  });
});

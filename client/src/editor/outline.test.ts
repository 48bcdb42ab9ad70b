import { describe, expect, it } from 'vitest';
import { headingIndexAt, outlineOf, sameHeadings } from './outline';
import { heading, paragraph, positionOf, proseMirrorDoc } from '../test/documents';

const draft = proseMirrorDoc(
  heading(1, 'Call for expressions of interest'),
  paragraph('Introduction.'),
  heading(2, '  Who may apply  '),
  paragraph('Eligible organisations.'),
  heading(3, 'National endorsement'),
  paragraph('Endorsed by the Member State.'),
  heading(2, 'How to apply'),
);

describe('outline', () => {
  it('lists every heading in document order with its level and text (trimmed)', () => {
    expect(outlineOf(draft).map(({ level, text }) => ({ level, text }))).toEqual([
      { level: 1, text: 'Call for expressions of interest' },
      { level: 2, text: 'Who may apply' },
      { level: 3, text: 'National endorsement' },
      { level: 2, text: 'How to apply' },
    ]);
  });

  it('gives each entry the position of its heading, so a click scrolls to the right one', () => {
    const items = outlineOf(draft);
    for (const item of items) expect(draft.nodeAt(item.pos)?.type.name).toBe('heading');
    expect(draft.nodeAt(items[2]!.pos)?.textContent).toBe('National endorsement');
  });

  it('carries each section\'s stable id, so chips and links follow the section, not its title', () => {
    const doc = proseMirrorDoc({ ...heading(2, 'Scope'), attrs: { level: 2, sectionId: 'sec-scope' } }, heading(2, 'New section'));
    expect(outlineOf(doc).map((item) => item.sectionId)).toEqual(['sec-scope', null]);
  });

  it('is empty for a draft without headings', () => {
    expect(outlineOf(proseMirrorDoc(paragraph('Just notes.')))).toEqual([]);
  });

  it('keeps empty headings (a section being written) as entries with no text', () => {
    expect(outlineOf(proseMirrorDoc(heading(2, ''), paragraph('x'))).map((i) => i.text)).toEqual(['']);
  });

  it('marks the section the caret is in: the last heading at or before it', () => {
    const items = outlineOf(draft);
    expect(headingIndexAt(items, positionOf(draft, 'Introduction'))).toBe(0);
    expect(headingIndexAt(items, positionOf(draft, 'Eligible'))).toBe(1);
    expect(headingIndexAt(items, positionOf(draft, 'Endorsed'))).toBe(2);
    expect(headingIndexAt(items, items[3]!.pos)).toBe(3);
  });

  it('marks no section for text above the first heading', () => {
    const doc = proseMirrorDoc(paragraph('Preface.'), heading(2, 'Scope'));
    expect(headingIndexAt(outlineOf(doc), positionOf(doc, 'Preface'))).toBe(-1);
  });

  it('tells a change that only moved headings from one that changed them', () => {
    const typedAbove = proseMirrorDoc(
      heading(1, 'Call for expressions of interest'),
      paragraph('Introduction, longer now.'),
      heading(2, '  Who may apply  '),
      paragraph('Eligible organisations.'),
      heading(3, 'National endorsement'),
      paragraph('Endorsed by the Member State.'),
      heading(2, 'How to apply'),
    );
    expect(outlineOf(typedAbove).map((item) => item.pos)).not.toEqual(outlineOf(draft).map((item) => item.pos));
    expect(sameHeadings(outlineOf(draft), outlineOf(typedAbove))).toBe(true);
    const renamed = proseMirrorDoc(heading(1, 'Call for expressions of interest'), paragraph('Introduction.'), heading(2, 'Who may apply now'));
    expect(sameHeadings(outlineOf(draft), outlineOf(renamed))).toBe(false);
    expect(sameHeadings(outlineOf(draft), outlineOf(draft).slice(1))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_QUOTE_LENGTH } from '@jane/shared/core';
import { anchorFor, quoteOf, resolveAnchor, trimToText, type PassageRange } from './anchors';
import { heading, paragraph, positionOf, proseMirrorDoc, render, sharedDraft } from '../../test/documents';

const PASSAGE = 'national endorsement';

/** A draft with a thread on "national endorsement" in its second block. */
function draftWithThread() {
  const draft = sharedDraft(heading(2, 'Who may apply'), paragraph(`Eligible organisations with ${PASSAGE}, in any country.`));
  const { binding, doc } = render(draft.ydoc);
  const from = positionOf(doc, PASSAGE);
  const anchor = anchorFor(binding, doc, { from, to: from + PASSAGE.length }, 'text');
  return { ...draft, anchor };
}

/** The text of the block at `index` of the fragment (paragraphs and headings hold one Y.XmlText). */
function blockText(fragment: Y.XmlFragment, index: number): Y.XmlText {
  const block = fragment.get(index) as Y.XmlElement;
  return block.get(0) as Y.XmlText;
}

/** What the thread's highlight covers now, as the editor would show it. */
function highlighted(ydoc: Y.Doc, anchor: { start: string; end: string }): string | null {
  const { binding, doc } = render(ydoc);
  const range = resolveAnchor(binding, doc, anchor);
  return range ? doc.textBetween(range.from, range.to, '\n') : null;
}

describe('comment anchors', () => {
  it('quote the passage the thread was started on', () => {
    expect(draftWithThread().anchor.quote).toBe(PASSAGE);
  });

  it('keep highlighting the same words when someone types earlier in the paragraph', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    blockText(fragment, 1).insert(0, 'All ');
    expect(highlighted(ydoc, anchor)).toBe(PASSAGE);
  });

  it('keep highlighting the same words when a paragraph is added above', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    const added = new Y.XmlElement('paragraph');
    added.insert(0, [new Y.XmlText('A new introduction.')]);
    fragment.insert(0, [added]);
    expect(highlighted(ydoc, anchor)).toBe(PASSAGE);
  });

  it('follow edits made by someone else on another copy of the draft', () => {
    const { ydoc, anchor } = draftWithThread();
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(ydoc));
    blockText(elsewhere.getXmlFragment('default'), 1).insert(0, 'Only ');
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(elsewhere, Y.encodeStateVector(ydoc)));
    expect(highlighted(ydoc, anchor)).toBe(PASSAGE);
  });

  it('do not take in text typed just before the passage', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    const text = blockText(fragment, 1);
    text.insert(text.toString().indexOf(PASSAGE), 'strong ');
    expect(highlighted(ydoc, anchor)).toBe(PASSAGE);
  });

  it('do not take in text typed just after the passage', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    const text = blockText(fragment, 1);
    text.insert(text.toString().indexOf(PASSAGE) + PASSAGE.length, ' (required)');
    expect(highlighted(ydoc, anchor)).toBe(PASSAGE);
  });

  it('grow with words typed inside the passage', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    const text = blockText(fragment, 1);
    text.insert(text.toString().indexOf('endorsement'), 'written ');
    expect(highlighted(ydoc, anchor)).toBe('national written endorsement');
  });

  it('detach the thread once every word of the passage is deleted', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    const text = blockText(fragment, 1);
    text.delete(text.toString().indexOf(PASSAGE), PASSAGE.length);
    expect(highlighted(ydoc, anchor)).toBeNull();
  });

  it('detach the thread when its paragraph is deleted', () => {
    const { ydoc, fragment, anchor } = draftWithThread();
    fragment.delete(1, 1);
    expect(highlighted(ydoc, anchor)).toBeNull();
  });

  it('stay attached to the first words of a draft', () => {
    const { ydoc } = sharedDraft(paragraph('First words of the draft.'));
    const { binding, doc } = render(ydoc);
    const anchor = anchorFor(binding, doc, { from: 1, to: 1 + 'First words'.length }, 'text');
    expect(highlighted(ydoc, anchor)).toBe('First words');
  });

  it('do not attach to a different draft, or when they are not anchors at all', () => {
    const { anchor } = draftWithThread();
    const other = sharedDraft(heading(2, 'Who may apply'), paragraph(`Eligible organisations with ${PASSAGE}, in any country.`));
    expect(highlighted(other.ydoc, anchor)).toBeNull();
    expect(highlighted(other.ydoc, { start: 'not an anchor', end: '%%%' })).toBeNull();
  });
});

describe('passages chosen for a thread', () => {
  const doc = proseMirrorDoc(paragraph('First paragraph.'), paragraph('Second paragraph.'), paragraph(''));

  it('shrink a triple-click selection to the text it covers, not the empty edge of the next block', () => {
    const start = positionOf(doc, 'Second') - 2; // the end of the first paragraph
    const end = positionOf(doc, 'Second') + 'Second paragraph.'.length + 1; // the start of the third
    const range = trimToText(doc, start, end) as PassageRange;
    expect(doc.textBetween(range.from, range.to)).toBe('Second paragraph.');
  });

  it('are refused when the selection holds no text', () => {
    const emptyBlock = doc.content.size - 1;
    expect(trimToText(doc, emptyBlock, emptyBlock)).toBeNull();
    const between = positionOf(doc, 'Second') - 1;
    expect(trimToText(doc, between - 1, between)).toBeNull();
  });

  it('are quoted with a line break between blocks', () => {
    const range = { from: positionOf(doc, 'paragraph.'), to: positionOf(doc, 'Second') + 'Second'.length };
    expect(quoteOf(doc, range)).toBe('paragraph.\nSecond');
  });

  it('are quoted in full up to the limit, and cut with an ellipsis beyond it', () => {
    const long = proseMirrorDoc(paragraph('x'.repeat(MAX_QUOTE_LENGTH + 50)));
    const quote = quoteOf(long, { from: 1, to: long.content.size - 1 });
    expect(quote).toHaveLength(MAX_QUOTE_LENGTH);
    expect(quote.endsWith('…')).toBe(true);
  });
});

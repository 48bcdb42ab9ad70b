import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { Slice, Fragment } from '@tiptap/pm/model';
import { changedRange, changeTouchesSelection, remoteChangeMap, replacingOnlyWhatChanged } from './incrementalSync';
import { heading, paragraph, positionOf, proseMirrorDoc } from '../test/documents';

const before = proseMirrorDoc(heading(2, 'Who may apply'), paragraph('Eligible organisations.'), paragraph('Endorsed by the Member State.'));

/** `before` with one letter typed into its second block, the other blocks the same nodes (as y-tiptap builds it). */
function withLetterTyped(): typeof before {
  const typed = proseMirrorDoc(paragraph('Eligible organisationsx.')).child(0);
  return before.copy(before.content.replaceChild(1, typed));
}

describe('remote changes, incrementally', () => {
  it('find the range that differs between two documents', () => {
    const after = withLetterTyped();
    const at = positionOf(before, '.');
    expect(changedRange(before, after)).toEqual({ from: at, toA: at, toB: at + 1 });
    expect(changedRange(before, before)).toBeNull();
  });

  it('map positions around that range as the change moved them, not to the edges of the whole document', () => {
    const after = withLetterTyped();
    // y-tiptap applies a remote change as one step replacing everything.
    const tr = EditorState.create({ doc: before }).tr.replace(0, before.content.size, new Slice(Fragment.from(after.content), 0, 0));
    const change = remoteChangeMap(tr, before)!;
    const word = positionOf(before, 'Eligible');
    const later = positionOf(before, 'Member');
    expect(change.map.map(word)).toBe(word);
    expect(change.map.map(later)).toBe(later + 1);
    expect(after.textBetween(change.map.map(later), change.map.map(later) + 6)).toBe('Member');
    // The whole-document step itself loses them.
    expect(tr.mapping.map(later)).not.toBe(later + 1);
  });

  it("apply a remote change as a step over what changed only, giving the same document", () => {
    const after = withLetterTyped();
    const tr = replacingOnlyWhatChanged(EditorState.create({ doc: before }).tr);
    tr.replace(0, before.content.size, new Slice(Fragment.from(after.content), 0, 0));
    expect(tr.doc.eq(after)).toBe(true);
    const later = positionOf(before, 'Member');
    expect(tr.mapping.map(later)).toBe(later + 1);
    expect(tr.mapping.map(positionOf(before, 'apply'))).toBe(positionOf(before, 'apply'));
    // Every block is the very node y-tiptap built (its mapping goes by identity).
    for (let i = 0; i < after.childCount; i++) expect(tr.doc.child(i)).toBe(after.child(i));
  });

  it('also for a remote change that adds and removes whole blocks', () => {
    const inserted = proseMirrorDoc(paragraph('Deadline: 30 June.')).child(0);
    const after = before.copy(before.content.replaceChild(2, inserted).addToEnd(before.child(2)));
    const tr = replacingOnlyWhatChanged(EditorState.create({ doc: before }).tr);
    tr.replace(0, before.content.size, new Slice(Fragment.from(after.content), 0, 0));
    expect(tr.doc.eq(after)).toBe(true);
    expect(tr.steps).toHaveLength(1);
    for (let i = 0; i < after.childCount; i++) expect(tr.doc.child(i)).toBe(after.child(i));
    const removed = before.copy(before.content.cut(0, before.child(0).nodeSize + before.child(1).nodeSize));
    const back = replacingOnlyWhatChanged(EditorState.create({ doc: before }).tr);
    back.replace(0, before.content.size, new Slice(Fragment.from(removed.content), 0, 0));
    expect(back.doc.eq(removed)).toBe(true);
    expect(back.doc.child(1)).toBe(before.child(1));
    expect(back.doc.childCount).toBe(2);
  });

  it('tell whether a remote change touched the block the caret is in (the toolbar refreshes only then)', () => {
    const after = withLetterTyped(); // a letter typed into the second block
    const arriving = (caretAt: number) => {
      const tr = replacingOnlyWhatChanged(EditorState.create({ doc: before }).tr);
      tr.replace(0, before.content.size, new Slice(Fragment.from(after.content), 0, 0));
      return tr.setSelection(TextSelection.create(tr.doc, tr.mapping.map(caretAt)));
    };
    expect(changeTouchesSelection(arriving(positionOf(before, 'Eligible')))).toBe(true);
    expect(changeTouchesSelection(arriving(positionOf(before, 'Member')))).toBe(false);
    expect(changeTouchesSelection(arriving(positionOf(before, 'apply')))).toBe(false);
    // Nothing changed: nothing touched.
    expect(changeTouchesSelection(EditorState.create({ doc: before }).tr.setMeta('any', true))).toBe(false);
  });
});

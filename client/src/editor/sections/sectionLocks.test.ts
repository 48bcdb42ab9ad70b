/**
 * The editor's side of "agreed text stays agreed", on real editor states with the
 * editor's schema: what a person without the right may not do to an agreed section,
 * and what stays allowed around it (the server's rule, collab/sectionLocks.ts).
 */
import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import { EditorState, TextSelection } from '@tiptap/pm/state';
import { editorExtensions } from '@jane/shared/editor';
import { changesLockedSection, lockedSectionsOf } from './sectionLocks';

const schema = getSchema(editorExtensions());
const heading = (level: number, text: string, sectionId: string) => schema.node('heading', { level, sectionId }, [schema.text(text)]);
const paragraph = (text: string) => schema.node('paragraph', null, text ? [schema.text(text)] : []);

/** Title, Scope (agreed: 2 paragraphs and a subsection), Criteria (draft). */
function draft() {
  return schema.node('doc', null, [
    heading(1, 'Call', 'title'),
    heading(2, 'Scope', 'scope'),
    paragraph('Adults with rare cancers.'),
    heading(3, 'Exclusions', 'exclusions'),
    paragraph('None.'),
    heading(2, 'Criteria', 'criteria'),
    paragraph('Volume of activity.'),
  ]);
}
const agreed = (id: string) => id === 'scope';

/** Position just inside the text of the n-th top-level block. */
function inside(doc: ReturnType<typeof draft>, index: number): number {
  let pos = 0;
  for (let i = 0; i < index; i++) pos += doc.child(i).nodeSize;
  return pos + 1;
}

describe('agreed sections in the editor', () => {
  it('finds an agreed section with its subsections, up to the next heading of its level', () => {
    const [scope] = lockedSectionsOf(draft(), agreed);
    expect(scope!.blocks.map((b) => b.textContent)).toEqual(['Scope', 'Adults with rare cancers.', 'Exclusions', 'None.']);
  });

  it('refuses typing, deleting, a new block inside, a changed heading or a removed section', () => {
    const doc = draft();
    const state = EditorState.create({ doc });
    const cases = {
      typing: state.tr.insertText('x', inside(doc, 2)),
      typingInSubsection: state.tr.insertText('x', inside(doc, 4)),
      renaming: state.tr.insertText('!', inside(doc, 1) + 5),
      newParagraphAtTheEnd: state.tr.insert(inside(doc, 5) - 1, paragraph('Sneaked in')),
      deletingTheSection: state.tr.delete(inside(doc, 1) - 1, inside(doc, 5) - 1),
      joiningIntoThePreviousBlock: state.tr.join(inside(doc, 1) - 1),
      formatting: state.tr.addMark(inside(doc, 2), inside(doc, 2) + 5, schema.marks.bold!.create()),
    };
    for (const [name, tr] of Object.entries(cases)) expect(changesLockedSection(doc, tr.doc, agreed), name).toBe(true);
  });

  it('allows editing elsewhere, a new section right after it, and moving the caret', () => {
    const doc = draft();
    const state = EditorState.create({ doc });
    const allowed = {
      typingInTheTitle: state.tr.insertText('x', inside(doc, 0)),
      typingInTheNextSection: state.tr.insertText('x', inside(doc, 6)),
      newSectionAfterIt: state.tr.insert(inside(doc, 5) - 1, heading(2, 'Governance', 'governance')),
      caret: state.tr.setSelection(TextSelection.create(doc, inside(doc, 2))),
    };
    for (const [name, tr] of Object.entries(allowed)) expect(changesLockedSection(doc, tr.doc, agreed), name).toBe(false);
    // Nothing is locked for someone who may change agreed text.
    expect(changesLockedSection(doc, state.tr.insertText('x', inside(doc, 2)).doc, () => false)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection, type Command } from '@tiptap/pm/state';
import type { JSONContent } from '@tiptap/core';
import { deleteColumnsOrTable, deleteRowsOrTable } from './tableCommands';
import { paragraph, positionOf, proseMirrorDoc } from '../test/documents';

const cell = (text: string): JSONContent => ({ type: 'tableCell', content: [paragraph(text)] });
const table = (...rows: string[][]): JSONContent => ({ type: 'table', content: rows.map((r) => ({ type: 'tableRow', content: r.map(cell) })) });

function stateAt(text: string, ...blocks: JSONContent[]): EditorState {
  const doc = proseMirrorDoc(...blocks);
  return EditorState.create({ doc, selection: TextSelection.create(doc, positionOf(doc, text)) });
}

function run(command: Command, state: EditorState): EditorState {
  let next = state;
  expect(command(state), 'offered').toBe(true);
  expect(command(state, (tr) => (next = state.apply(tr))), 'done').toBe(true);
  return next;
}

const cells = (state: EditorState) => {
  const out: string[] = [];
  state.doc.descendants((node) => {
    if (node.type.name === 'tableCell') out.push(node.textContent);
    return true;
  });
  return out;
};

describe('deleting rows and columns', () => {
  it('deletes the row the caret is in, and the table with its last row', () => {
    let state = stateAt('Budget', paragraph('Before.'), table(['Budget', '10'], ['Staff', '3']), paragraph('After.'));
    state = run(deleteRowsOrTable, state);
    expect(cells(state)).toEqual(['Staff', '3']);
    state = run(deleteRowsOrTable, state);
    expect(cells(state)).toEqual([]);
    expect(state.doc.textContent).toBe('Before.After.');
  });

  it('deletes the column the caret is in, and the table with its last column', () => {
    let state = stateAt('10', table(['Budget', '10'], ['Staff', '3']), paragraph('After.'));
    state = run(deleteColumnsOrTable, state);
    expect(cells(state)).toEqual(['Budget', 'Staff']);
    state = run(deleteColumnsOrTable, state);
    expect(cells(state)).toEqual([]);
    expect(state.doc.textContent).toBe('After.');
  });

  it('offers neither outside a table', () => {
    const state = stateAt('Before', paragraph('Before.'), table(['a']));
    expect(deleteRowsOrTable(state)).toBe(false);
    expect(deleteColumnsOrTable(state)).toBe(false);
  });
});

/**
 * Deleting rows and columns the way word processors do: deleting the last row (or all
 * selected rows that make up the table) deletes the table. prosemirror-tables refuses
 * that case but still says it can, which left "Delete row" enabled and doing nothing.
 */
import type { Command, EditorState } from '@tiptap/pm/state';
import { deleteColumn, deleteRow, deleteTable, isInTable, selectedRect } from '@tiptap/pm/tables';

/** Whether the selection covers every row (or every column) of its table. */
export function spansWholeTable(state: EditorState, axis: 'row' | 'column'): boolean {
  if (!isInTable(state)) return false;
  const rect = selectedRect(state);
  return axis === 'row' ? rect.top === 0 && rect.bottom === rect.map.height : rect.left === 0 && rect.right === rect.map.width;
}

export const deleteRowsOrTable: Command = (state, dispatch) => (spansWholeTable(state, 'row') ? deleteTable : deleteRow)(state, dispatch);

export const deleteColumnsOrTable: Command = (state, dispatch) => (spansWholeTable(state, 'column') ? deleteTable : deleteColumn)(state, dispatch);

/**
 * Test documents in the real editor schema (the one in shared/), as ProseMirror nodes
 * and as Yjs fragments bound the way the editor binds them — without a browser.
 */
import { getSchema, type JSONContent } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { initProseMirrorDoc, prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from '@jane/shared/core';
import { editorExtensions } from '@jane/shared/editor';
import type { SyncBinding } from '../editor/comments/anchors';

export const schema = getSchema(editorExtensions());

export const heading = (level: number, text: string): JSONContent => ({ type: 'heading', attrs: { level }, content: text ? [{ type: 'text', text }] : [] });
export const paragraph = (text: string): JSONContent => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });

export function proseMirrorDoc(...blocks: JSONContent[]): ProseMirrorNode {
  return schema.nodeFromJSON({ type: 'doc', content: blocks });
}

/** Where `text` starts in `doc` (the first occurrence), as a ProseMirror position. */
export function positionOf(doc: ProseMirrorNode, text: string): number {
  let found = -1;
  doc.descendants((node, pos) => {
    if (found >= 0) return false;
    if (node.isText) {
      const index = node.text!.indexOf(text);
      if (index >= 0) found = pos + index;
    }
    return true;
  });
  if (found < 0) throw new Error(`"${text}" is not in the document`);
  return found;
}

/** A Y.Doc holding the blocks in the editor's field, like a draft everyone edits. */
export function sharedDraft(...blocks: JSONContent[]): { ydoc: Y.Doc; fragment: Y.XmlFragment } {
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(DOCUMENT_FIELD);
  prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content: blocks }, fragment);
  return { ydoc, fragment };
}

/** What the editor shows of the Y.Doc right now, with the binding's Yjs → ProseMirror mapping. */
export function render(ydoc: Y.Doc): { binding: SyncBinding; doc: ProseMirrorNode } {
  const type = ydoc.getXmlFragment(DOCUMENT_FIELD);
  const { doc, mapping } = initProseMirrorDoc(type, schema);
  return { binding: { doc: ydoc, type, mapping: mapping as SyncBinding['mapping'] }, doc };
}

/** Agreed sections against raw Yjs updates: what stands, what is undone, what the sender ends up with. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSections } from '@jane/shared';
import { applyRespectingLocks } from './sectionLocks.js';

function heading(text: string, level: number, id: string): Y.XmlElement {
  const el = new Y.XmlElement('heading');
  el.setAttribute('level', level as unknown as string);
  el.setAttribute('sectionId', id);
  const t = new Y.XmlText();
  t.insert(0, text);
  el.insert(0, [t]);
  return el;
}

function paragraph(text: string): Y.XmlElement {
  const el = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text);
  el.insert(0, [t]);
  return el;
}

/** Server document: Scope (agreed) with two paragraphs, then Criteria (draft). */
function serverDoc(): Y.Doc {
  const doc = new Y.Doc();
  doc.getXmlFragment(DOCUMENT_FIELD).insert(0, [
    heading('Scope', 2, 'scope'),
    paragraph('The network covers rare cancers.'),
    paragraph('It serves all Member States.'),
    heading('Criteria', 2, 'criteria'),
    paragraph('Draft criteria.'),
  ]);
  return doc;
}

/** A client's copy and the update its `edit` produces. */
function clientEdit(server: Y.Doc, edit: (fragment: Y.XmlFragment) => void): { client: Y.Doc; update: Uint8Array } {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  edit(client.getXmlFragment(DOCUMENT_FIELD));
  return { client, update: Y.encodeStateAsUpdate(client, before) };
}

const text = (doc: Y.Doc) => doc.getXmlFragment(DOCUMENT_FIELD).toString();
const textOfBlock = (doc: Y.Doc, index: number) => ((doc.getXmlFragment(DOCUMENT_FIELD).get(index) as Y.XmlElement).get(0) as Y.XmlText).toString();
const SENDER = Symbol('sender');

/** Applies under the lock and returns what everyone (the sender too) is then sent. */
function apply(server: Y.Doc, update: Uint8Array, locked = new Set(['scope'])): { refused: boolean; net: Uint8Array } {
  const before = Y.encodeStateVector(server);
  const { refused } = applyRespectingLocks(server, update, SENDER, locked);
  return { refused, net: Y.encodeStateAsUpdate(server, before) };
}

describe('section locks', () => {
  it('undoes typing in an agreed section while a change to a draft section in the same update stands; the sender converges', () => {
    const server = serverDoc();
    const agreed = text(server);
    const { client, update } = clientEdit(server, (f) => {
      ((f.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'SNEAKY ');
      ((f.get(4) as Y.XmlElement).get(0) as Y.XmlText).insert(15, ' Expertise first.');
    });
    const { refused, net } = apply(server, update);
    expect(refused).toBe(true);
    expect(textOfBlock(server, 1)).toBe('The network covers rare cancers.');
    expect(textOfBlock(server, 4)).toBe('Draft criteria. Expertise first.');
    expect(text(server)).toBe(agreed.replace('Draft criteria.', 'Draft criteria. Expertise first.'));
    // Nothing of the refused text is in what is stored and sent.
    expect(Buffer.from(net).includes(Buffer.from('SNEAKY'))).toBe(false);
    Y.applyUpdate(client, net);
    expect(text(client)).toBe(text(server));
  });

  it('puts back deleted agreed text with its formatting, and the sender gets it back', () => {
    const server = serverDoc();
    ((server.getXmlFragment(DOCUMENT_FIELD).get(1) as Y.XmlElement).get(0) as Y.XmlText).format(4, 7, { bold: true });
    const agreed = text(server);
    const { client, update } = clientEdit(server, (f) => {
      ((f.get(1) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 20);
      f.delete(2, 1);
    });
    const { net } = apply(server, update);
    expect(text(server)).toBe(agreed);
    Y.applyUpdate(client, net);
    expect(text(client)).toBe(agreed);
  });

  it('refuses a new paragraph inside an agreed section and a changed heading level, but lets a new section start after it', () => {
    const server = serverDoc();
    const { client, update } = clientEdit(server, (f) => {
      f.insert(2, [paragraph('Inserted inside the agreed section.')]);
      (f.get(0) as Y.XmlElement).setAttribute('level', 3 as unknown as string);
      // After Scope's last block (index 3 now, before Criteria): a new level-2 heading and its paragraph.
      f.insert(4, [heading('Governance', 2, 'governance'), paragraph('New section text.')]);
    });
    const { net } = apply(server, update);
    expect(documentSections(server).map((s) => [s.id, s.level])).toEqual([['scope', 2], ['governance', 2], ['criteria', 2]]);
    expect(text(server)).not.toContain('Inserted inside');
    expect(text(server)).toContain('New section text.');
    Y.applyUpdate(client, net);
    expect(text(client)).toBe(text(server));
  });

  it('lets everything through when no section is locked for the sender', () => {
    const server = serverDoc();
    const { update } = clientEdit(server, (f) => ((f.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Chair edit: '));
    expect(apply(server, update, new Set()).refused).toBe(false);
    expect(textOfBlock(server, 1)).toBe('Chair edit: The network covers rare cancers.');
  });
});

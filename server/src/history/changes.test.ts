import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD } from '@jane/shared';
import { changesBetween, type AuthoredUpdate } from './changes.js';

/** A person's copy of the document: every change they make is recorded as theirs. */
function person(userId: string, shared: Y.Doc, log: AuthoredUpdate[]): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(shared));
  doc.on('update', (data: Uint8Array, origin: unknown) => {
    if (origin === shared) return; // relayed from the server
    log.push({ userId, data });
    Y.applyUpdate(shared, data, doc);
  });
  shared.on('update', (data: Uint8Array, origin: unknown) => {
    if (origin !== doc) Y.applyUpdate(doc, data, shared);
  });
  return doc;
}

function section(doc: Y.Doc, id: string, title: string, body: string): void {
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', '2' as never);
  heading.setAttribute('sectionId', id);
  heading.insert(0, [new Y.XmlText(title)]);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(body)]);
  fragment.insert(fragment.length, [heading, paragraph]);
}

const textOf = (doc: Y.Doc, block: number) => ((doc.getXmlFragment(DOCUMENT_FIELD).get(block) as Y.XmlElement).get(0) as Y.XmlText);

describe('changesBetween', () => {
  it('attributes insertions to who inserted and deletions to who deleted, per section, and leaves out what came and went', () => {
    const server = new Y.Doc();
    const log: AuthoredUpdate[] = [];
    const anna = person('anna', server, log);
    const bram = person('bram', server, log);
    anna.transact(() => {
      section(anna, 'scope', 'Scope', 'Networks share data.');
      section(anna, 'who', 'Who may apply', 'Hospitals.');
    });
    const before = log.length;

    textOf(bram, 1).insert('Networks share data'.length, ' across borders'); // Bram inserts
    textOf(bram, 1).delete(0, 'Networks '.length); // Bram deletes Anna's words
    textOf(anna, 3).insert(0, 'Public ');
    textOf(anna, 3).insert(0, 'tmp');
    textOf(anna, 3).delete(0, 3); // came and went

    const sections = changesBetween(null, log.slice(0, before).map((e) => e.data), log.slice(before));
    expect(sections.map((s) => s.sectionId)).toEqual(['scope', 'who']);
    const [scope, who] = sections;
    expect(scope!.title).toBe('Scope');
    expect(scope!.inserted).toEqual([{ text: ' across borders', userId: 'bram' }]);
    expect(scope!.deleted).toEqual([{ text: 'Networks ', userId: 'bram' }]);
    expect(scope!.blocks[0]!.segments.map((s) => [s.text, s.change])).toEqual([
      ['Networks ', 'deleted'],
      ['share data', null],
      [' across borders', 'inserted'],
      ['.', null],
    ]);
    expect(who!.inserted).toEqual([{ text: 'Public ', userId: 'anna' }]);
    expect(who!.deleted).toEqual([]);
  });

  it('starts from a compacted base (garbage-collected) and still shows text deleted after it', () => {
    const server = new Y.Doc();
    const log: AuthoredUpdate[] = [];
    const anna = person('anna', server, log);
    section(anna, 'scope', 'Scope', 'Old text to go.');
    textOf(anna, 1).delete(0, 4);
    const base = Y.encodeStateAsUpdate(server); // what a version keeps
    const before = log.length;
    const bram = person('bram', server, log);
    textOf(bram, 1).delete(0, 'text '.length);
    const [scope] = changesBetween(base, [], log.slice(before));
    expect(scope!.deleted).toEqual([{ text: 'text ', userId: 'bram' }]);
    expect(scope!.inserted).toEqual([]);
  });
});

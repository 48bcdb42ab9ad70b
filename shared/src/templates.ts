/**
 * Starting content of new drafts, built directly as the Yjs structure that
 * y-prosemirror (and so Tiptap's Collaboration extension) reads: one `Y.XmlElement`
 * per block node, named after the node type, with `Y.XmlText` inside.
 */
import * as Y from 'yjs';
import type { DocumentTemplate } from './schemas/api.js';
import { DOCUMENT_FIELD } from './protocol/collab.js';
import { newSectionId, SECTION_ID_ATTRIBUTE } from './sections.js';

/** Section headings of each template (PRODUCT.md, "Document templates"). */
export const TEMPLATE_SECTIONS: Record<DocumentTemplate, readonly string[]> = {
  blank: [],
  'call-for-expressions-of-interest': [
    'Background and purpose of the network',
    'Scope and objectives',
    'Who may apply',
    'Eligibility and selection criteria',
    'Obligations of members and governance',
    'Assessment procedure and timeline',
    'How to apply',
    'Data protection',
  ],
  'network-plan': [
    'Mission and scope',
    'Governance structure',
    'Membership model',
    'Activities and work plan',
    'IT infrastructure and data',
    'Quality indicators and evaluation',
    'Sustainability plan',
    'Patient involvement',
    'Risks',
    'Timeline',
  ],
  'meeting-minutes': ['Attendees', 'Agenda', 'Discussion', 'Decisions', 'Action items', 'Next meeting'],
};

export const TEMPLATE_LABELS: Record<DocumentTemplate, string> = {
  blank: 'Blank document',
  'call-for-expressions-of-interest': 'Call for expressions of interest',
  'network-plan': 'Network plan',
  'meeting-minutes': 'Meeting minutes',
};

function block(name: string, text: string, attributes: Record<string, unknown> = {}): Y.XmlElement {
  const element = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value as string);
  const content = new Y.XmlText();
  if (text) content.insert(0, text);
  element.insert(0, [content]);
  return element;
}

/** The template's content as one Yjs update, ready to store as the document's first change. */
export function buildTemplateUpdate(template: DocumentTemplate, title: string): Uint8Array {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment(DOCUMENT_FIELD);
  const blocks: Y.XmlElement[] = [block('heading', title, { level: 1, [SECTION_ID_ATTRIBUTE]: newSectionId() })];
  for (const section of TEMPLATE_SECTIONS[template]) {
    blocks.push(block('heading', section, { level: 2, [SECTION_ID_ATTRIBUTE]: newSectionId() }), block('paragraph', ''));
  }
  if (TEMPLATE_SECTIONS[template].length === 0) blocks.push(block('paragraph', ''));
  fragment.insert(0, blocks);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

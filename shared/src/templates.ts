/** Starting content of new drafts: a title and each section's heading with an empty paragraph. */
import type { DocumentTemplate } from './schemas/api.js';
import { contentUpdate, heading, paragraph, type ContentBlock } from './content.js';

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

/** The template's content as one Yjs update, ready to store as the document's first change. */
export function buildTemplateUpdate(template: DocumentTemplate, title: string): Uint8Array {
  const sections = TEMPLATE_SECTIONS[template];
  const blocks: ContentBlock[] = [heading(1, title), ...sections.flatMap((section) => [heading(2, section), paragraph()])];
  if (sections.length === 0) blocks.push(paragraph());
  return contentUpdate(blocks);
}

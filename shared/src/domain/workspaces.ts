/** Kinds of workspace and document templates (PRODUCT.md). */
export const WORKSPACE_KINDS = ['network', 'task-force', 'work-package'] as const;
export type WorkspaceKind = (typeof WORKSPACE_KINDS)[number];

export const DOCUMENT_TEMPLATES = ['blank', 'call-for-expressions-of-interest', 'network-plan', 'meeting-minutes'] as const;
export type DocumentTemplate = (typeof DOCUMENT_TEMPLATES)[number];


/** The twelve JANE workspaces that exist after the first start (PRODUCT.md). */
export const JANE_WORKSPACES: readonly { kind: WorkspaceKind; title: string }[] = [
  { kind: 'network', title: 'Personalised primary prevention' },
  { kind: 'network', title: 'Survivorship' },
  { kind: 'network', title: 'Palliative care' },
  { kind: 'network', title: 'Omic technologies (OMICS Network of Excellence for Cancer)' },
  { kind: 'network', title: 'Hi-tech medical resources' },
  { kind: 'network', title: 'Complex and poor-prognosis cancers' },
  { kind: 'task-force', title: 'Sustainability' },
  { kind: 'task-force', title: 'Integration between EU networking and Member States' },
  { kind: 'task-force', title: 'Integration of IT infrastructures, including AI tools' },
  { kind: 'task-force', title: 'Integration between health care and research' },
  { kind: 'task-force', title: 'The ERN model' },
  { kind: 'work-package', title: 'Patient involvement' },
];

/** Human label of a workspace kind. */
export const WORKSPACE_KIND_LABELS: Record<WorkspaceKind, string> = {
  network: 'Network of Expertise',
  'task-force': 'Transversal task force',
  'work-package': 'Transversal work package',
};

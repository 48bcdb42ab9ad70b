/** Labels of roles, workspace kinds, templates and section statuses, from the translation catalog. */
import type { DocumentTemplate, Role, SectionStatus, WorkspaceKind } from '@jane/shared/core';
import { t } from '../i18n';

export function roleLabel(role: Role | null): string {
  return role ? t(`role.${role}`) : t('role.none');
}

export function kindLabel(kind: WorkspaceKind): string {
  return t(`kind.${kind}`);
}

export function templateLabel(template: DocumentTemplate): string {
  return t(`template.${template}`);
}

/** "Draft", "In review", "Agreed". */
export function sectionStatusLabel(status: SectionStatus): string {
  return t(`sectionStatus.${status}`);
}

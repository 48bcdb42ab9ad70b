/** Labels of roles, workspace kinds and templates, from the translation catalog. */
import type { DocumentTemplate, Role, WorkspaceKind } from '@jane/shared/core';
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

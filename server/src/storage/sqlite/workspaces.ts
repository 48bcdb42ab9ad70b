import type { WorkspaceKind } from '@jane/shared';
import type { WorkspaceRecord, WorkspaceRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection, Row } from './util.js';

export const WORKSPACES = table<WorkspaceRecord>('workspaces', {
  id: text,
  kind: text<WorkspaceKind>(),
  title: text,
  createdAt: text('created_at'),
});

export function sqliteWorkspaces({ statement }: Connection): WorkspaceRepository {
  const workspaces = WORKSPACES.on(statement);
  const findById = (id: string) => workspaces.get('SELECT * FROM workspaces WHERE id = ?', id);
  return {
    async count() {
      return Number((statement('SELECT COUNT(*) AS n FROM workspaces').get() as Row).n);
    },
    async create(workspace) {
      workspaces.insert(workspace);
    },
    async findById(id) {
      return findById(id);
    },
    async list() {
      return workspaces.all('SELECT * FROM workspaces ORDER BY created_at, rowid');
    },
    async update(id, patch) {
      workspaces.patch({ id }, patch);
      return findById(id);
    },
  };
}

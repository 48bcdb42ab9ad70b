import type { Db } from 'mongodb';
import type { WorkspaceRecord, WorkspaceRepository } from '../port.js';
import { records } from './records.js';

export const WORKSPACES = records<WorkspaceRecord>('workspaces', { key: (workspace) => workspace.id });

export async function mongoWorkspaces(db: Db): Promise<WorkspaceRepository> {
  const workspaces = WORKSPACES.on(db);
  return {
    async count() {
      return workspaces.collection.countDocuments();
    },
    async create(workspace) {
      await workspaces.insert(workspace);
    },
    findById: (id) => workspaces.findById(id),
    async list() {
      // Seeded workspaces share a creation time; the stable sort keeps their insertion order.
      return (await workspaces.find()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async update(id, patch) {
      await workspaces.patch(id, patch);
      return workspaces.findById(id);
    },
  };
}

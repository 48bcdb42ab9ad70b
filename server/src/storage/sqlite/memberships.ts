import type { Role } from '@jane/shared';
import type { MembershipRecord, MembershipRepository } from '../port.js';
import { table, text } from './table.js';
import type { Connection, Row } from './util.js';

export const MEMBERSHIPS = table<MembershipRecord>('memberships', {
  workspaceId: text('workspace_id'),
  userId: text('user_id'),
  role: text<Role>(),
  createdAt: text('created_at'),
});

export function sqliteMemberships({ statement }: Connection): MembershipRepository {
  const memberships = MEMBERSHIPS.on(statement);
  return {
    async upsert(membership) {
      // A member added again keeps the date they first joined; only the role changes.
      memberships.insert(membership, 'ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role');
    },
    async remove(workspaceId, userId) {
      return statement('DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?').run(workspaceId, userId).changes === 1;
    },
    async find(workspaceId, userId) {
      return memberships.get('SELECT * FROM memberships WHERE workspace_id = ? AND user_id = ?', workspaceId, userId);
    },
    async listForWorkspace(workspaceId) {
      return memberships.all('SELECT * FROM memberships WHERE workspace_id = ?', workspaceId);
    },
    async listForUser(userId) {
      return memberships.all('SELECT * FROM memberships WHERE user_id = ?', userId);
    },
    async countByWorkspace() {
      const rows = statement('SELECT workspace_id, COUNT(*) AS n FROM memberships GROUP BY workspace_id').all() as Row[];
      return new Map(rows.map((row) => [String(row.workspace_id), Number(row.n)]));
    },
  };
}

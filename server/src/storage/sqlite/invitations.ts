import type { InvitationRecord, InvitationRepository } from '../port.js';
import { json, table, text } from './table.js';
import type { Connection } from './util.js';

export const INVITATIONS = table<InvitationRecord>('invitations', {
  id: text,
  tokenHash: text('token_hash'),
  email: text,
  name: text,
  memberships: json<InvitationRecord['memberships']>(),
  createdBy: text('created_by'),
  createdAt: text('created_at'),
  expiresAt: text('expires_at'),
  acceptedAt: text.nullable('accepted_at'),
});

export function sqliteInvitations({ statement }: Connection): InvitationRepository {
  const invitations = INVITATIONS.on(statement);
  return {
    async create(invitation) {
      invitations.insert(invitation);
    },
    async findByTokenHash(tokenHash) {
      return invitations.get('SELECT * FROM invitations WHERE token_hash = ?', tokenHash);
    },
    async list() {
      return invitations.all('SELECT * FROM invitations ORDER BY created_at DESC');
    },
    async markAccepted(id, at) {
      return statement('UPDATE invitations SET accepted_at = ? WHERE id = ? AND accepted_at IS NULL').run(at, id).changes === 1;
    },
    async delete(id) {
      return statement('DELETE FROM invitations WHERE id = ?').run(id).changes === 1;
    },
  };
}

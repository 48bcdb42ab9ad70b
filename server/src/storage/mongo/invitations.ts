import type { Db } from 'mongodb';
import type { InvitationRecord, InvitationRepository } from '../port.js';
import { records } from './records.js';

export const INVITATIONS = records<InvitationRecord>('invitations', { key: (invitation) => invitation.id });

export async function mongoInvitations(db: Db): Promise<InvitationRepository> {
  const invitations = INVITATIONS.on(db);
  await invitations.collection.createIndex({ tokenHash: 1 }, { unique: true });
  return {
    async create(invitation) {
      await invitations.insert(invitation);
    },
    findByTokenHash: (tokenHash) => invitations.findOne({ tokenHash }),
    list: () => invitations.find({}, { createdAt: -1 }),
    async markAccepted(id, at) {
      const result = await invitations.collection.updateOne({ _id: id, acceptedAt: null }, { $set: { acceptedAt: at } });
      return result.modifiedCount === 1;
    },
    async delete(id) {
      return (await invitations.collection.deleteOne({ _id: id })).deletedCount === 1;
    },
  };
}

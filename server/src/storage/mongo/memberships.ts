import type { Db } from 'mongodb';
import type { MembershipRecord, MembershipRepository } from '../port.js';
import { records } from './records.js';

const membershipKey = (workspaceId: string, userId: string) => `${workspaceId}:${userId}`;

export const MEMBERSHIPS = records<MembershipRecord>('memberships', { key: (membership) => membershipKey(membership.workspaceId, membership.userId) });

export async function mongoMemberships(db: Db): Promise<MembershipRepository> {
  const memberships = MEMBERSHIPS.on(db);
  await Promise.all([memberships.collection.createIndex({ userId: 1 }), memberships.collection.createIndex({ workspaceId: 1 })]);
  return {
    async upsert(membership) {
      // A member added again keeps the date they first joined; only the role changes.
      await memberships.collection.updateOne(
        { _id: MEMBERSHIPS.key(membership) },
        {
          $set: { role: membership.role },
          $setOnInsert: { workspaceId: membership.workspaceId, userId: membership.userId, createdAt: membership.createdAt },
        },
        { upsert: true },
      );
    },
    async remove(workspaceId, userId) {
      return (await memberships.collection.deleteOne({ _id: membershipKey(workspaceId, userId) })).deletedCount === 1;
    },
    find: (workspaceId, userId) => memberships.findById(membershipKey(workspaceId, userId)),
    listForWorkspace: (workspaceId) => memberships.find({ workspaceId }),
    listForUser: (userId) => memberships.find({ userId }),
    async countByWorkspace() {
      const rows = await memberships.collection.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$workspaceId', n: { $sum: 1 } } }]).toArray();
      return new Map(rows.map((row) => [row._id, row.n]));
    },
  };
}

import type { Db } from 'mongodb';
import type { NotificationRecord, NotificationRepository } from '../port.js';
import { records } from './records.js';

export const NOTIFICATIONS = records<NotificationRecord>('notifications', {
  key: (notification) => notification.id,
  defaults: { sectionId: null, sectionTitle: null },
});

export async function mongoNotifications(db: Db): Promise<NotificationRepository> {
  const notifications = NOTIFICATIONS.on(db);
  await notifications.collection.createIndex({ userId: 1, createdAt: -1 });
  return {
    async createMany(created) {
      if (created.length === 0) return;
      await notifications.collection.insertMany(created.map((notification) => NOTIFICATIONS.toDoc(notification)));
    },
    async listForUser(userId, limit) {
      const docs = await notifications.collection.find({ userId }).sort({ createdAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((doc) => NOTIFICATIONS.fromDoc(doc));
    },
    countUnread: (userId) => notifications.collection.countDocuments({ userId, readAt: null }),
    async markRead(userId, ids, at) {
      const filter = ids === null ? { userId, readAt: null } : { userId, readAt: null, _id: { $in: [...ids] } };
      return (await notifications.collection.updateMany(filter, { $set: { readAt: at } })).modifiedCount;
    },
    async deleteCreatedBefore(before) {
      return (await notifications.collection.deleteMany({ createdAt: { $lt: before } })).deletedCount;
    },
  };
}

/**
 * The signed-in person's notifications (mentions and replies), live: loaded over REST
 * when the realtime socket (re)connects — events missed while it was down are then
 * included — and kept current by `notification:new` and `notifications:read` (which
 * also carry reads made in other tabs).
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { NotificationView } from '@jane/shared/core';
import { api } from '../api';
import { subscribeRealtime } from '../realtime/subscribeRealtime';

export const useNotificationsStore = defineStore('notifications', () => {
  const notifications = ref<NotificationView[]>([]);
  const unreadCount = ref(0);
  const loaded = ref(false);
  const loadError = ref<string | null>(null);
  /** The last notification that arrived live (for a screen-reader announcement). */
  const latest = ref<NotificationView | null>(null);

  const unreadMentions = computed(() => notifications.value.filter((n) => n.kind === 'mention' && n.readAt === null));

  let users = 0;
  let unsubscribe: (() => void) | null = null;

  async function refresh(): Promise<void> {
    try {
      const response = await api.notifications();
      notifications.value = response.notifications;
      unreadCount.value = response.unreadCount;
      loaded.value = true;
      loadError.value = null;
    } catch (error) {
      loadError.value = error instanceof Error ? error.message : String(error);
    }
  }

  function markLocally(ids: string[] | null, readAt: string): void {
    const wanted = ids ? new Set(ids) : null;
    notifications.value = notifications.value.map((n) => (n.readAt === null && (!wanted || wanted.has(n.id)) ? { ...n, readAt } : n));
  }

  /** Starts following notifications (the bell calls this while someone is signed in). Returns stop. */
  function start(): () => void {
    users++;
    if (users === 1) {
      unsubscribe = subscribeRealtime(
        {
          'notification:new': ({ notification, unreadCount: count }) => {
            if (!notifications.value.some((n) => n.id === notification.id)) notifications.value = [notification, ...notifications.value];
            unreadCount.value = count;
            latest.value = notification;
          },
          'notifications:read': ({ ids, unreadCount: count }) => {
            markLocally(ids, new Date().toISOString());
            unreadCount.value = count;
          },
        },
        // Whatever arrived while the socket was down is in the list fetched again.
        () => void refresh(),
      );
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      users--;
      if (users > 0) return;
      unsubscribe?.();
      unsubscribe = null;
      notifications.value = [];
      unreadCount.value = 0;
      loaded.value = false;
      latest.value = null;
    };
  }

  /** Marks some notifications (or, without ids, all) read. */
  async function markRead(ids?: string[]): Promise<void> {
    if (ids && ids.length === 0) return;
    const response = await api.markNotificationsRead(ids);
    markLocally(ids ?? null, new Date().toISOString());
    unreadCount.value = response.unreadCount;
  }

  return { notifications, unreadCount, unreadMentions, loaded, loadError, latest, start, refresh, markRead };
});

/** Who is signed in, and whether this install still needs its first administrator. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginRequest, User } from '@jane/shared/core';
import { api, ApiError } from '../api';
import { clearLocalCopies } from '../collab/localCopies';

/** Closes the tab's realtime connection, if this tab ever opened one (the module loads with it). */
function closeRealtimeConnection(): void {
  void import('../realtime/socket').then(({ closeRealtime }) => closeRealtime());
}

export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null);
  const needsSetup = ref(false);
  const loaded = ref(false);
  /** Set when the server could not be reached while loading the session. */
  const loadError = ref<string | null>(null);
  let loading: Promise<void> | null = null;

  const isAdmin = computed(() => user.value?.isAdmin === true);

  async function fetchSession(): Promise<void> {
    try {
      const setup = await api.setupStatus();
      needsSetup.value = setup.needsSetup;
      if (setup.needsSetup) {
        user.value = null;
      } else {
        try {
          user.value = (await api.me()).user;
        } catch (error) {
          if (error instanceof ApiError && error.status === 401) user.value = null;
          else throw error;
        }
      }
      loaded.value = true;
      loadError.value = null;
    } catch (error) {
      loadError.value = error instanceof ApiError ? error.message : String(error);
      throw error;
    } finally {
      loading = null;
    }
  }

  /** Loads the session once (or again with `force`). */
  function load(force = false): Promise<void> {
    if (loaded.value && !force) return Promise.resolve();
    loading ??= fetchSession();
    return loading;
  }

  async function login(credentials: LoginRequest): Promise<User> {
    const response = await api.login(credentials);
    user.value = response.user;
    // Someone else used this browser before: their saved copies go.
    void clearLocalCopies(response.user.id);
    return response.user;
  }

  /** After setup or accepting an invitation the server has signed the person in. */
  function signedIn(signedInUser: User): void {
    user.value = signedInUser;
    needsSetup.value = false;
    loaded.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      user.value = null;
      closeRealtimeConnection();
      await clearLocalCopies();
    }
  }

  /** The server said our session is gone (expired, deactivated, signed out elsewhere). */
  function sessionEnded(): void {
    user.value = null;
    closeRealtimeConnection();
  }

  return { user, needsSetup, loaded, loadError, isAdmin, load, login, signedIn, logout, sessionEnded };
});

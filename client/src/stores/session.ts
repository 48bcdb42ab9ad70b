/** Who is signed in, and whether this install still needs its first administrator. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { LoginRequest, User } from '@jane/shared/core';
import { api, ApiError } from '../api';
import { clearLocalCopies } from '../collab/localCopies';
import { forgetUser, rememberedUser, rememberUser } from '../offline/rememberedSession';
import { forgetDocumentAccess } from '../offline/documentAccess';

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
  /** The server could not be reached: the session is the one last confirmed on this device. */
  const offline = ref(false);
  let loading: Promise<void> | null = null;

  const isAdmin = computed(() => user.value?.isAdmin === true);

  function setUser(next: User | null): void {
    user.value = next;
    if (next) rememberUser(next);
    else forgetUser();
  }

  async function fetchSession(): Promise<void> {
    try {
      // Both at once: opening a page waits for the session, and nearly always there is no setup to do.
      const me = api.me().then(
        (response) => response.user,
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 401) return null;
          throw error;
        },
      );
      me.catch(() => undefined); // not awaited when setup is needed
      const setup = await api.setupStatus();
      needsSetup.value = setup.needsSetup;
      setUser(setup.needsSetup ? null : await me);
      loaded.value = true;
      loadError.value = null;
      offline.value = false;
    } catch (error) {
      // Offline: open with the session last confirmed here (documents opened before work
      // from their copies on this device); the server is asked again once online.
      const remembered = error instanceof ApiError && error.isNetworkError ? rememberedUser() : null;
      if (remembered) {
        user.value = remembered;
        loaded.value = true;
        offline.value = true;
        window.addEventListener('online', () => void load(true).catch(() => undefined), { once: true });
        return;
      }
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
    setUser(response.user);
    // Someone else used this browser before: their saved copies go.
    void clearLocalCopies(response.user.id);
    return response.user;
  }

  /** After setup or accepting an invitation the server has signed the person in. */
  function signedIn(signedInUser: User): void {
    setUser(signedInUser);
    needsSetup.value = false;
    loaded.value = true;
  }

  async function logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      setUser(null);
      forgetDocumentAccess();
      closeRealtimeConnection();
      await clearLocalCopies();
    }
  }

  /** The server said our session is gone (expired, deactivated, signed out elsewhere). */
  function sessionEnded(): void {
    setUser(null);
    forgetDocumentAccess();
    closeRealtimeConnection();
  }

  return { user, needsSetup, loaded, loadError, offline, isAdmin, load, login, signedIn, logout, sessionEnded };
});

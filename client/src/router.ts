import { createRouter, createWebHistory, type LocationQueryValue, type RouteLocationNormalized, type RouteLocationRaw } from 'vue-router';
import { prefetchDocument } from './api/documentPrefetch';
import { hasLocalCopy, openLocalCopyDatabaseEarly } from './collab/localCopies';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Administrators only. */
    admin?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/setup', name: 'setup', component: () => import('./views/SetupView.vue'), meta: { public: true } },
    { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true } },
    { path: '/invite/:token', name: 'invite', component: () => import('./views/InviteView.vue'), meta: { public: true }, props: true },
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
    { path: '/w/:workspaceId', name: 'workspace', component: () => import('./views/WorkspaceView.vue'), props: true },
    { path: '/w/:workspaceId/threads', name: 'workspace-threads', component: () => import('./views/ThreadsView.vue'), props: true },
    { path: '/d/:documentId', name: 'document', component: () => import('./views/DocumentView.vue'), props: true },
    {
      path: '/admin/:tab(people|invitations|workspaces)?',
      name: 'admin',
      component: () => import('./views/AdminView.vue'),
      meta: { admin: true },
      props: (route) => ({ tab: route.params.tab || 'people' }),
    },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
  ],
  scrollBehavior(_to, _from, saved) {
    return saved ?? { top: 0 };
  },
});

/** A same-site path to return to after signing in; anything else goes home. */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string {
  const path = Array.isArray(value) ? value[0] : value;
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}

/**
 * While the session is checked, the page's code and (for a document) the document and
 * this device's copy of its text are already on their way: opening a link does not wait
 * for one step after another.
 */
function startLoading(to: RouteLocationNormalized, from: RouteLocationNormalized): void {
  for (const record of to.matched) {
    const component = record.components?.default;
    if (typeof component === 'function') void (component as () => Promise<unknown>)().catch(() => undefined);
  }
  const documentId = to.name === 'document' ? to.params.documentId : undefined;
  // (The same path again, e.g. another section's link: the open page stays.)
  if (typeof documentId !== 'string' || to.path === from.path) return;
  prefetchDocument(documentId);
  if (!hasLocalCopy(documentId)) return;
  openLocalCopyDatabaseEarly(documentId);
  void import('./collab/earlyLocalCopy').then(({ loadLocalCopyEarly }) => loadLocalCopyEarly(documentId)).catch(() => undefined);
}

router.beforeEach(async (to, from): Promise<boolean | RouteLocationRaw> => {
  const session = useSessionStore();
  // The session's request goes out first: it is what the page waits for.
  const sessionLoaded = session.load();
  startLoading(to, from);
  try {
    await sessionLoaded;
  } catch {
    return true; // App.vue shows "cannot reach the server" with a retry button
  }
  if (session.needsSetup) return to.name === 'setup' ? true : { name: 'setup' };
  if (to.name === 'setup') return session.user ? { name: 'home' } : { name: 'login' };
  if (to.name === 'login' && session.user) return safeRedirect(to.query.redirect);
  if (to.meta.public) return true;
  if (!session.user) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  if (to.meta.admin && !session.isAdmin) return { name: 'home' };
  return true;
});

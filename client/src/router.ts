import { createRouter, createWebHistory, type LocationQueryValue, type RouteLocationRaw } from 'vue-router';
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

router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
  const session = useSessionStore();
  try {
    await session.load();
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

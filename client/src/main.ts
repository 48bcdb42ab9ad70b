import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { setUnauthorizedListener } from './api/http';
import { useSessionStore } from './stores/session';
import { registerServiceWorker, reloadWhenChunksAreGone } from './offline/serviceWorker';
import './styles/main.css';

performance.mark('jane:app-code-loaded');
const app = createApp(App);
const pinia = createPinia();
app.use(pinia);
app.use(router);

// A 401 on any call that needed a session: it ended (expired, signed out elsewhere,
// account deactivated). Send the person to sign in and bring them back afterwards.
setUnauthorizedListener(() => {
  const session = useSessionStore(pinia);
  const wasSignedIn = session.user !== null;
  session.sessionEnded();
  const current = router.currentRoute.value;
  if (current.meta.public) return;
  void router.push({ name: 'login', query: { redirect: current.fullPath, ...(wasSignedIn ? { reason: 'expired' } : {}) } });
});

app.mount('#app');
registerServiceWorker();
reloadWhenChunksAreGone();

/**
 * Registers the service worker that keeps the app shell for offline use (built by
 * vite-plugin-pwa, see vite.config.ts), and recovers from a deploy that replaced the
 * files an open tab still asks for.
 */

/** A reload because of a missing chunk happens at most once in this long, so a broken deploy cannot loop. */
const RELOAD_GUARD_MS = 30_000;
const RELOAD_KEY = 'jane.reloadedForUpdate';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    // The worker script itself always comes from the server (never from the HTTP cache),
    // so a deploy is noticed on the next visit.
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
      // No worker (private mode, blocked): the app works online as before.
    });
  };
  // After the first paint: installing the worker downloads the whole shell once.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

/**
 * A new deploy removes the old hashed chunks; a tab opened before it fails to load a
 * page it has not shown yet. Loading the page again brings the new version.
 */
export function reloadWhenChunksAreGone(): void {
  window.addEventListener('vite:preloadError', (event) => {
    let last = 0;
    try {
      last = Number(sessionStorage.getItem(RELOAD_KEY) ?? 0);
    } catch {
      last = 0;
    }
    if (Date.now() - last < RELOAD_GUARD_MS) return;
    // Offline the files cannot come either way: keep the error (the page says so).
    if (!navigator.onLine) return;
    event.preventDefault();
    try {
      sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
    } catch {
      // without storage the guard does not hold; reloading once more is still right
    }
    window.location.reload();
  });
}

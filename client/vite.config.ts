import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './build/precompress';
import { codeSplitting } from './build/chunks';

const server = 'http://localhost:3000';

export default defineConfig({
  define: {
    __JANE_BUILD__: JSON.stringify(new Date().toISOString()),
  },
  plugins: [
    vue(),
    // The service worker keeps the app shell (index.html and every built asset) so a
    // document opened before can be reloaded without a network; its text comes from
    // IndexedDB (y-indexeddb) and merges once the connection is back.
    VitePWA({
      strategies: 'generateSW',
      filename: 'sw.js',
      // Registered by src/offline/serviceWorker.ts (the CSP allows no inline scripts).
      injectRegister: false,
      manifest: false,
      workbox: {
        mode: 'production',
        sourcemap: false,
        cacheId: 'jane',
        globPatterns: ['**/*.{js,css,html,svg}'],
        // A new deploy replaces the old shell as soon as its worker is installed; the old
        // precache entries are dropped.
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        // Pages come from the network whenever there is one (a deploy shows at once);
        // only offline does a page get the cached shell. So no cache-first "/" either.
        navigateFallback: null,
        directoryIndex: null,
        runtimeCaching: [
          {
            // The server's data and live channels are never cached: they go to the
            // network, as if there were no service worker.
            urlPattern: ({ request, url }) => request.mode === 'navigate' && !/^\/(api|collab|socket\.io)(\/|$)/.test(url.pathname),
            handler: 'NetworkOnly',
            options: { precacheFallback: { fallbackURL: 'index.html' } },
          },
        ],
      },
    }),
    precompress(),
  ],
  resolve: {
    // Two copies of Yjs break sync silently ("Yjs was already imported").
    dedupe: ['yjs', 'y-protocols', 'lib0'],
  },
  server: {
    proxy: {
      '/api': { target: server },
      '/collab': { target: server, ws: true },
      '/socket.io': { target: server, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Source maps would publish the whole source next to the app; none are written.
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    // Fewer, larger files for what pages need at first paint (see build/chunks.ts).
    rolldownOptions: { output: { codeSplitting } },
  },
});

import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { precompress } from './build/precompress';

const server = 'http://localhost:3000';

export default defineConfig({
  plugins: [vue(), precompress()],
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
  },
});

import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const server = 'http://localhost:3000';

export default defineConfig({
  plugins: [vue()],
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
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
});

/**
 * Unit tests of the client's pure logic (save status, anchors, outline, comment text,
 * awareness identity, layout): plain modules in Node, no DOM and no browser. What needs
 * a page is tested end to end in e2e/.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The same guard as the app's build: two copies of Yjs break position resolution silently.
    dedupe: ['yjs', 'y-protocols', 'lib0'],
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    reporters: ['default'],
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One file at a time: the fault and flood tests start several processes and measure
    // latencies, which tests running beside them on two cores would distort.
    fileParallelism: false,
    reporters: ['default'],
  },
});

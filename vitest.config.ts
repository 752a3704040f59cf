import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'web/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and sandbox tests each start real processes; two cores are all CI has.
    fileParallelism: true,
    maxWorkers: 2,
  },
});

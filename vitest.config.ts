import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One database server for the run; files share it with fresh database names.
    // Two cores: running files two at a time keeps timing-sensitive tests honest.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});

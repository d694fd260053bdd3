import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One database server for the run; files share it with fresh database names.
    // Files run one at a time: on two cores, two heavy files at once (the cluster's three
    // nodes, Chromium, 100 socket clients) starve each other's timing-sensitive checks
    // (presence grace windows, coalescing, typing expiry) and turn them into coin flips.
    fileParallelism: false,
    // One worker loads the server's modules once for every file: each file still starts its own
    // servers on its own database, and nothing here keeps state at module level between them.
    // Loading them again per file cost ~2 minutes of a 15-minute run on a slow day (932 s
    // against 733 s for the same 636 tests).
    isolate: false,
    reporters: ['default'],
  },
});

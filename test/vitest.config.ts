import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: { alias: { synod: fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    // One test file per core. Vitest's default for a run is one less than the cores: a single
    // file at a time on a 2-core machine, leaving a core idle under the many files that check
    // on the test's own thread. Files that start threads or processes share the cores.
    maxWorkers: availableParallelism(),
  },
});

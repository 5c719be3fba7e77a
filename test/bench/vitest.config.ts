// Benchmarks: run with `npm run bench`; they write tables to results/ and assert nothing timed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  resolve: { alias: { synod: fileURLToPath(new URL('../../src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/bench/**/*.bench.ts'],
    testTimeout: 3_600_000,
    fileParallelism: false,
  },
});

// The build: ES modules for Node 20, split into shared chunks. Immutable (a CommonJS package) is
// loaded through require() inside synod: Node's ESM import of a CommonJS package first parses its
// whole source for export names, about 70 ms on every thread that loads it (the CLI and each
// expander); require() skips that and gives the same module instance.
import { createRequire } from 'node:module';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const immutableNames = Object.keys(createRequire(import.meta.url)('immutable') as object).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));

const immutableThroughRequire: Plugin = {
  name: 'immutable-through-require',
  setup(build) {
    build.onResolve({ filter: /^immutable$/ }, () => ({ path: 'immutable', namespace: 'immutable-through-require' }));
    build.onLoad({ filter: /.*/, namespace: 'immutable-through-require' }, () => ({
      loader: 'js',
      contents: [
        "import { createRequire } from 'node:module';",
        "const immutable = createRequire(import.meta.url)('immutable');",
        'export default immutable;',
        `export const { ${immutableNames.join(', ')} } = immutable;`,
      ].join('\n'),
    }));
  },
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli/main.ts',
    'check-worker': 'src/cli/check-worker.ts',
    'warm-threads': 'src/check/warm-threads.ts',
    'simulate-worker': 'src/cli/simulate-worker.ts',
    'results-worker': 'src/cli/results-worker.ts',
    // What a spec's own `import ... from 'immutable'` resolves to when synod bundles it (cli/load.ts).
    immutable: 'src/spec/immutable.ts',
  },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  splitting: true,
  sourcemap: true,
  clean: true,
  outDir: 'dist',
  // Not left external by tsup: the plugin above resolves it.
  noExternal: ['immutable'],
  esbuildPlugins: [immutableThroughRequire],
});

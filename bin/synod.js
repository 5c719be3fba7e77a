#!/usr/bin/env node
// Thin entry: hands argv to the built CLI. An installed package ships dist/ (built by
// `prepack`); a git checkout builds it here on first use, so `npm install` runs no script of ours.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsup = new URL('../node_modules/tsup/dist/cli-default.js', import.meta.url);
  if (!existsSync(new URL('../src/cli/main.ts', import.meta.url)) || !existsSync(tsup)) {
    process.stderr.write('error[SYN100]: synod is not built (no dist/): run `npm install` and `npm run build` in the synod folder\n');
    process.exit(2);
  }
  process.stderr.write('synod: building dist/ from src/ (first run in this checkout)...\n');
  const built = spawnSync(process.execPath, [fileURLToPath(tsup)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) process.exit(2);
}
if (process.argv[2] === 'check') await prestartExpander();
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));

/** Starts `synod check`'s first expander thread while the CLI loads (see src/check/warm-threads.ts). */
async function prestartExpander() {
  const { prestartThreads } = await import(new URL('../dist/warm-threads.js', import.meta.url).href);
  prestartThreads(new URL('../dist/check-worker.js', import.meta.url), 1);
}

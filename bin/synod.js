#!/usr/bin/env node
// Thin entry: hands argv to the built CLI (dist/ is built by `npm install` through `prepare`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('synod is not built yet: run `npm install` (or `npm run build`) in the synod folder\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));

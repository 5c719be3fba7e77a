// `synod init <dir>`: a folder to start writing specs in. A starter spec with a bug variant, a
// vitest test that checks it through the API, and a tsconfig.json and vitest config that find
// `synod` and `immutable` in the installation that ran `init` (paths computed here, at run
// time), so `npx tsc --noEmit -p <dir>` type-checks every spec in the folder with no install.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { codes, SpecError } from '../spec/errors.js';

interface InitArgs {
  dir: string;
  force?: boolean;
}

/** The folder of the package whose package.json names it `name`, walking up from `file`. */
function packageRoot(file: string, name: string): string | null {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if (JSON.parse(readFileSync(pkg, 'utf8')).name === name) return dir;
      } catch { /* not a package.json we can read: keep walking */ }
    }
    if (dirname(dir) === dir) return null;
  }
}

/** Where this installation's synod, immutable and (if it has one) vitest live. */
export function installation(): { synod: string; immutable: string; vitest: string | null } {
  const here = fileURLToPath(import.meta.url);
  const synod = packageRoot(here, 'synod');
  const immutable = packageRoot(fileURLToPath(import.meta.resolve('immutable')), 'immutable');
  if (synod === null || immutable === null) throw new Error(`cannot find synod's installation from ${here}`);
  return { synod, immutable, vitest: resolvePackage('vitest', synod) };
}

/** The folder of package `name` as seen from `from`, or null when it is not installed there. */
function resolvePackage(name: string, from: string): string | null {
  try {
    return packageRoot(createRequire(join(from, 'noop.js')).resolve(name), name);
  } catch {
    return null;
  }
}

/** A path for a config file in `dir`: relative (so the folder can move with its installation), posix slashes. */
function pathFrom(dir: string, target: string): string {
  const rel = relative(dir, target);
  const path = rel.startsWith('..') || rel === '' ? rel || '.' : `./${rel}`;
  return path.split(sep).join('/');
}

const SPEC = 'lock.ts';
const TEST = 'lock.test.ts';
const TSCONFIG = 'tsconfig.json';
const VITEST_CONFIG = 'vitest.config.mjs';

/** The files `init` writes into `dir`, by name. */
export function starterFiles(dir: string): Record<string, string> {
  const at = installation();
  const starter = join(at.synod, 'src', 'cli', 'starter');
  // vitest from the user's own project if it has one, else from synod's installation (a checkout).
  const vitest = resolvePackage('vitest', dir) === null ? at.vitest : null;
  const paths: Record<string, string[]> = { synod: [pathFrom(dir, at.synod)], immutable: [pathFrom(dir, at.immutable)] };
  if (vitest !== null) paths.vitest = [pathFrom(dir, vitest)];
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      paths,
    },
    include: ['**/*.ts'],
    // With no vitest anywhere the test cannot be type-checked; the specs still are.
    ...(vitest === null && resolvePackage('vitest', dir) === null ? { exclude: ['**/*.test.ts'] } : {}),
  };
  const alias = { synod: join(at.synod, 'dist', 'index.js'), immutable: fileURLToPath(import.meta.resolve('immutable')) };
  return {
    [SPEC]: readFileSync(join(starter, SPEC), 'utf8'),
    [TEST]: readFileSync(join(starter, TEST), 'utf8'),
    [TSCONFIG]: `${JSON.stringify(tsconfig, null, 2)}\n`,
    [VITEST_CONFIG]: [
      '// Written by `synod init`: the test imports the synod installation that wrote this folder.',
      `export default ${JSON.stringify({ resolve: { alias }, test: { include: ['**/*.test.ts'] } }, null, 2)};`,
      '',
    ].join('\n'),
  };
}

function run(args: ArgumentsCamelCase<InitArgs>): number {
  const dir = resolve(args.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new SpecError(codes.cannotWrite, `${args.dir} is a file, not a folder`, 'name a new or empty folder: synod init my-specs');
  }
  const present = existsSync(dir) ? readdirSync(dir) : [];
  if (present.length > 0 && !args.force) {
    throw new SpecError(codes.cannotWrite, `${args.dir} is not empty (${present.length} entr${present.length === 1 ? 'y' : 'ies'}: ${present.slice(0, 3).join(', ')}${present.length > 3 ? ', ...' : ''})`,
      `name a new or empty folder, or add --force to write ${[SPEC, TEST, TSCONFIG, VITEST_CONFIG].join(', ')} there (other files are left alone)`);
  }
  const files = starterFiles(dir);
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  } catch (e) {
    throw new SpecError(codes.cannotWrite, `cannot write into ${args.dir}: ${(e as Error).message}`);
  }
  const d = args.dir;
  const testable = JSON.parse(files[TSCONFIG]!).exclude === undefined;
  process.stdout.write([
    `wrote ${Object.keys(files).map((f) => join(d, f)).join(', ')}`,
    '',
    'next:',
    `  synod check ${join(d, SPEC)}                          # OK: the lock is never held twice`,
    `  synod check ${join(d, SPEC)} --variant checkThenAct   # the shortest run that breaks it`,
    `  npx tsc --noEmit -p ${d}                            # type-check every spec in the folder`,
    `  npx vitest run --config ${join(d, VITEST_CONFIG)}    # the test, through synod's API${testable ? '' : ' (needs vitest: npm install -D vitest)'}`,
    '',
  ].join('\n'));
  return 0;
}

export const initCommand = (setExit: (code: number) => void): CommandModule<object, InitArgs> => ({
  command: 'init <dir>',
  describe: 'start a folder of specs: a starter spec with a bug variant, a test, and a tsconfig.json for this installation',
  builder: ((y: Argv) => y
    .positional('dir', { type: 'string', demandOption: true, describe: 'the folder to create (it must be new or empty)' })
    .option('force', { type: 'boolean', describe: 'write into a folder that is not empty (replaces only the starter files)' })
    .example('$0 init my-specs', 'then: synod check my-specs/lock.ts')) as never,
  handler: (args) => setExit(run(args)),
});

// Loads a spec module from a .ts (or .js) file: compiles it on the fly with esbuild, with
// 'synod' and 'immutable' resolved to this installation, so the user needs no build step.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { createRequire } from 'node:module';
import { codes, SpecError } from '../spec/errors.js';
import type { Spec } from '../spec/define.js';
import { loadSpecCode } from './load-code.js';

export { loadSpecCode } from './load-code.js';

/**
 * Where 'synod' and 'immutable' resolve for this installation. Built, Immutable is the module
 * synod's own code loads it through (dist/immutable.js: require(), see tsup.config.ts); the
 * same instance as importing the package.
 */
export function sharedModules(): Record<string, string> {
  const built = new URL('./immutable.js', import.meta.url);
  return {
    synod: fileURLToPath(import.meta.resolve('synod')),
    immutable: fileURLToPath(existsSync(built) ? built : import.meta.resolve('immutable')),
  };
}

/** esbuild through require(), when a spec is first loaded: importing it as a module costs ~70 ms more (see tsup.config.ts). */
const esbuild = (): typeof import('esbuild') => createRequire(import.meta.url)('esbuild');

function sharedModulesPlugin(paths: Record<string, string>): Plugin {
  return {
    name: 'synod-shared-modules',
    setup(b) {
      b.onResolve({ filter: /^(synod|immutable)$/ }, (args) => ({ path: paths[args.path]!, external: true }));
    },
  };
}

function formatMessages(messages: Message[]): string {
  return messages
    .map((m) => {
      const loc = m.location;
      const where = loc ? `${loc.file}:${loc.line}:${loc.column + 1}: ` : '';
      const snippet = loc ? `\n    ${loc.lineText}\n    ${' '.repeat(loc.column)}^` : '';
      return `${where}${m.text}${snippet}`;
    })
    .join('\n');
}

export async function loadSpec(file: string): Promise<Spec> {
  return (await loadSpecWithSource(file)).spec;
}

/**
 * SHA-256 over the files bundled into the spec (each named relative to the spec's folder), so
 * a checkpoint can tell whether the spec changed; independent of where synod is run from.
 */
function sourceHashOf(specPath: string, inputs: string[]): string {
  const hash = createHash('sha256');
  const base = dirname(specPath);
  const files = inputs.map((f) => resolve(f)).sort();
  for (const f of files) hash.update(`${relative(base, f)}\0`).update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

/** Loads a spec, the hash of its sources (see sourceHashOf) and its bundled code (for worker threads). */
export async function loadSpecWithSource(file: string): Promise<{ spec: Spec; sourceHash: string; code: string }> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SpecError(codes.specNotFound, existsSync(path) ? `${file} is a folder, not a spec file` : `spec file not found: ${file}`,
      'give the path of a spec module, e.g. specs/two-phase-commit.ts');
  }
  let code: string;
  let sourceHash: string;
  try {
    const out = await esbuild().build({
      // As deep as loadSpecCode's temporary folder: the source map's relative paths then lead back to the spec.
      outfile: join(tmpdir(), 'synod-spec-bundle', 'spec.mjs'),
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'silent',
      metafile: true,
      plugins: [sharedModulesPlugin(sharedModules())],
    });
    code = out.outputFiles[0]!.text;
    sourceHash = sourceHashOf(path, Object.keys(out.metafile.inputs));
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    throw new SpecError(codes.specCompile, `${file} does not compile:\n${errors ? formatMessages(errors) : String(e)}`,
      'fix the TypeScript above; synod compiles specs with esbuild (syntax only; run `npx tsc --noEmit` for type errors)');
  }
  return { spec: await loadSpecCode(code, file), sourceHash, code };
}


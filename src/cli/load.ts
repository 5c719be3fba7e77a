// Loads a spec module from a .ts (or .js) file: compiles it on the fly with esbuild, with
// 'synod' and 'immutable' resolved to this installation, so the user needs no build step.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';
import { codes, SpecError } from '../spec/errors.js';
import { isSpec, type Spec } from '../spec/define.js';
import { causeOf } from '../check/failures.js';

/** Where 'synod' and 'immutable' resolve for this installation. */
function sharedModules(): Record<string, string> {
  return {
    synod: fileURLToPath(import.meta.resolve('synod')),
    immutable: fileURLToPath(import.meta.resolve('immutable')),
  };
}

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

/** Loads a spec and the hash of its sources (see sourceHashOf). */
export async function loadSpecWithSource(file: string): Promise<{ spec: Spec; sourceHash: string }> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new SpecError(codes.specNotFound, existsSync(path) ? `${file} is a folder, not a spec file` : `spec file not found: ${file}`,
      'give the path of a spec module, e.g. specs/two-phase-commit.ts');
  }
  const dir = mkdtempSync(join(tmpdir(), 'synod-spec-'));
  const compiled = join(dir, 'spec.mjs');
  let code: string;
  let sourceHash: string;
  try {
    const out = await build({
      outfile: compiled, // source maps then point from the temporary file back to the spec
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
    rmSync(dir, { recursive: true, force: true });
    const errors = (e as { errors?: Message[] }).errors;
    throw new SpecError(codes.specCompile, `${file} does not compile:\n${errors ? formatMessages(errors) : String(e)}`,
      'fix the TypeScript above; synod compiles specs with esbuild (syntax only; run `npx tsc --noEmit` for type errors)');
  }
  let mod: Record<string, unknown>;
  try {
    writeFileSync(compiled, code);
    mod = await import(pathToFileURL(compiled).href);
  } catch (e) {
    throw new SpecError(codes.badSpec, `loading ${file} failed: ${causeOf(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { spec: pickSpec(mod, file), sourceHash };
}

function pickSpec(mod: Record<string, unknown>, file: string): Spec {
  if (isSpec(mod.default)) return mod.default;
  const named = Object.values(mod).filter(isSpec);
  if (named.length === 1) return named[0]!;
  throw new SpecError(codes.noSpecExport,
    named.length === 0 ? `${file} does not export a spec` : `${file} exports ${named.length} specs; synod needs one`,
    "write `export default defineSpec({ ... })` (defineSpec comes from 'synod')");
}

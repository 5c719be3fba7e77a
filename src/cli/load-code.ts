// Imports a spec module bundled by load.ts, without esbuild: what an expander thread needs (it
// reuses the main thread's bundle, and starting a thread should cost little).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codes, SpecError } from '../spec/errors.js';
import { isSpec, type Spec } from '../spec/define.js';
import { causeOf } from '../check/failures.js';

/** Imports a spec bundled by loadSpecWithSource (a worker thread reuses the main thread's bundle). */
export async function loadSpecCode(code: string, file: string): Promise<Spec> {
  const dir = mkdtempSync(join(tmpdir(), 'synod-spec-'));
  const compiled = join(dir, 'spec.mjs');
  let mod: Record<string, unknown>;
  try {
    writeFileSync(compiled, code);
    mod = await import(pathToFileURL(compiled).href);
  } catch (e) {
    throw new SpecError(codes.badSpec, `loading ${file} failed: ${causeOf(e)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return pickSpec(mod, file);
}

export function pickSpec(mod: Record<string, unknown>, file: string): Spec {
  if (isSpec(mod.default)) return mod.default;
  const named = Object.values(mod).filter(isSpec);
  if (named.length === 1) return named[0]!;
  throw new SpecError(codes.noSpecExport,
    named.length === 0 ? `${file} does not export a spec` : `${file} exports ${named.length} specs; synod needs one`,
    "write `export default defineSpec({ ... })` (defineSpec comes from 'synod')");
}

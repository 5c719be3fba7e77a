// Imports in src/ flow one way (DESIGN.md): cli -> check -> (store, state, report) -> spec. Every
// folder is ranked (RANKS) and imports only lower ranks; spec and consistency import only
// immutable among packages; nothing outside src/cli imports it (but src/index.ts re-exports src/cli/library.ts); no file imports itself back
// through a cycle. Scans every .ts file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every .ts file under a directory, as repo-relative posix paths. */
function tsFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = posix.join(dir, d.name);
    if (d.isDirectory()) return tsFiles(rel);
    return d.name.endsWith('.ts') ? [rel] : [];
  });
}

interface Ref {
  spec: string;
  /** Erased at run time: `import type`, `export type`, every named binding `type`, or `import('x').T`. */
  typeOnly: boolean;
}

const allTypes = (els: ts.NodeArray<ts.ImportSpecifier | ts.ExportSpecifier>): boolean =>
  els.length > 0 && els.every((e) => e.isTypeOnly);

/** Every module a file names: imports, re-exports, dynamic import(), and import types. */
function refsOf(text: string): Ref[] {
  const out: Ref[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) {
      const c = n.importClause;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!c.namedBindings && ts.isNamedImports(c.namedBindings) && allTypes(c.namedBindings.elements)));
      out.push({ spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly = n.isTypeOnly || (!!n.exportClause && ts.isNamedExports(n.exportClause) && allTypes(n.exportClause.elements));
      out.push({ spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = n.arguments[0];
      out.push({ spec: arg && ts.isStringLiteralLike(arg) ? arg.text : '<computed>', typeOnly: false });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ spec: n.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(n, visit);
  };
  visit(ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, false));
  return out;
}

/** Where an import leads: a repo-relative .ts path for relative imports, else the package name. */
function target(from: string, spec: string): { path: string } | { pkg: string } {
  if (spec === 'synod') return { path: 'src/index.ts' };
  if (!spec.startsWith('.')) return { pkg: spec };
  return { path: posix.join(posix.dirname(from), spec).replace(/\.js$/, '.ts') };
}

/** 'spec', 'state', ... for files under src/<dir>/, 'index' for src/index.ts, null outside src. */
function layerOf(path: string): string | null {
  const m = /^src\/(?:([^/]+)\/.*|(index)\.ts)$/.exec(path);
  return m ? (m[1] ?? m[2]!) : null;
}

/**
 * Every folder of src/ has a rank; a file imports only its own folder and folders of lower rank
 * (DESIGN.md: cli -> check -> (store, state, report) -> spec). Folders of one rank never import
 * each other. A new folder must be ranked here before anything may import it.
 */
export const RANKS: Readonly<Record<string, number>> = {
  spec: 0,
  state: 1, store: 1, report: 1, consistency: 1,
  liveness: 2,
  check: 3,
  explore: 4, cluster: 4,
  cli: 5,
  index: 5,
};

/** Why an import from layer `here` (a file) to `to` (a repo path) breaks the rules, or null. */
function rule(here: string | null, to: string): string | null {
  const there = layerOf(to);
  if (there === null) return 'src imports nothing outside src';
  if (here === null || here === there) return null;
  if (!(here in RANKS)) return `src/${here} has no rank in test/layering.test.ts`;
  if (!(there in RANKS)) return `src/${there} has no rank in test/layering.test.ts`;
  // The public API re-exports the library face of the commands (spec loading, worker threads), nothing else of cli.
  if (there === 'cli') return here === 'index' && to === 'src/cli/library.ts' ? null : 'nothing outside src/cli imports it but src/index.ts, from src/cli/library.ts';
  if (RANKS[there]! >= RANKS[here]!) return `src/${here} (rank ${RANKS[here]}) imports only lower ranks, not src/${there} (rank ${RANKS[there]})`;
  return null;
}

/** Import cycles between files (every import counted, erased ones too), each as "a -> b -> a". */
export function cycles(files: ReadonlyMap<string, string>): string[] {
  const edges = new Map<string, string[]>();
  for (const [from, text] of files) {
    const to = refsOf(text).map((r) => target(from, r.spec)).flatMap((t) => ('path' in t && files.has(t.path) ? [t.path] : []));
    edges.set(from, [...new Set(to)]);
  }
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of edges.get(f) ?? []) {
      if (state.get(g) === 'open') found.push([...stack.slice(stack.indexOf(g)), g].join(' -> '));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...files.keys()].sort()) if (!state.has(f)) visit(f);
  return found;
}

/** The rules, as "file: 'import' -- why" for each import that breaks one; erased imports are marked "(type-only)". */
export function violations(files: ReadonlyMap<string, string>, exists: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const [from, text] of files) {
    const here = layerOf(from);
    for (const { spec, typeOnly } of refsOf(text)) {
      const bad = (why: string) => out.push(`${from}: '${spec}' -- ${why}${typeOnly ? ' (type-only)' : ''}`);
      const to = target(from, spec);
      if (spec === '<computed>') {
        if (here !== 'cli') bad('only src/cli (the spec loader) may import() a computed path');
      }
      else if ('pkg' in to) {
        if ((here === 'spec' || here === 'consistency') && to.pkg !== 'immutable') bad(`src/${here} imports only 'immutable'`);
      } else {
        if (!exists(to.path)) bad(`resolves to ${to.path}, which does not exist`);
        const why = rule(here, to.path);
        if (why) bad(why);
      }
    }
  }
  return out;
}

let scanned: string[] | undefined;
let sources: Map<string, string> | undefined;
function readSrc(): Map<string, string> {
  // src/cli/starter/ holds the files `synod init` writes into a user's folder: a user's code, not synod's.
  const ours = tsFiles('src').filter((p) => !p.startsWith('src/cli/starter/'));
  return (sources ??= new Map(ours.map((p) => [p, readFileSync(join(root, p), 'utf8')])));
}
function scanSrc(): string[] {
  if (scanned) return scanned;
  const files = readSrc();
  const paths = [...files.keys()];
  // Guard against a vacuous pass: the scan must see the layers and their imports.
  for (const layer of ['spec', 'state', 'store', 'check', 'index']) {
    expect(paths.some((p) => layerOf(p) === layer), `no files found for ${layer}`).toBe(true);
  }
  const relative = [...files.values()].flatMap(refsOf).filter((r) => r.spec.startsWith('.'));
  expect(relative.length).toBeGreaterThan(20);
  return (scanned = violations(files, (p) => existsSync(join(root, p))));
}

const report = (found: string[]) => `imports against DESIGN.md's layering:\n${found.join('\n')}`;

describe('layering', () => {
  it('src/ imports that survive to run time flow one way', () => {
    const found = scanSrc().filter((v) => !v.endsWith('(type-only)'));
    expect(found, report(found)).toEqual([]);
  });

  // The result types live in src/report/model.ts, so report/ needs nothing from check/.
  it('type-only imports flow one way too', () => {
    const found = scanSrc();
    expect(found, report(found)).toEqual([]);
  });

  it('every folder of src/ is ranked', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => !(f in RANKS))).toEqual([]);
    expect(folders.length).toBeGreaterThanOrEqual(9);
  });

  it('no import cycles between files of src/', () => {
    expect(cycles(readSrc())).toEqual([]);
  });

  it('the cycle finder finds a cycle through erased imports and none in a chain', () => {
    const files = new Map<string, string>([
      ['src/check/a.ts', "import { b } from './b.js';"],
      ['src/check/b.ts', "import type { C } from './c.js';"],
      ['src/check/c.ts', "export { a } from './a.js';"],
      ['src/check/d.ts', "import { a } from './a.js';"],
    ]);
    expect(cycles(files)).toEqual(['src/check/a.ts -> src/check/b.ts -> src/check/c.ts -> src/check/a.ts']);
    files.set('src/check/c.ts', '');
    expect(cycles(files)).toEqual([]);
  });

  it('the checker catches each kind of violation', () => {
    const fake = new Map<string, string>([
      ['src/spec/types.ts', "import { List } from 'immutable';\nimport type { X } from './define.js';"],
      ['src/spec/define.ts', "import { Writer } from '../state/codec.js';\nimport fs from 'node:fs';"],
      ['src/state/codec.ts', "import type { T } from '../spec/types.js';\nexport { explore } from '../check/bfs.js';"],
      ['src/store/frontier.ts', "const f = await import('../report/format.js');\nlet g: import('../check/bfs.js').Options;"],
      ['src/report/format.ts', "import '../check/check.js';\nimport { main } from '../cli/main.js';\nimport { type R, type S } from '../check/check.js';"],
      ['src/check/bfs.ts', "import { Frontier } from '../store/frontier.js';\nimport { opts, type O } from '../cli/options.js';"],
      ['src/check/check.ts', "export type { Trace } from './replay.js';\nconst m = await import(name);"],
      ['src/check/replay.ts', ''],
      ['src/consistency/history.ts', "import { t } from '../spec/types.js';\nimport { check } from '../check/check.js';\nimport fs from 'node:fs';"],
      ['src/cli/main.ts', "import { check } from '../check/check.js';\nimport { opts } from './options.js';"],
      ['src/mesh/redis.ts', "import { check } from '../check/check.js';"],
      ['src/cli/options.ts', "import fixture from '../../specs/die-hard.js';\nconst spec = await import(url);"],
      ['src/index.ts', "export * from './spec/types.js';\nexport { main } from './cli/main.js';\nexport * from './spec/gone.js';"],
    ]);
    const found = violations(fake, (p) => fake.has(p) || p === 'specs/die-hard.ts');
    expect(found).toEqual([
      "src/spec/define.ts: '../state/codec.js' -- src/spec (rank 0) imports only lower ranks, not src/state (rank 1)",
      "src/spec/define.ts: 'node:fs' -- src/spec imports only 'immutable'",
      "src/state/codec.ts: '../check/bfs.js' -- src/state (rank 1) imports only lower ranks, not src/check (rank 3)",
      "src/store/frontier.ts: '../report/format.js' -- src/store (rank 1) imports only lower ranks, not src/report (rank 1)",
      "src/store/frontier.ts: '../check/bfs.js' -- src/store (rank 1) imports only lower ranks, not src/check (rank 3) (type-only)",
      "src/report/format.ts: '../check/check.js' -- src/report (rank 1) imports only lower ranks, not src/check (rank 3)",
      "src/report/format.ts: '../cli/main.js' -- nothing outside src/cli imports it but src/index.ts, from src/cli/library.ts",
      "src/report/format.ts: '../check/check.js' -- src/report (rank 1) imports only lower ranks, not src/check (rank 3) (type-only)",
      "src/check/bfs.ts: '../cli/options.js' -- nothing outside src/cli imports it but src/index.ts, from src/cli/library.ts",
      "src/check/check.ts: '<computed>' -- only src/cli (the spec loader) may import() a computed path",
      "src/consistency/history.ts: '../check/check.js' -- src/consistency (rank 1) imports only lower ranks, not src/check (rank 3)",
      "src/consistency/history.ts: 'node:fs' -- src/consistency imports only 'immutable'",
      "src/mesh/redis.ts: '../check/check.js' -- src/mesh has no rank in test/layering.test.ts",
      "src/cli/options.ts: '../../specs/die-hard.js' -- src imports nothing outside src",
      "src/index.ts: './cli/main.js' -- nothing outside src/cli imports it but src/index.ts, from src/cli/library.ts",
      "src/index.ts: './spec/gone.js' -- resolves to src/spec/gone.ts, which does not exist",
    ]);
  });
});

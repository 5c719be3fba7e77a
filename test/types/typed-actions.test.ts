// Typed actions, checked by the TypeScript compiler itself: the fixture must type-check as it
// is (its expectTypeOf lines hold: a param from `over: [T.Node]` is the node-id type, a choices
// param its literal union, a handler's message its kind), and each line marked @ts-expect-error
// must really be an error: with the markers removed, exactly those lines fail.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./typed-actions.fixture.ts', import.meta.url));
const MARK = /^\s*\/\/ @ts-expect-error\b.*$/;

function compilerOptions(): ts.CompilerOptions {
  const file = ts.readConfigFile(`${root}/tsconfig.json`, (p) => ts.sys.readFile(p));
  return ts.parseJsonConfigFileContent(file.config, ts.sys, root).options;
}

/** Diagnostics of the fixture (given its text), as "line: message" with 1-based lines. */
function diagnostics(text: string, old?: ts.Program): { lines: string[]; program: ts.Program } {
  const options = compilerOptions();
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, onError, create) =>
    name === fixture ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, onError, create);
  const program = ts.createProgram({ rootNames: [fixture], options, host, oldProgram: old });
  const source = program.getSourceFile(fixture)!;
  const lines = ts.getPreEmitDiagnostics(program, source).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    return `${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
  return { lines, program };
}

describe('typed actions', () => {
  const text = readFileSync(fixture, 'utf8');
  const lines = text.split('\n');
  const marked = lines.flatMap((l, i) => (MARK.test(l) ? [i + 2] : [])); // the line after each marker, 1-based

  let first: ts.Program | undefined;

  it('the fixture type-checks, its type assertions included', () => {
    expect(marked.length).toBeGreaterThanOrEqual(5);
    const { lines: found, program } = diagnostics(text);
    first = program;
    expect(found).toEqual([]);
  }, 120_000);

  it('every line marked @ts-expect-error is an error, and nothing else is', () => {
    // Blank the markers (keeping line numbers), so that what they hid is reported.
    const bare = lines.map((l) => (MARK.test(l) ? '' : l)).join('\n');
    const found = diagnostics(bare, first).lines;
    const errorLines = [...new Set(found.map((d) => Number(d.split(':')[0])))].sort((a, b) => a - b);
    expect(errorLines, found.join('\n')).toEqual(marked);
    // The misuse named in the issue: a Node id where a number is wanted.
    expect(found.some((d) => /Type 'string' is not assignable to type 'number'/.test(d))).toBe(true);
  }, 120_000);
});

// `synod results <dir> --out <dir>`: checks every spec and variant in a folder with default
// params and writes a summary per run, traces of violations, and a README table.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { check } from '../check/check.js';
import type { CheckResult } from '../report/model.js';
import { compileSpec } from '../spec/compile.js';
import { summaryJSON, traceITF } from '../report/summary.js';
import { formatTrace } from '../report/text.js';
import { loadSpec } from './load.js';
import { writableFolder, writeAtomic } from './io.js';
import { codes, SpecError } from '../spec/errors.js';
import { resultsInThreads, type SpecResults } from './results-threads.js';

interface ResultsArgs {
  dir: string;
  out: string;
  check?: boolean;
}

/** Every file `results` writes for one spec module, keyed by file name. */
export async function resultFiles(specFile: string): Promise<SpecResults> {
  const spec = await loadSpec(specFile);
  const files = new Map<string, string>();
  const rows: string[] = [];
  for (const variant of [null, ...Object.keys(spec.variants ?? {})]) {
    const compiled = compileSpec(spec, { variant });
    const result = await check(compiled);
    const stem = variant ? `${spec.name}.${variant}` : spec.name;
    files.set(`${stem}.json`, `${JSON.stringify(summaryJSON(result, { timings: false }), null, 2)}\n`);
    const first = result.violations.find((v) => v.trace);
    if (first?.trace) {
      const shape = first.trace.loop === undefined ? `shortest trace ${first.trace.steps.length} states`
        : `lasso of ${first.trace.steps.length} states, the cycle starts at state ${first.trace.loop + 1}`;
      const header = `${stem}: ${first.kind} ${first.property}, ${shape}\n`;
      files.set(`${stem}.trace.txt`, `${header}${formatTrace(first.trace).join('\n')}\nreplay path: ${first.trace.path}\n${first.explanation ? `\n${first.explanation}\n` : ''}`);
      const itf = traceITF(first.trace, compiled.stateType, { spec: spec.name, variant, params: compiled.params, property: first.property });
      files.set(`${stem}.itf.json`, `${JSON.stringify(itf, null, 2)}\n`);
    }
    rows.push(row(result));
  }
  return { files, rows };
}

function row(r: CheckResult): string {
  const v = r.violations[0];
  return `| ${r.spec} | ${r.variant ?? '-'} | ${r.verdict} | ${r.distinctStates} | ${r.totalStates} | ${r.stateDepth} | ${v ? `${v.property} (${v.kind})` : '-'} | ${v?.trace ? v.trace.steps.length : '-'} |`;
}

function table(rows: string[]): string {
  const lines = [
    '# Results',
    '',
    'Every spec and variant in `specs/`, checked with its default params by `npm run results`',
    '(`synod results specs --out results`). A test fails when these files no longer match what the engine finds.',
    '',
    '| spec | variant | verdict | distinct | generated | depth | violated | trace length |',
    '|---|---|---|---:|---:|---:|---|---:|',
  ];
  return `${[...lines, ...rows].join('\n')}\n`;
}

/** The spec modules in `dir`; a folder that is missing (or a file) is SYN201, not a stack trace. */
function specFilesIn(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new SpecError(codes.specNotFound, existsSync(dir) ? `${dir} is a file, not a folder of specs` : `spec folder not found: ${dir}`,
      'give a folder of spec modules, e.g. synod results specs --out results');
  }
  return readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
}

async function allResultFiles(dir: string, specFiles: string[]): Promise<Map<string, string>> {
  const paths = specFiles.map((f) => join(dir, f));
  // Side by side on threads, one per core; what a thread did not do (or failed at) is done here,
  // in order, so an error is reported as a run on this thread reports it.
  const threaded = await resultsInThreads(paths, availableParallelism());
  const all = new Map<string, string>();
  const rows: string[] = [];
  for (const [i, path] of paths.entries()) {
    const { files, rows: r } = threaded[i] ?? (await resultFiles(path));
    for (const [k, v] of files) all.set(k, v);
    rows.push(...r);
  }
  all.set('README.md', table(rows));
  return all;
}

/**
 * Files in `out` that belong to a spec of this run (its summary, trace or ITF file, for any
 * variant) but that the run no longer writes: a variant renamed, or a violation fixed.
 */
function leftovers(files: Map<string, string>, out: string): string[] {
  const specs = new Set([...files.keys()].filter((k) => k !== 'README.md').map((k) => k.split('.')[0]!));
  let present: string[];
  try {
    present = readdirSync(out);
  } catch {
    return [];
  }
  return present.filter((f) => {
    const m = /^([A-Za-z0-9_-]+)(\.[A-Za-z0-9_-]+)?\.(json|itf\.json|trace\.txt)$/.exec(f);
    return m !== null && specs.has(m[1]!) && !files.has(f);
  });
}

async function run(args: ArgumentsCamelCase<ResultsArgs>): Promise<number> {
  const specFiles = specFilesIn(args.dir);
  if (!args.check) writableFolder('--out', args.out); // before checking every spec, not after
  const files = await allResultFiles(args.dir, specFiles);
  if (args.check) {
    const stale = [...files].filter(([name, text]) => {
      try {
        return readFileSync(join(args.out, name), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    const gone = leftovers(files, args.out);
    for (const [name] of stale) process.stdout.write(`out of date: ${join(args.out, name)}\n`);
    for (const name of gone) process.stdout.write(`no longer produced: ${join(args.out, name)}\n`);
    const bad = stale.length + gone.length;
    // The command as it works wherever this ran (a user's project has no `npm run results`).
    process.stdout.write(bad ? `regenerate them with: synod results ${args.dir} --out ${args.out}\n` : `${files.size} result files are up to date\n`);
    return bad ? 1 : 0;
  }
  for (const [name, text] of files) writeAtomic(join(args.out, name), text, '--out');
  for (const name of leftovers(files, args.out)) rmSync(join(args.out, name));
  process.stdout.write(`wrote ${files.size} files to ${args.out}\n`);
  return 0;
}

export const resultsCommand = (setExit: (code: number) => void): CommandModule<object, ResultsArgs> => ({
  command: 'results <dir>',
  describe: 'check every spec and variant in a folder and write summaries and traces',
  builder: ((y: Argv) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'folder of spec modules' })
      .option('out', { type: 'string', default: 'results', describe: 'folder to write into' })
      .requiresArg('out')
      .option('check', { type: 'boolean', describe: 'compare with the files in --out instead of writing; exit 1 if any differs' })) as never,
  handler: async (args) => setExit(await run(args)),
});

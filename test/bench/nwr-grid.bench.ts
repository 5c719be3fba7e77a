// The NWR grid: specs/nwr-quorum.ts checked for every (W, R) with 1 <= W, R <= N, for N = 3 and
// N = 5, compared cell by cell with the rule W + R > N. Writes results/nwr-grid.md.
// Run: npx vitest run --config test/bench/vitest.config.ts nwr-grid
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { expect, it } from 'vitest';
import { check, compileSpec, type Trace } from 'synod';
import nwr from '../../specs/nwr-quorum.js';

interface Cell { w: number; r: number; holds: boolean; length: number | null; agrees: boolean; distinct: number; disjoint: boolean }

/**
 * Whether a stale-read trace is the textbook one: StartWrite, W Stores, CompleteWrite, StartRead,
 * then R Replies, all from replicas that did not store the write (the quorums do not meet).
 */
function disjointQuorums(trace: Trace | null, w: number, r: number): boolean {
  if (!trace) return false;
  const steps = trace.steps.slice(1);
  const names = steps.map((s) => s.action).join(' ');
  const expected = ['StartWrite', ...Array(w).fill('Store'), 'CompleteWrite', 'StartRead', ...Array(r).fill('Reply')].join(' ');
  const stored = new Set(steps.filter((s) => s.action === 'Store').map((s) => s.args[0]));
  return names === expected && steps.filter((s) => s.action === 'Reply').every((s) => !stored.has(s.args[0]));
}

async function grid(n: number): Promise<{ cells: Cell[]; seconds: number }> {
  const start = performance.now();
  const cells: Cell[] = [];
  for (let w = 1; w <= n; w++) {
    for (let r = 1; r <= n; r++) {
      const res = await check(compileSpec(nwr, { params: { n, w, r } }));
      const stale = res.violations.find((v) => v.property === 'noStaleRead');
      const holds = res.verdict === 'ok';
      // A cell agrees when it holds exactly where W + R > N, and otherwise fails on noStaleRead alone.
      const clean = holds || (res.verdict === 'violation' && res.violations.length === 1 && stale !== undefined);
      cells.push({ w, r, holds, length: stale?.trace?.steps.length ?? null, agrees: clean && holds === w + r > n, distinct: res.distinctStates, disjoint: disjointQuorums(stale?.trace ?? null, w, r) });
    }
  }
  return { cells, seconds: (performance.now() - start) / 1000 };
}

function table(n: number, cells: Cell[]): string[] {
  const rs = Array.from({ length: n }, (_, i) => i + 1);
  const cell = (c: Cell) => (c.holds ? 'holds' : c.length !== null ? `stale read in ${c.length} states` : 'ERROR');
  return [
    `| W \\ R | ${rs.map((r) => `R=${r}`).join(' | ')} |`,
    `|---|${rs.map(() => '---').join('|')}|`,
    ...rs.map((w) => `| W=${w} | ${rs.map((r) => cell(cells.find((c) => c.w === w && c.r === r)!)).join(' | ')} |`),
  ];
}

it('nwr-grid: noStaleRead holds exactly when W + R > N', async () => {
  const sections: string[] = [];
  const disagreements: string[] = [];
  for (const n of [3, 5]) {
    const { cells, seconds } = await grid(n);
    const bad = cells.filter((c) => !c.agrees);
    for (const c of bad) disagreements.push(`N=${n} W=${c.w} R=${c.r}`);
    const stale = cells.filter((c) => !c.holds && c.length !== null);
    const lengthRule = stale.every((c) => c.length === c.w + c.r + 4 && c.disjoint);
    sections.push(
      `## N = ${n}`,
      '',
      ...table(n, cells),
      '',
      bad.length === 0
        ? `This table matches W + R > N exactly: all ${cells.length} cells compared, ${cells.length - stale.length} hold (W + R > N), ${stale.length} give a stale read (W + R <= N).`
        : `This table does NOT match W + R > N: ${bad.map((c) => `W=${c.w} R=${c.r}`).join(', ')} disagree.`,
      lengthRule
        ? 'Every shortest stale read has W + R + 4 states: the initial state, StartWrite, W Stores, CompleteWrite, StartRead and R Replies, all from replicas outside the write quorum.'
        : `Not every shortest stale read is StartWrite, W Stores, CompleteWrite, StartRead and R Replies from replicas outside the write quorum: ${stale.filter((c) => c.length !== c.w + c.r + 4 || !c.disjoint).map((c) => `W=${c.w} R=${c.r}: ${c.length} states`).join(', ')}.`,
      `${cells.length} checks, ${cells.reduce((a, c) => a + c.distinct, 0).toLocaleString('en-US')} distinct states (orbits) in all, ${seconds.toFixed(2)} s.`,
      '',
    );
  }
  const text = [
    '# NWR quorums: which (W, R) give stale reads',
    '',
    'Measured by `npm run nwr-grid` (test/bench/nwr-grid.bench.ts):',
    'specs/nwr-quorum.ts with its defaults otherwise (writes=2, reads=1, symmetry reduction on), one',
    'check per cell. A cell says "holds" when every property holds (noStaleRead, and the read reaching',
    'the latest write), and "stale read in K states" when noStaleRead fails, with the length of its',
    'shortest trace (breadth-first, so no shorter run reads stale data). Rows are W, columns R.',
    `On this machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
    '',
    ...sections,
  ].join('\n');
  writeFileSync('results/nwr-grid.md', text);
  console.log(text);
  expect(disagreements).toEqual([]);
});

// Engine throughput against TLC: each model checked by the real command in a fresh process,
// with 1 and 2 worker threads, several runs, the median kept. Where a model names its TLA+
// original and TLC is available (test/bench/tlc.ts: SYNOD_TLA2TOOLS, SYNOD_TLA_EXAMPLES), TLC
// checks it in the same run, once per worker count, and its counts must equal synod's. Counts
// are asserted; times are only recorded. Rows run replace their old rows in results/bench.json
// and results/bench.md (written after every model); rows not run are kept as they were.
// Run: npm run bench -- engine    (BENCH_RUNS=1 for a quick pass; BENCH_ONLY=paxos-commit,rm=8
// to run only models whose label contains one of the words; BENCH_WORKERS=1,2)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { expect, it } from 'vitest';
import { runTlc, timed, tlcUnavailable, type TlcModel, type TlcRun } from './tlc.js';

interface Model {
  label: string;
  args: string[];
  /** distinct / generated / depth; from TLC where `tlc` is given, else from synod's own first run. */
  expect?: [number, number, number];
  /** TLC 1.8.0's figures on this machine as quoted in the performance issue (not measured by us). */
  tlc?: { oneWorkerS: number; twoWorkersS?: number; note?: string };
  /** The TLA+ original, for TLC to check in the same run. */
  tla?: TlcModel;
  runs?: number;
}

const MODELS: Model[] = [
  { label: 'two-phase-commit rm=6', args: ['specs/two-phase-commit.ts', '--param', 'rm=6', '--no-symmetry', '--no-liveness'], expect: [50_816, 402_306, 20], tlc: { oneWorkerS: 4.0, note: 'one run, ~1 s of it JVM start' } },
  { label: 'two-phase-commit rm=7', args: ['specs/two-phase-commit.ts', '--param', 'rm=7', '--no-symmetry', '--no-liveness'], expect: [296_448, 2_744_706, 23] },
  { label: 'two-phase-commit rm=8', args: ['specs/two-phase-commit.ts', '--param', 'rm=8', '--no-symmetry', '--no-liveness'], tla: { module: 'transaction_commit/TwoPhase', cfg: 'TwoPhase_rm8.cfg', ours: true } },
  { label: 'two-phase-commit rm=9', args: ['specs/two-phase-commit.ts', '--param', 'rm=9', '--no-symmetry', '--no-liveness'], runs: 1 },
  { label: 'paxos-commit standard, consistent only', args: ['specs/paxos-commit.ts', '--no-symmetry', '--param', 'rm=2', '--param', 'acceptors=3', '--param', 'ballots=2', '--property', 'consistent'], expect: [1_321_761, 16_959_159, 28], tla: { module: 'transaction_commit/PaxosCommit', cfg: 'PaxosCommit.cfg' } },
  { label: 'paxos-lamport 3/2/0..2, Inv only', args: ['specs/paxos-lamport.ts', '--no-symmetry', '--param', 'maxBallot=2', '--property', 'inv'], expect: [185_369, 1_361_380, 25], tlc: { oneWorkerS: 30, note: 'one run' } },
  { label: 'raft-election nodes=5 (symmetry)', args: ['specs/raft-election.ts', '--param', 'nodes=5', '--no-liveness'], expect: [126_784, 1_077_415, 21] },
  { label: 'paxos maxBallot=3 (symmetry)', args: ['specs/paxos.ts', '--param', 'maxBallot=3', '--no-liveness'], expect: [125_496, 460_356, 33] },
  { label: 'fast-paxos FastPaxos.cfg (symmetry)', args: ['specs/fast-paxos.ts', '--no-liveness'], expect: [25_617, 320_053, 22] },
  // Liveness (allDecide under its fairness) on the symmetry-reduced graph against the unreduced one (issue 16).
  { label: 'two-phase-commit rm=7 with liveness, reduced graph (symmetry)', args: ['specs/two-phase-commit.ts', '--param', 'rm=7'], expect: [920, 8_410, 23], runs: 3 },
  { label: 'two-phase-commit rm=7 with liveness, unreduced (--no-symmetry)', args: ['specs/two-phase-commit.ts', '--param', 'rm=7', '--no-symmetry'], expect: [296_448, 2_744_706, 23], runs: 1 },
  { label: 'two-phase-commit rm=9 with liveness, reduced graph (symmetry)', args: ['specs/two-phase-commit.ts', '--param', 'rm=9'], expect: [2_232, 26_316, 29], runs: 1 },
  // Ports of tlaplus/Examples models that no bundled spec was tuned for (issue 21).
  { label: 'ewd840 N=5, safety', args: ['specs/ewd840.ts', '--param', 'n=5', '--no-liveness'], expect: [7_742, 114_211, 15], tla: { module: 'ewd840/EWD840', cfg: 'EWD840_N5.cfg', ours: true } },
  { label: 'bakery MCBakery.cfg (ISpec)', args: ['specs/bakery.ts', '--param', 'init=inv'], expect: [655_200, 3_403_584, 1], tla: { module: 'Bakery-Boulangerie/MCBakery', cfg: 'MCBakery.cfg' } },
  { label: 'multipaxos-smr MultiPaxos_MC_small.cfg (symmetry)', args: ['specs/multipaxos-smr.ts', '--param', 'reads=1'], expect: [343_796, 736_012, 28], tla: { module: 'MultiPaxos-SMR/MultiPaxos_MC', cfg: 'MultiPaxos_MC_small.cfg' } },
];

/** Distinct states TwoPhase has with n RMs (Stateright's and SPIN's figures agree with TLC's). */
const TWO_PHASE_DISTINCT: Record<string, number> = { 'rm=8': 1_745_408, 'rm=9': 10_340_352 };

interface Run { wallS: number; cpuS: number | null; distinct: number; generated: number; depth: number; peakRss: number; setAndGraphBytes: number }

async function runOnce(args: string[], workers: number): Promise<Run> {
  const r = await timed(process.execPath, ['bin/synod.js', 'check', ...args, '--workers', String(workers), '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`synod ${args.join(' ')} exited with ${r.code}`);
  const s = JSON.parse(r.stdout);
  return {
    wallS: r.wallS, cpuS: r.cpuS, distinct: s.distinctStates, generated: s.totalStates, depth: s.stateDepth,
    peakRss: s.memory.peakRssBytes, setAndGraphBytes: s.memory.fingerprintBytes + s.memory.graphBytes,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Row = Record<string, any>;
const sameRow = (a: Row, b: Row) => a.model === b.model && a.workers === b.workers;

/** The rows of results/bench.json, so that a run of some models keeps the others' rows. */
function previousRows(): Row[] {
  if (!existsSync('results/bench.json')) return [];
  return JSON.parse(readFileSync('results/bench.json', 'utf8')).rows ?? [];
}

const ratio = (tlc: number | null | undefined, synod: number | null | undefined) => (tlc && synod ? `${(tlc / synod).toFixed(2)}x` : '');

function tableLine(r: Row): string {
  // TLC measured in the same run where the row has one; else the quoted figure, marked.
  const quoted = r.workers === 1 ? r.tlc?.oneWorkerS : r.tlc?.twoWorkersS ?? r.tlc?.oneWorkerS;
  const tlcWall = r.tlcRun ? fmt(r.tlcRun.wallS, 1) : quoted ? `${quoted} (quoted)` : r.tlcSkipped ? 'not run' : '';
  return `| ${r.model} | ${r.workers} | ${r.runs} | ${fmt(r.distinct)} | ${fmt(r.generated)} | ${r.depth} | ${fmt(r.wallS, 1)} | ${r.cpuS ? fmt(r.cpuS, 1) : ''} | ${fmt(r.distinctPerS)} | ${fmt(r.peakRssMB)} | ${fmt(r.bytesPerState, 1)} | ${tlcWall} | ${r.tlcRun?.cpuS ? fmt(r.tlcRun.cpuS, 1) : ''} | ${ratio(r.tlcRun?.wallS ?? quoted, r.wallS)} | ${ratio(r.tlcRun?.cpuS, r.cpuS)} |`;
}

function write(rows: Row[], notes: string[]): void {
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  writeFileSync('results/bench.json', `${JSON.stringify({ machine, date: new Date().toISOString().slice(0, 10), rows }, null, 2)}\n`);
  const lines = [
    '# Engine benchmark',
    '',
    `Measured with \`npm run bench -- engine\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    `(load average at the last write: ${machine.loadAverage.map((l) => l.toFixed(2)).join(', ')}). Each row is a whole \`synod check\``,
    'process (wall time includes start-up and compiling the spec); the median of the runs shown. CPU is user +',
    'system time of the process (its threads included), the fairer figure when the machine is shared. Counts',
    'are asserted by the benchmark: TLC\'s where known. "set + graph" is the bytes per distinct state of',
    'the visited set and the state graph (the frontier excluded). TLC columns: TLC (tla2tools.jar named by',
    'SYNOD_TLA2TOOLS, models from a tlaplus/Examples checkout named by SYNOD_TLA_EXAMPLES) run once in the same',
    'benchmark run, same worker count, its counts asserted equal to synod\'s; "(quoted)" marks an older figure',
    'from the performance issue, not measured with these rows; "not run" means TLC was not available.',
    ...notes.map((n) => `${n}.`),
    '',
    '| model | workers | runs | distinct | generated | depth | wall (s) | CPU (s) | distinct/s | peak RSS (MB) | set + graph (B/state) | TLC wall (s) | TLC CPU (s) | TLC/synod wall | TLC/synod CPU |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(tableLine),
    '',
    'TLC/synod above 1: synod is faster. Rows measured in different runs are not comparable with each other',
    'when the load differed; compare within a row.',
    '',
  ];
  writeFileSync('results/bench.md', lines.join('\n'));
}

it('engine: throughput and memory against TLC', async () => {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const only = process.env.BENCH_ONLY?.split(',');
  const workerCounts = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
  const noTlc = tlcUnavailable();
  const rows: Row[] = previousRows();
  const notes: string[] = [];
  if (noTlc) notes.push(noTlc);
  for (const m of MODELS) {
    if (only && !only.some((w) => m.label.includes(w))) continue;
    for (const workers of workerCounts) {
      const results: Run[] = [];
      for (let i = 0; i < (m.runs ?? runs); i++) results.push(await runOnce(m.args, workers));
      const first = results[0]!;
      for (const r of results) {
        expect([r.distinct, r.generated, r.depth]).toEqual(m.expect ?? [first.distinct, first.generated, first.depth]);
        const known = Object.entries(TWO_PHASE_DISTINCT).find(([k]) => m.label.endsWith(k));
        if (known) expect(r.distinct).toBe(known[1]);
      }
      let tlcRun: TlcRun | null = null;
      if (m.tla && !noTlc) {
        tlcRun = await runTlc(m.tla, workers);
        expect([tlcRun.distinct, tlcRun.generated, tlcRun.depth]).toEqual([first.distinct, first.generated, first.depth]);
      }
      const wall = median(results.map((r) => r.wallS));
      const cpu = results.every((r) => r.cpuS !== null) ? median(results.map((r) => r.cpuS!)) : null;
      const row: Row = {
        model: m.label, command: `synod check ${m.args.join(' ')} --workers ${workers}`, workers, runs: results.length,
        distinct: first.distinct, generated: first.generated, depth: first.depth,
        wallS: wall, cpuS: cpu, distinctPerS: first.distinct / wall, generatedPerS: first.generated / wall,
        peakRssMB: median(results.map((r) => r.peakRss)) / 2 ** 20,
        bytesPerState: first.setAndGraphBytes / first.distinct,
        tlc: m.tlc ?? null,
        tlcRun: tlcRun && { module: m.tla!.module, cfg: m.tla!.cfg, workers, wallS: tlcRun.wallS, cpuS: tlcRun.cpuS },
        tlcSkipped: m.tla !== undefined && noTlc !== null,
      };
      const at = rows.findIndex((r) => sameRow(r, row));
      if (at >= 0) rows[at] = row;
      else rows.push(row);
      write(rows, notes);
    }
  }
});

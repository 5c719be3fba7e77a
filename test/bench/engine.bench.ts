// Engine throughput against TLC: each model checked by the real command in a fresh process,
// with 1 and 2 worker threads, several runs, the median kept. Counts are asserted (they must
// equal TLC's where TLC's are known); times are only recorded. Writes results/bench.md and
// results/bench.json.
// Run: npm run bench -- engine    (BENCH_RUNS=1 for a quick pass; BENCH_ONLY=paxos-commit,rm=8
// to run only models whose label contains one of the words; BENCH_WORKERS=1,2)
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { expect, it } from 'vitest';

interface Model {
  label: string;
  args: string[];
  /** distinct / generated / depth; from TLC where `tlc` is given, else from synod's own first run. */
  expect?: [number, number, number];
  /** TLC 1.8.0's figures on this machine as quoted in the performance issue (not measured by us). */
  tlc?: { oneWorkerS: number; twoWorkersS?: number; note?: string };
  runs?: number;
}

const MODELS: Model[] = [
  { label: 'two-phase-commit rm=6', args: ['specs/two-phase-commit.ts', '--param', 'rm=6', '--no-symmetry', '--no-liveness'], expect: [50_816, 402_306, 20], tlc: { oneWorkerS: 4.0, note: 'one run, ~1 s of it JVM start' } },
  { label: 'two-phase-commit rm=7', args: ['specs/two-phase-commit.ts', '--param', 'rm=7', '--no-symmetry', '--no-liveness'], expect: [296_448, 2_744_706, 23] },
  { label: 'two-phase-commit rm=8', args: ['specs/two-phase-commit.ts', '--param', 'rm=8', '--no-symmetry', '--no-liveness'] },
  { label: 'two-phase-commit rm=9', args: ['specs/two-phase-commit.ts', '--param', 'rm=9', '--no-symmetry', '--no-liveness'], runs: 1 },
  { label: 'paxos-commit standard, consistent only', args: ['specs/paxos-commit.ts', '--no-symmetry', '--param', 'rm=2', '--param', 'acceptors=3', '--param', 'ballots=2', '--property', 'consistent'], expect: [1_321_761, 16_959_159, 28], tlc: { oneWorkerS: 143, twoWorkersS: 82 } },
  { label: 'paxos-lamport 3/2/0..2, Inv only', args: ['specs/paxos-lamport.ts', '--no-symmetry', '--param', 'maxBallot=2', '--property', 'inv'], expect: [185_369, 1_361_380, 25], tlc: { oneWorkerS: 30, note: 'one run' } },
  { label: 'raft-election nodes=5 (symmetry)', args: ['specs/raft-election.ts', '--param', 'nodes=5', '--no-liveness'], expect: [126_784, 1_077_415, 21] },
  { label: 'paxos maxBallot=3 (symmetry)', args: ['specs/paxos.ts', '--param', 'maxBallot=3', '--no-liveness'], expect: [125_496, 460_356, 33] },
  { label: 'fast-paxos FastPaxos.cfg (symmetry)', args: ['specs/fast-paxos.ts', '--no-liveness'], expect: [25_617, 320_053, 22] },
];

/** Distinct states TwoPhase has with n RMs (Stateright's and SPIN's figures agree with TLC's). */
const TWO_PHASE_DISTINCT: Record<string, number> = { 'rm=8': 1_745_408, 'rm=9': 10_340_352 };

interface Run { wallS: number; distinct: number; generated: number; depth: number; peakRss: number; setAndGraphBytes: number }

function runOnce(args: string[], workers: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    execFile(process.execPath, ['bin/synod.js', 'check', ...args, '--workers', String(workers), '--json'], { maxBuffer: 1 << 26 }, (err, stdout) => {
      const wallS = (performance.now() - start) / 1000;
      if (err && err.code !== 1) return reject(new Error(`synod ${args.join(' ')} failed: ${err.message}`));
      const s = JSON.parse(stdout);
      resolve({
        wallS, distinct: s.distinctStates, generated: s.totalStates, depth: s.stateDepth,
        peakRss: s.memory.peakRssBytes, setAndGraphBytes: s.memory.fingerprintBytes + s.memory.graphBytes,
      });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

it('engine: throughput and memory against TLC', async () => {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const only = process.env.BENCH_ONLY?.split(',');
  const workerCounts = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
  const rows: Array<Record<string, unknown>> = [];
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
      const wall = median(results.map((r) => r.wallS));
      rows.push({
        model: m.label, command: `synod check ${m.args.join(' ')} --workers ${workers}`, workers, runs: results.length,
        distinct: first.distinct, generated: first.generated, depth: first.depth,
        wallS: wall, distinctPerS: first.distinct / wall, generatedPerS: first.generated / wall,
        peakRssMB: median(results.map((r) => r.peakRss)) / 2 ** 20,
        bytesPerState: first.setAndGraphBytes / first.distinct,
        tlc: m.tlc ?? null,
      });
    }
  }
  const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg() };
  writeFileSync('results/bench.json', `${JSON.stringify({ machine, date: new Date().toISOString().slice(0, 10), rows }, null, 2)}\n`);
  const lines = [
    '# Engine benchmark',
    '',
    `Measured with \`npm run bench -- engine\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    `(load average at the end: ${machine.loadAverage.map((l) => l.toFixed(2)).join(', ')}). Each row is a whole \`synod check\``,
    'process (wall time includes start-up and compiling the spec); the median of the runs shown. Counts',
    'are asserted by the benchmark: TLC\'s where known. "set + graph" is the bytes per distinct state of',
    'the visited set and the state graph (the frontier excluded). TLC columns are quoted from the',
    'performance issue (TLC 1.8.0 on this kind of machine), not measured by us.',
    '',
    '| model | workers | runs | distinct | generated | depth | wall (s) | distinct/s | generated/s | peak RSS (MB) | set + graph (B/state) | TLC 1 worker (s) | TLC 2 workers (s) | vs TLC |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r: any) => {
      const tlcS = r.workers === 1 ? r.tlc?.oneWorkerS : r.tlc?.twoWorkersS ?? r.tlc?.oneWorkerS;
      const ratio = tlcS ? `${(tlcS / r.wallS).toFixed(2)}x` : '';
      return `| ${r.model} | ${r.workers} | ${r.runs} | ${fmt(r.distinct)} | ${fmt(r.generated)} | ${r.depth} | ${fmt(r.wallS, 1)} | ${fmt(r.distinctPerS)} | ${fmt(r.generatedPerS)} | ${fmt(r.peakRssMB)} | ${fmt(r.bytesPerState, 1)} | ${r.tlc?.oneWorkerS ?? ''} | ${r.tlc?.twoWorkersS ?? ''} | ${ratio} |`;
    }),
    '',
    '"vs TLC" is TLC\'s wall time over ours for the same worker count (above 1: synod is faster);',
    'for 2 workers without a quoted 2-worker TLC time it compares with TLC\'s 1-worker time.',
    '',
  ];
  writeFileSync('results/bench.md', lines.join('\n'));
});

// Simulation speed: random-walk steps per second on TwoPhase with 3 RMs (the model Quint's
// simulator does about 19,000 steps/s on, checking the invariants at each step) and on two
// larger models whose walks rarely revisit a state. Wall-clock and CPU rates, since a shared
// machine slows the first. Writes results/simulate.md. Run: npm run bench -- simulate
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { it } from 'vitest';
import { compileSpec, type CompiledSpec } from 'synod';
import { simulate } from '../../src/check/simulate.js';
import twoPhase from '../../specs/two-phase-commit.js';
import raft from '../../specs/raft-election.js';
import paxosCommit from '../../specs/paxos-commit.js';

const QUINT_STEPS_PER_SECOND = 19_000;

async function rate(spec: CompiledSpec, runs: number): Promise<{ steps: number; distinct: number; wall: number; cpu: number }> {
  await simulate(spec, { seed: 1, runs: Math.ceil(runs / 10) }); // warm up the JIT
  const cpu0 = process.cpuUsage();
  const sim = await simulate(spec, { seed: 1, runs });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { steps: sim.steps, distinct: sim.distinct, wall: sim.steps / (sim.durationMs / 1000), cpu: sim.steps / cpuSeconds };
}

it('simulate: steps per second', async () => {
  const models: Array<[string, CompiledSpec, number]> = [
    ['two-phase-commit rm=3', compileSpec(twoPhase), 10_000],
    ['raft-election nodes=5 maxTerm=4', compileSpec(raft, { params: { nodes: 5, maxTerm: 4 } }), 2_000],
    ['paxos-commit rm=2 acceptors=3 ballots=2', compileSpec(paxosCommit, { params: { rm: 2, acceptors: 3, ballots: 2 } }), 2_000],
  ];
  const rows: string[] = [];
  for (const [name, spec, runs] of models) {
    const r = await rate(spec, runs);
    const n = (x: number) => Math.round(x).toLocaleString('en-US');
    rows.push(`| ${name} | ${n(r.steps)} | ${n(r.distinct)} | ${n(r.wall)} | ${n(r.cpu)} | ${(r.wall / QUINT_STEPS_PER_SECOND).toFixed(1)}x |`);
  }
  const text = [
    '# Simulation speed',
    '',
    'Measured by `npm run bench -- simulate` (test/bench/simulate.bench.ts) on this machine:',
    `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(1)}.`,
    'Seed 1, walks of at most 100 steps, every invariant checked on every state not seen before',
    '(a state seen before passed them already), one thread. Steps per CPU second count the time',
    'this process ran (garbage-collector threads included), so they are steadier on a shared machine.',
    `The last column compares the wall-clock rate with Quint's simulator on TwoPhase, 3 RMs (about ${QUINT_STEPS_PER_SECOND.toLocaleString('en-US')} steps/s).`,
    '',
    '| model | steps | distinct states seen | steps/s (wall) | steps per CPU second | vs Quint (wall) |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n');
  writeFileSync('results/simulate.md', text);
  console.log(text);
});

// src/explore/why.ts: what a violated invariant read, and the least of the state that breaks it.
import { describe, expect, it } from 'vitest';
import { compileSpec } from 'synod';
import paxos from '../../specs/paxos.js';
import raft from '../../specs/raft-election.js';
import { pathOfTrace, readTraceFile } from '../../src/explore/trace-file.js';
import { traceAt } from '../../src/explore/session.js';
import { whyBroken } from '../../src/explore/why.js';
import { formatValue } from '../../src/report/format.js';

const savedTrace = (spec: ReturnType<typeof compileSpec>, file: string) => traceAt(spec, pathOfTrace(spec, readTraceFile(file)));

describe('whyBroken', () => {
  it('finds the two quorums behind two chosen values in Paxos (acceptLowerBallot)', () => {
    const spec = compileSpec(paxos, { variant: 'acceptLowerBallot' });
    const trace = savedTrace(spec, 'results/paxos.acceptLowerBallot.itf.json');
    const chosenUnique = spec.invariants.find((p) => p.name === 'chosenUnique')!;
    const last = trace.steps.at(-1)!.state;
    const why = whyBroken(spec.stateType, chosenUnique.check, last, trace.steps[0]!.state);
    expect(why.read).toEqual(['msgs']);
    const votes = why.parts.map((p) => `${p.field} ${p.item}`);
    expect(votes).toHaveLength(4);
    for (const v of votes) expect(v).toMatch(/^msgs Accepted\(/);
    // Undoing any one of them mends the property: the set is minimal.
    const msgs = (last as any).msgs;
    for (const part of why.parts) {
      const m = [...msgs].find((x: unknown) => part.item === formatValue(x));
      expect(chosenUnique.check((last as any).set('msgs', msgs.delete(m)))).toBe(true);
    }
  });

  it('names the roles and terms of the two leaders of one term (Raft votesTwice)', () => {
    const spec = compileSpec(raft, { variant: 'votesTwice' });
    const trace = savedTrace(spec, 'results/raft-election.votesTwice.itf.json');
    const inv = spec.invariants.find((p) => p.name === 'singleLeaderPerTerm')!;
    const last = trace.steps.at(-1)!.state as any;
    expect(inv.check(last)).toBe(false);
    const why = whyBroken(spec.stateType, inv.check, last, trace.steps[0]!.state);
    expect(why.read).toEqual(['role', 'term']);
    const leaders = ['n1', 'n2', 'n3'].filter((n) => last.role.get(n) === 'leader');
    expect(why.parts).toEqual(leaders.flatMap((n) => [{ field: 'role', key: n }]).concat(leaders.map((n) => ({ field: 'term', key: n }))));
  });
});


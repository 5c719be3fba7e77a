// src/explore: the explorer's view of a state (action instances numbered as replay paths number
// them), saved traces mapped back to replay paths, the message sequence, and the small state
// space behind the neighbour graph and --dot.
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, compileSpec, SpecError } from 'synod';
import raft from '../../specs/raft-election.js';
import dieHard from '../../specs/die-hard.js';
import paxos from '../../specs/paxos.js';
import livelock from '../../specs/paxos-livelock.js';
import { Explorer, traceAt } from '../../src/explore/session.js';
import { instancesAt } from '../../src/explore/instances.js';
import { pathOfTrace, readTraceFile } from '../../src/explore/trace-file.js';
import { messageSequence } from '../../src/explore/sequence.js';
import { stateSpace } from '../../src/check/state-space.js';
import { expand } from '../../src/check/successors.js';
import { formatAction, formatValue } from '../../src/report/format.js';

describe('instancesAt', () => {
  it('numbers enabled instances exactly as expand() numbers successors (raft, 300 states)', () => {
    const spec = compileSpec(raft);
    const space = stateSpace(spec, { maxStates: 300 });
    let compared = 0;
    for (const node of space.nodes) {
      const fromExpand: string[] = [];
      expand(spec, node.state, (_next, a, args) => fromExpand.push(formatAction(a.name, args)));
      const enabled = instancesAt(spec, node.state).filter((x) => x.enabled);
      expect(enabled.map((x) => (x.enabled ? x.ordinal : -1))).toEqual(fromExpand.map((_, i) => i));
      expect(enabled.map((x) => x.label)).toEqual(fromExpand);
      compared += fromExpand.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('says why an instance is disabled', () => {
    const spec = compileSpec(raft);
    const init = traceAt(spec, '0').steps[0]!.state;
    const all = instancesAt(spec, init);
    expect(all.find((x) => x.label === 'BecomeLeader(n1)')).toMatchObject({ enabled: false, reason: 'its guard (when) is false' });
    expect(all.find((x) => x.label === 'ReceiveAppendEntries')).toMatchObject({ enabled: false, reason: expect.stringContaining('parameter domain is empty') });
  });
});

describe('Explorer.view', () => {
  it('renders per-node maps as one table, marks what the last step changed, and tracks properties', () => {
    const ex = new Explorer(raft);
    // Timeout(n1), n2 grants its vote, n1 becomes leader.
    const v = ex.view(null, '0/0/3/3') as any;
    expect(v.trace.map((s: any) => s.label)).toEqual(['Initial predicate', 'Timeout(n1)', 'ReceiveRequestVote(RequestVote(term: 1, from: n1, to: n2))', 'BecomeLeader(n1)']);
    const group = v.state.groups[0];
    expect(group.keyType).toBe('Node');
    expect(group.columns).toEqual(['role', 'term', 'votedFor', 'leader']);
    expect(group.rows[0].cells[0]).toEqual({ kind: 'text', text: 'leader', changed: true });
    expect(group.rows[1].cells[0]).toEqual({ kind: 'text', text: 'follower', changed: false });
    const msgs = v.state.fields.find((f: any) => f.name === 'msgs').cell;
    expect(msgs.items.filter((i: any) => i.mark === 'added').map((i: any) => i.text)).toEqual(['AppendEntries(term: 1, from: n1, to: n2)', 'AppendEntries(term: 1, from: n1, to: n3)']);
    expect(v.properties.find((p: any) => p.name === 'leaderElected')).toMatchObject({ status: 'reached', firstReached: 3 });
    expect(v.properties.find((p: any) => p.name === 'singleLeaderPerTerm')).toMatchObject({ status: 'holds', firstViolated: null });
    expect(v.changes).toEqual(['role[n1]: candidate -> leader', 'msgs: + AppendEntries(term: 1, from: n1, to: n2)', 'msgs: + AppendEntries(term: 1, from: n1, to: n3)']);
  });

  it('shows a violated invariant on a bug variant\'s shortest trace, and marks the step that breaks it', async () => {
    const spec = compileSpec(raft, { variant: 'votesTwice' });
    const r = await check(spec);
    const path = r.violations[0]!.trace!.path;
    const ex = new Explorer(raft);
    const v = ex.view('votesTwice', path) as any;
    expect(v.properties.find((p: any) => p.name === 'singleLeaderPerTerm')).toMatchObject({ status: 'violated', firstViolated: 6 });
    const before = ex.view('votesTwice', path.split('/').slice(0, -1).join('/')) as any;
    const last = Number(path.split('/').at(-1));
    expect(before.actions.find((a: any) => a.ordinal === last).breaks).toEqual(['singleLeaderPerTerm']);
  });

  it('rejects malformed paths, successors that do not exist and unknown variants with SYN1xx errors', () => {
    const ex = new Explorer(raft);
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof SpecError ? e.code : 'not a SpecError';
      }
      return 'no error';
    };
    expect(code(() => ex.view(null, '0/a'))).toBe('SYN104');
    expect(code(() => ex.view(null, '0/7'))).toBe('SYN104');
    expect(code(() => ex.view(null, '5'))).toBe('SYN104');
    expect(code(() => ex.view('nope', '0'))).toBe('SYN103');
  });

  it('lists the states around the current one, with the one before it', () => {
    const v = new Explorer(dieHard).neighbours(null, '0/1') as any;
    expect(v.nodes.find((n: any) => n.id === 0).path).toBe('0/1');
    expect(v.nodes.find((n: any) => n.id === -1).path).toBe('0');
    // From (small 0, big 5): FillSmallJug (0), EmptyBigJug (3) and BigToSmall (5) lead somewhere
    // new; FillBigJug, EmptySmallJug and SmallToBig change nothing (self-loops on this state).
    expect(v.nodes.filter((n: any) => n.depth === 1).map((n: any) => n.path).sort()).toEqual(['0/1/0', '0/1/3', '0/1/5']);
    expect(v.edges.filter((e: any) => e.from === 0 && e.to === 0).map((e: any) => e.label)).toEqual(['FillBigJug', 'EmptySmallJug', 'SmallToBig']);
  });
});

describe('Explorer checks', () => {
  it('stops a running check (verdict incomplete) and runs it again on request', async () => {
    const ex = new Explorer(paxos);
    const done = async () => {
      let job = ex.checkStatus(null)!;
      while (job.status === 'running') {
        await new Promise((r) => setTimeout(r, 20));
        job = ex.checkStatus(null)!;
      }
      return job;
    };
    expect(ex.checkStatus(null)).toBeNull();
    ex.startCheck(null);
    ex.stopCheck(null); // seen at the search's first pause, long before its 2,968 orbits
    expect((await done()).result).toMatchObject({ verdict: 'incomplete', stopReason: 'interrupted' });
    ex.startCheck(null);
    expect((await done()).result).toMatchObject({ verdict: 'ok', distinctStates: 2968 });
    expect(ex.startCheck(null).result).toMatchObject({ verdict: 'ok' }); // a finished check is kept
  });
});

describe('saved traces', () => {
  const file = 'results/raft-election.votesTwice.itf.json';

  it('opens results/*.itf.json at its recorded replay path', () => {
    const saved = readTraceFile(file);
    expect(saved).toMatchObject({ spec: 'raft-election', variant: 'votesTwice', property: 'singleLeaderPerTerm' });
    expect(pathOfTrace(compileSpec(raft, { variant: 'votesTwice' }), saved)).toBe(saved.replayPath);
  });

  it('finds the path by matching states when the file has none, and refuses a trace of another spec', () => {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const recorded = doc['#meta'].replayPath;
    delete doc['#meta'].replayPath;
    const dir = mkdtempSync(join(tmpdir(), 'synod-explore-'));
    writeFileSync(join(dir, 'a.itf.json'), JSON.stringify(doc));
    const spec = compileSpec(raft, { variant: 'votesTwice' });
    expect(pathOfTrace(spec, readTraceFile(join(dir, 'a.itf.json')))).toBe(recorded);
    // The base spec cannot take the variant's last step (a second vote in one term).
    expect(() => pathOfTrace(compileSpec(raft), readTraceFile(join(dir, 'a.itf.json')))).toThrow(/does not fit spec 'raft-election'/);
  });
});

describe('messageSequence', () => {
  it('draws raft messages from sender to receiver, pending ones open, and the votes BecomeLeader counts', () => {
    const spec = compileSpec(raft);
    const seq = messageSequence(spec, traceAt(spec, '0/0/3/3'))!;
    expect(seq.lifelines.map((l) => l.id)).toEqual(['n1', 'n2', 'n3']);
    expect(seq.actors).toEqual([null, 'n1', 'n2', 'n1']);
    expect(seq.arrows.map(({ item: _item, ...a }) => a)).toEqual([
      { label: 'RequestVote(term: 1)', kind: 'send', from: 'n1', to: 'n2', sent: 1, received: 2 },
      { label: 'RequestVote(term: 1)', kind: 'send', from: 'n1', to: 'n3', sent: 1, received: null },
      { label: 'RequestVoteResponse(term: 1, voter: n2)', kind: 'send', from: 'n2', to: 'n1', sent: 2, received: null },
      // BecomeLeader(n1) needs n2's vote (with its own, a majority) and leaves it where it lies.
      { label: 'RequestVoteResponse(term: 1, voter: n2)', kind: 'read', from: 'n2', to: 'n1', sent: 2, received: 3 },
      { label: 'AppendEntries(term: 1)', kind: 'send', from: 'n1', to: 'n2', sent: 3, received: null },
      { label: 'AppendEntries(term: 1)', kind: 'send', from: 'n1', to: 'n3', sent: 3, received: null },
    ]);
    expect(seq.arrows[0]!.item).toBe('RequestVote(term: 1, from: n1, to: n2)');
  });

  it('finds the receiver of a message that does not name it from the step that receives it (paxos)', () => {
    const spec = compileSpec(paxos);
    /** The path extended by the enabled instance whose label starts with `label`. */
    const take = (path: string, label: string): string => {
      const x = instancesAt(spec, traceAt(spec, path).steps.at(-1)!.state).find((i) => i.enabled && i.label.startsWith(label));
      return `${path}/${(x as { ordinal: number }).ordinal}`;
    };
    // p1 prepares, a1 promises, p1 receives the promise (a Promise names only its sender, a1).
    const path = take(take(take('0', 'Prepare(p1)'), 'ReceivePrepare(Prepare(bal: 1, acc: a1))'), 'ReceivePromise');
    const seq = messageSequence(spec, traceAt(spec, path))!;
    expect(seq.arrows.find((a) => a.label === 'Prepare(bal: 1, acc: a1)')).toMatchObject({ from: 'p1', to: 'a1', sent: 1, received: 2 });
    expect(seq.arrows.find((a) => a.label.startsWith('Promise'))).toMatchObject({ from: 'a1', to: 'p1', sent: 2, received: 3 });
  });

  it('draws per-node inboxes (paxos-livelock): a request enters an acceptor\'s inbox from its proposer and leaves it at that acceptor\'s ReceiveNext', () => {
    const spec = compileSpec(livelock);
    const saved = JSON.parse(readFileSync('results/paxos-livelock.json', 'utf8')).violations[0];
    const trace = traceAt(spec, saved.replayPath);
    const seq = messageSequence(spec, trace)!;
    expect(seq).toMatchObject({ via: 'inbox', field: 'inbox' });
    expect(seq.lifelines.map((l) => l.id)).toEqual(['p1', 'p2', 'a1', 'a2', 'a3']);
    const labels = trace.steps.map((s) => s.label);
    // Every request is sent by the Prepare or Accept of its proposer, to one acceptor each.
    for (const a of seq.arrows) {
      expect(a.kind).toBe('send');
      expect(labels[a.sent]).toBe(`${a.item.startsWith('Prepare') ? 'Prepare' : 'Accept'}(${a.from})`);
      expect(a.item).toContain(`from: ${a.from}`);
      expect(a.to).toMatch(/^a\d$/);
      // Received (FIFO) at a later step of that acceptor, or still in its inbox at the end.
      if (a.received !== null) expect(labels[a.received]).toBe(`ReceiveNext(${a.to})`);
      else expect(formatValue((trace.steps.at(-1)!.state as any).inbox.get(a.to))).toContain(a.item);
    }
    expect(seq.arrows.length).toBe(labels.filter((l) => /^(Prepare|Accept)\(/.test(l)).length * 3);
    // Each ReceiveNext receives exactly one request.
    labels.forEach((l, i) => {
      if (l.startsWith('ReceiveNext')) expect(seq.arrows.filter((a) => a.received === i).length).toBe(1);
    });
  });

  it('says what each ReceiveNext of a lasso received, and the action\'s doc (ballots renumbered)', () => {
    const explorer = new Explorer(livelock);
    const saved = JSON.parse(readFileSync('results/paxos-livelock.json', 'utf8')).violations[0];
    const view = explorer.view(null, saved.replayPath, String(saved.loop)) as any;
    const seq = view.sequence;
    view.trace.forEach((step: any, i: number) => {
      if (!step.label.startsWith('ReceiveNext')) return;
      const got = seq.arrows.find((a: any) => a.received === i);
      expect(step.detail).toMatch(new RegExp(`^received ${got.item.replace(/[()]/g, '\\$&')} → `));
    });
    expect(view.trace.filter((s: any) => s.label.startsWith('ReceiveNext')).length).toBe(15); // 12 of them in the cycle
    expect(view.actionDocs.Prepare).toMatch(/renumbered 1, 2, 3/);
    expect(view.lasso).toMatchObject({ loop: saved.loop, cycles: true });
  });

  it('is null for a spec without a network', () => {
    const spec = compileSpec(dieHard);
    expect(messageSequence(spec, traceAt(spec, '0'))).toBeNull();
  });
});

describe('stateSpace', () => {
  it('holds every state and edge of die-hard: as many as check finds without symmetry, exploring on past the violation', async () => {
    const spec = compileSpec(dieHard);
    const space = stateSpace(spec);
    const r = await check(spec, { symmetry: false, continueAfterViolation: true });
    expect(space.complete).toBe(true);
    expect(space.nodes).toHaveLength(r.distinctStates);
    expect(space.edges).toHaveLength(r.totalStates - spec.initStates().length);
    expect(space.nodes.filter((n) => n.violated.includes('notSolved')).length).toBeGreaterThan(0);
  });

  it('stops at maxStates and says it is incomplete', () => {
    const space = stateSpace(compileSpec(raft), { maxStates: 10 });
    expect(space.nodes).toHaveLength(10);
    expect(space.complete).toBe(false);
  });
});

// `synod explore` on the command line: bad usage is reported before any server starts. (The
// page itself is tested in test/explore/browser.test.ts against the running command.)
import { execFile, spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function synod(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('synod explore: usage errors exit 2 with a coded message', () => {
  it.each([
    [['explore'], 'error[SYN100]: name a spec file, or a saved trace with --trace'],
    [['explore', 'specs/raft-election.ts', '--port', '70000'], 'error[SYN104]: --port must be an integer from 0 to 65535'],
    [['explore', 'specs/raft-election.ts', '--variant', 'nope'], "error[SYN103]: spec 'raft-election' has no variant 'nope'"],
    [['explore', 'specs/raft-election.ts', '--param', 'nodes=1'], 'error[SYN102]: param \'nodes\''],
    [['explore', 'specs/missing.ts'], 'error[SYN201]: spec file not found: specs/missing.ts'],
    [['explore', '--trace', 'package.json'], 'error[SYN104]: package.json is not an ITF trace'],
    [['explore', 'specs/raft-election.ts', '--trace', 'results/paxos.acceptLowerBallot.itf.json'], "error[SYN104]: results/paxos.acceptLowerBallot.itf.json is a trace of spec 'paxos', not of 'raft-election'"],
  ])('synod %j', async (args, message) => {
    const r = await synod(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('is listed in the help', async () => {
    const r = await synod('explore', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--port');
    expect(r.stdout).toContain('--trace');
  });
});

/** Runs `synod explore` on a free port; gives its output up to the Ctrl-C line and its URL. */
async function explore(...args: string[]): Promise<{ out: string; url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['bin/synod.js', 'explore', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const out = await new Promise<string>((resolve) => {
    let text = '';
    child.stdout!.on('data', (d) => {
      text += d;
      if (text.includes('Ctrl-C')) resolve(text);
    });
  });
  return { out, url: /http:\/\/127\.0\.0\.1:\d+\//.exec(out)![0], stop: () => child.kill('SIGTERM') };
}

describe('synod explore --trace', () => {
  it('opens a lasso (a liveness counterexample) with its loop', async () => {
    const s = await explore('--trace', 'results/two-phase-commit.coordinatorCrash.itf.json');
    try {
      expect(s.out).toContain('(allDecide violated) at replay path 0/1/2/3/4');
      const at = new URL((await fetch(s.url, { redirect: 'manual' })).headers.get('location')!, s.url);
      expect(Object.fromEntries(at.searchParams)).toEqual({ variant: 'coordinatorCrash', path: '0/1/2/3/4', loop: '4' });
      const view = await (await fetch(new URL(`/api/view?${at.searchParams}`, s.url))).json();
      expect(view.lasso).toMatchObject({ loop: 4, cycles: false, unfair: null });
      expect(view.properties.find((p: any) => p.name === 'allDecide')).toMatchObject({ kind: 'eventually', status: 'violated' });
      const bad = await fetch(new URL('/api/view?variant=coordinatorCrash&path=0/1&loop=0', s.url));
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toContain('not a lasso');
    } finally {
      s.stop();
    }
  });

  it('opens the variant the trace was written for, whose own params leave the other variants alone', async () => {
    const s = await explore('--trace', 'results/nwr-quorum.staleQuorum.itf.json');
    try {
      expect(s.out).toContain('opened results/nwr-quorum.staleQuorum.itf.json (noStaleRead violated)');
      const start = await fetch(s.url, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const at = new URL(start.headers.get('location')!, s.url);
      expect(at.searchParams.get('variant')).toBe('staleQuorum');
      expect(at.searchParams.has('loop')).toBe(false);
      const view = await (await fetch(new URL(`/api/view?${at.searchParams}`, s.url))).json();
      expect(view.properties.find((p: any) => p.name === 'noStaleRead').status).toBe('violated');
      expect(view.spec.params).toMatchObject({ w: 1, r: 1 });
      const base = await (await fetch(new URL('/api/view?path=0', s.url))).json();
      expect(base.spec.params).toMatchObject({ w: 2, r: 2 });
    } finally {
      s.stop();
    }
  });
});

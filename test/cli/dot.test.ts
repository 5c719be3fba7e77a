// `synod check --dot F`: the state graph of a small model in Graphviz DOT, refused above the limit.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function synod(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/synod.js', ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('synod check --dot', () => {
  it('draws every state of die-hard, the violating ones filled', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'synod-dot-')), 'die-hard.dot');
    const r = await synod('check', 'specs/die-hard.ts', '--dot', file);
    expect(r.code).toBe(1); // the check still runs: notSolved is violated
    const dot = readFileSync(file, 'utf8');
    expect(dot.startsWith('digraph "die-hard" {')).toBe(true);
    // The Die Hard jugs reach 16 (small, big) states; from each, 6 actions fire.
    expect(dot.match(/^ {2}s\d+ \[label=/gm)).toHaveLength(16);
    expect(dot.match(/^ {2}s\d+ -> s\d+/gm)).toHaveLength(16 * 6);
    expect(dot).toContain('s0 [label="small = 0\\lbig = 0\\l", peripheries=2]');
    expect(dot.match(/violates: notSolved/g)!.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`state graph written to ${file} (DOT, 16 states)`);
  });

  it('refuses a model above the limit with a clear message and exit 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'synod-dot-')), 'paxos.dot');
    const r = await synod('check', 'specs/paxos.ts', '--dot', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[SYN104]: --dot draws models of at most 1,000 states; paxos has more');
    expect(existsSync(file)).toBe(false);
  });
});

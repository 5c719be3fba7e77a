// Runs TLC on a tlaplus/Examples model for the engine benchmark, in the same run as synod, so
// the ratios compare measurements taken under the same load. TLC is used only when the
// environment names it: SYNOD_TLA2TOOLS (a tla2tools.jar; `java` on the PATH) and
// SYNOD_TLA_EXAMPLES (a checkout of github.com/tlaplus/Examples). Nothing of either is kept in
// this repository: the .tla files are read from the checkout, copied to a temporary folder
// with the cfg (the Examples' own, or one of ours from test/bench/tla/), and removed after.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface TlcModel {
  /** The module to check, relative to the Examples' specifications/ folder, without .tla. */
  module: string;
  /** The cfg: a file of the module's folder in the Examples, or of test/bench/tla/ when `ours`. */
  cfg: string;
  ours?: boolean;
}

export interface Timed { wallS: number; cpuS: number | null; stdout: string }
export interface TlcRun extends Timed { distinct: number; generated: number; depth: number }

/** Why TLC cannot run here, or null when it can. */
export function tlcUnavailable(): string | null {
  const jar = process.env.SYNOD_TLA2TOOLS;
  const examples = process.env.SYNOD_TLA_EXAMPLES;
  if (!jar || !existsSync(jar)) return 'TLC not run: set SYNOD_TLA2TOOLS to a tla2tools.jar';
  if (!examples || !existsSync(join(examples, 'specifications'))) return 'TLC not run: set SYNOD_TLA_EXAMPLES to a tlaplus/Examples checkout';
  return null;
}

/**
 * Runs a command to its end; wall time, and user + system CPU time of the process and its
 * children when /usr/bin/time is there (on a loaded machine CPU time is the fairer figure).
 */
export function timed(cmd: string, args: string[], cwd?: string): Promise<Timed & { code: number }> {
  const timeFile = join(os.tmpdir(), `synod-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = existsSync('/usr/bin/time');
  const [file, argv] = useTime ? ['/usr/bin/time', ['-f', '%U %S', '-o', timeFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    execFile(file, argv, { cwd, maxBuffer: 1 << 28 }, (err, stdout, stderr) => {
      const wallS = (performance.now() - start) / 1000;
      let cpuS: number | null = null;
      if (useTime && existsSync(timeFile)) {
        const last = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '';
        const [u, s] = last.split(' ').map(Number);
        if (Number.isFinite(u) && Number.isFinite(s)) cpuS = u! + s!;
        rmSync(timeFile, { force: true });
      }
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      if (code === -1) return reject(new Error(`${cmd} failed: ${err!.message}\n${stderr}`));
      resolve({ wallS, cpuS, stdout, code });
    });
  });
}

const count = (s: string) => Number(s.replaceAll(',', ''));

/** TLC's own summary lines: "N states generated, M distinct states found" and the depth. */
export function parseTlc(out: string): { distinct: number; generated: number; depth: number } {
  const states = /([\d,]+) states generated, ([\d,]+) distinct states found, 0 states left on queue/.exec(out);
  const depth = /depth of the complete state graph search is (\d+)/.exec(out);
  if (!states || !depth || !out.includes('No error has been found')) throw new Error(`TLC did not finish cleanly:\n${out.slice(-2000)}`);
  return { generated: count(states[1]!), distinct: count(states[2]!), depth: Number(depth[1]) };
}

/**
 * TLAPS proof pragmas (Bakery EXTENDS TLAPS for its proofs) are TRUE to TLC; the module lives
 * in tlapm, not in the Examples, so a stand-in with the pragmas the ported models cite is
 * written when the folder has none.
 */
const TLAPS_STAND_IN = '---- MODULE TLAPS ----\nSMT == TRUE\nSMTT(X) == TRUE\nPTL == TRUE\nZenon == TRUE\n====\n';

export async function runTlc(m: TlcModel, workers: number): Promise<TlcRun> {
  const examples = process.env.SYNOD_TLA_EXAMPLES!;
  const folder = join(examples, 'specifications', dirname(m.module));
  const dir = mkdtempSync(join(os.tmpdir(), 'synod-bench-tlc-'));
  try {
    for (const f of readdirSync(folder).filter((x) => x.endsWith('.tla'))) copyFileSync(join(folder, f), join(dir, f));
    if (!existsSync(join(dir, 'TLAPS.tla'))) writeFileSync(join(dir, 'TLAPS.tla'), TLAPS_STAND_IN);
    copyFileSync(m.ours ? join('test/bench/tla', m.cfg) : join(folder, m.cfg), join(dir, basename(m.cfg)));
    const args = ['-XX:+UseParallelGC', '-cp', process.env.SYNOD_TLA2TOOLS!, 'tlc2.TLC', '-workers', String(workers),
      '-metadir', join(dir, 'states'), '-config', basename(m.cfg), basename(m.module)];
    const r = await timed('java', args, dir);
    return { ...r, ...parseTlc(r.stdout) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Shrinking a walk's violation runs spec code on states the walks never reached (shorter runs,
// a bounded breadth-first search), so it runs on a thread of its own, as the walks do: the time
// limit and Ctrl-C end it, and the walk is then reported as it was found, unshrunk.
import { Worker } from 'node:worker_threads';
import type { Shrunk } from '../check/shrink.js';
import type { SimulationFinding } from '../check/simulate.js';
import type { CompileOptions } from '../spec/compile.js';
import { SpecError, type ErrorCode } from '../spec/errors.js';

export interface ShrinkJob {
  kind: 'shrink';
  file: string;
  code?: string;
  compile: CompileOptions;
  finding: SimulationFinding;
  deadlock: boolean;
}

export type ShrinkReply = { ok: true; shrunk: Shrunk } | { ok: false; message: string; code?: string; hint?: string };

/** Why shrinking did not finish: the walk is shown as found. */
export type ShrinkCut = 'time-limit' | 'interrupted';

/** The shrunk walk, or why it was cut (the thread is ended at once: what it ran may never return). */
export async function shrinkOnThread(
  job: Omit<ShrinkJob, 'kind'>, until: { deadline: number; interrupt: { readonly stop: boolean } }, script: URL,
): Promise<Shrunk | ShrinkCut> {
  const w = new Worker(script, { workerData: { kind: 'shrink', ...job } satisfies ShrinkJob });
  let poll: ReturnType<typeof setInterval> | undefined;
  try {
    const answer = await new Promise<ShrinkReply | ShrinkCut>((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`the shrinking thread exited with code ${code} before reporting`)));
      poll = setInterval(() => {
        if (until.interrupt.stop) resolve('interrupted');
        else if (performance.now() > until.deadline) resolve('time-limit');
      }, 50);
    });
    if (typeof answer === 'string') return answer;
    if (answer.ok) return answer.shrunk;
    if (answer.code) throw new SpecError(answer.code as ErrorCode, `${answer.message} (while shrinking)`, answer.hint);
    throw new Error(`shrinking failed: ${answer.message}`);
  } finally {
    clearInterval(poll);
    w.removeAllListeners('exit');
    await w.terminate();
  }
}

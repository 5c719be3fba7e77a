// `synod results` on threads: each spec module's results are made on one of a few threads (one per
// core), so a folder of specs is checked side by side. A module's results do not depend on the
// thread that makes them; the caller assembles them in folder order.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** What `results` makes of one spec module: its files, keyed by name, and its README table rows. */
export interface SpecResults {
  files: Map<string, string>;
  rows: string[];
}

/** What a results thread answers for one spec module: its files and table rows, or that it failed. */
export type ResultsAnswer = { files: Array<[string, string]>; rows: string[] } | { failed: true };

/**
 * The results of each spec module in `paths`, made on up to `lanes` threads; null for a module
 * not done there: one that failed (no module is started after a failure) or all of them when
 * there is no built thread script (running from the sources) or fewer than two lanes.
 */
export async function resultsInThreads(paths: string[], lanes: number): Promise<Array<SpecResults | null>> {
  const done: Array<SpecResults | null> = paths.map(() => null);
  const script = new URL('./results-worker.js', import.meta.url);
  const count = Math.min(lanes, paths.length);
  if (count < 2 || !existsSync(script)) return done;
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    const worker = new Worker(script);
    try {
      while (!failed && next < paths.length) {
        const i = next++;
        const answer = await ask(worker, paths[i]!);
        if ('failed' in answer) failed = true;
        else done[i] = { files: new Map(answer.files), rows: answer.rows };
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: count }, lane));
  return done;
}

/** Sends one spec module to the thread; a thread that dies answers that it failed. */
function ask(worker: Worker, path: string): Promise<ResultsAnswer> {
  return new Promise((resolve) => {
    const settle = (a: ResultsAnswer): void => {
      worker.off('message', settle);
      worker.off('error', died);
      worker.off('exit', died);
      resolve(a);
    };
    const died = (): void => settle({ failed: true });
    worker.on('message', settle);
    worker.on('error', died);
    worker.on('exit', died);
    worker.postMessage(path);
  });
}

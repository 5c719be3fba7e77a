// A `synod results` thread (see results-threads.ts): makes the results of each spec module it is
// sent, on this thread, and answers with the files and table rows, or that it failed (the main
// thread then makes that module's results itself, to report its error).
import { parentPort } from 'node:worker_threads';
import { resultFiles } from './results.js';
import type { ResultsAnswer } from './results-threads.js';

process.setSourceMapsEnabled(true);
const port = parentPort!;
port.on('message', async (path: string) => {
  let answer: ResultsAnswer;
  try {
    const { files, rows } = await resultFiles(path);
    answer = { files: [...files], rows };
  } catch {
    answer = { failed: true };
  }
  port.postMessage(answer);
});

// An expander thread of the one engine (src/check/engine.ts): loads the spec from the source the
// main thread's compiled spec carries (reusing its bundle when it has one), then expands the
// chunks of states it is sent. The supervisor may end this thread at any moment.
import { parentPort } from 'node:worker_threads';
import { compileSpec } from '../spec/compile.js';
import { createFingerprinter } from '../state/fingerprint.js';
import { FingerprintSet } from '../store/fingerprint-set.js';
import { LevelTable } from '../store/level-table.js';
import { ChunkExpander, type SharedTables } from '../check/chunk-expander.js';
import type { FromWorker, TableBuffers, ToWorker, WorkerStart } from '../check/threads.js';
import { causeOf } from '../check/failures.js';
import { codes, SpecError } from '../spec/errors.js';
import { loadSpecCode } from './load-code.js';
import { symmetryFailure } from '../check/symmetry-check.js';

process.setSourceMapsEnabled(true); // errors point into the spec's .ts, as on the main thread
const port = parentPort!;
// One listener from the start: a message that arrives while no listener is attached is lost, and
// new tables may be sent while the spec loads. The first message says what to load (the thread
// may have been started before the spec was known); later ones wait until the expander exists.
const inbox: ToWorker[] = [];
let handle: ((m: ToWorker) => void) | null = null;
let started: (s: WorkerStart) => void;
const firstMessage = new Promise<WorkerStart>((resolve) => (started = resolve));
port.on('message', (m: ToWorker) => {
  if (m.type === 'start') started(m);
  else if (handle) handle(m);
  else inbox.push(m);
});
const start = await firstMessage;
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const tablesOf = (b: TableBuffers): SharedTables => ({ seen: new FingerprintSet(b.seen), level: new LevelTable(b.level) });

try {
  const { file, code, options } = start.source;
  // Without a bundle (a spec compiled by a program from its file), the thread bundles it itself.
  const loaded = code !== undefined ? await loadSpecCode(code, file) : await (await import('./load.js')).loadSpec(file);
  const spec = compileSpec(loaded, { ...options, source: { file } });
  const expander = new ChunkExpander(spec, await createFingerprinter(), tablesOf(start.tables), start.options, new Int32Array(start.status));
  handle = (m: ToWorker): void => {
    if (m.type === 'start') return;
    if (m.type === 'tables') {
      expander.tables = tablesOf(m.tables);
      return;
    }
    if (m.type === 'symmetry') {
      send({ type: 'symmetry', failure: symmetryFailure(spec) });
      return;
    }
    const result = expander.run(m.chunk, m.start, m.pending);
    send({ type: 'done', id: m.id, result }, result.edges ? [result.candidates.buffer, result.edges.buffer as ArrayBuffer] : [result.candidates.buffer]);
  };
  for (const m of inbox.splice(0)) handle(m);
  send({ type: 'ready' });
} catch (e) {
  const failure = e instanceof SpecError
    ? { code: e.code, message: e.message, hint: e.hint, path: [] }
    : { code: codes.badSpec, message: `a worker thread could not load the spec: ${causeOf(e)}`, path: [] };
  send({ type: 'failed', failure });
}

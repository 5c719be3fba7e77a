// The progress line of `synod check` on a terminal: the phase first, then as many counters as
// fit in the terminal's width (a line that wraps leaves a stale copy behind at every update).
import type { Progress, ProgressPhase } from '../check/exploration.js';

const n = (x: number): string => x.toLocaleString('en-US');

const PHASES: Record<ProgressPhase['name'], string> = {
  search: 'safety search',
  'liveness graph': 'liveness graph (no symmetry)',
  checkpointing: 'checkpointing',
};

/** The phase's name, with the liveness graph a search records as it goes. */
const label = (p: Progress): string => {
  const ph = p.phase;
  if (ph?.name === 'search' && ph.graph) return ph.graph === 'reduced' ? 'search + liveness graph (reduced)' : 'search + liveness graph';
  return PHASES[ph?.name ?? 'search'];
};

/** The line for `p`, at most `columns - 1` characters (the last column would wrap on some terminals); no limit without columns. */
export function progressLine(p: Progress, columns: number | undefined): string {
  const seconds = p.elapsedMs / 1000;
  const rate = Math.round(p.distinct / Math.max(seconds, 1e-3));
  const parts = [
    `${label(p)} ${seconds.toFixed(0)} s`,
    `${n(p.distinct)} ${p.phase?.orbits ? 'orbits' : 'distinct'}`,
    `${n(p.generated)} generated`,
    `queue ${n(p.queue)}`,
    `depth ${p.depth}`,
    `${n(rate)} distinct/s`,
  ];
  const width = columns === undefined ? Infinity : Math.max(20, columns - 1);
  // Whole counters only, from the left: a line cut mid-number would mislead.
  let line = parts[0]!;
  for (const part of parts.slice(1)) {
    const next = `${line}${line === parts[0] ? ': ' : ', '}${part}`;
    if (next.length > width) break;
    line = next;
  }
  return line.length > width ? line.slice(0, width) : line;
}

/** A terminal's width; COLUMNS when it is not one (a pipe wraps nothing: no limit then). */
function widthOf(stream: NodeJS.WriteStream): number | undefined {
  const env = Number(process.env.COLUMNS);
  return stream.columns ?? (Number.isInteger(env) && env > 0 ? env : undefined);
}

/** Prints progress on stderr, rewriting one line; `done()` clears it. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { show: (p: Progress) => void; checkpointing: () => void; done: () => void } {
  let last: Progress | null = null;
  const show = (p: Progress): void => {
    last = p;
    stream.write(`\r\x1b[K${progressLine(p, widthOf(stream))}`);
  };
  return {
    show,
    checkpointing: () => { if (last) show({ ...last, phase: { step: 1, of: 1, orbits: false, ...last.phase, name: 'checkpointing' } }); },
    done: () => { stream.write('\r\x1b[K'); },
  };
}

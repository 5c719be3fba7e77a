// Expander threads started before the spec is known. Starting a thread costs about a third of a
// second of loading modules; started first thing (bin/synod.js does it for `synod check` before
// it loads the CLI), that overlaps the main thread's own loading and bundling of the spec
// instead of following it, and a tutorial-sized check answers sooner. Its own bundle entry, so
// that the bin script can load it without the rest of synod.
import { Worker } from 'node:worker_threads';

/** Threads started ahead, by script; unreferenced until a search takes one. */
const warm = new Map<string, Worker[]>();

/** Starts threads of `script` until `count` wait; ones never taken do not keep the process alive. */
export function prestartThreads(script: URL, count: number): void {
  const list = warm.get(script.href) ?? [];
  while (list.length < count) {
    const w = new Worker(script);
    w.unref();
    w.on('error', () => {}); // one that failed to start is not taken (see takeThread)
    list.push(w);
  }
  warm.set(script.href, list);
}

/** A waiting thread of `script`, or a new one. Its first message must say what to load. */
export function takeThread(script: URL): Worker {
  const w = warm.get(script.href)?.shift();
  if (w === undefined || w.threadId < 0) return new Worker(script);
  w.ref();
  return w;
}

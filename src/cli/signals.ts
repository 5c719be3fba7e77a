// Ctrl-C and SIGTERM handling shared by the long-running commands.

/**
 * Signals this close together are one request: coreutils `timeout` sends SIGTERM to the process
 * and then to its process group, and a shell may pass one Ctrl-C on twice.
 */
export const SAME_REQUEST_MS = 500;

/**
 * The first SIGINT or SIGTERM asks the search to stop (the supervisor looks every 50 ms); a
 * second one, later than SAME_REQUEST_MS, exits at once (a checkpoint on disk stays whole: it is
 * replaced only by a rename).
 */
export function interruptOnSignals(now: () => number = () => performance.now()): { flag: { stop: boolean }; dispose: () => void } {
  const flag = { stop: false };
  let first = 0;
  const onSignal = (): void => {
    if (flag.stop) {
      if (now() - first < SAME_REQUEST_MS) return;
      process.exit(130);
    }
    flag.stop = true;
    first = now();
    process.stderr.write('\nstopping (press Ctrl-C again to quit at once)...\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { flag, dispose: () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); } };
}

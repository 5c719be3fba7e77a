// Ctrl-C handling shared by the long-running commands.

/** Ctrl-C or SIGTERM asks the search to stop at the next block; a second Ctrl-C exits at once. */
export function interruptOnSignals(): { flag: { stop: boolean }; dispose: () => void } {
  const flag = { stop: false };
  const onSignal = (): void => {
    if (flag.stop) process.exit(130);
    flag.stop = true;
    process.stderr.write('\nstopping (press Ctrl-C again to quit at once)...\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { flag, dispose: () => { process.off('SIGINT', onSignal); process.off('SIGTERM', onSignal); } };
}


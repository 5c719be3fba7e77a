// The Ctrl-C handler: the first signal asks the search to stop, a second one exits at once,
// unless it comes with the first (as coreutils `timeout` sends SIGTERM twice).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { interruptOnSignals, SAME_REQUEST_MS } from '../../src/cli/signals.js';

describe('interruptOnSignals', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} sets the stop flag; one at the same moment counts once; a later one exits with 130`, () => {
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      let clock = 1000;
      const signals = interruptOnSignals(() => clock);
      try {
        process.emit(signal);
        expect(signals.flag.stop).toBe(true);
        clock += SAME_REQUEST_MS - 1;
        process.emit(signal);
        expect(exit).not.toHaveBeenCalled();
        clock += 2;
        process.emit(signal);
        expect(exit).toHaveBeenCalledWith(130);
      } finally {
        signals.dispose();
      }
    });
  }

  it('dispose removes the handlers', () => {
    const before = process.listenerCount('SIGINT');
    const signals = interruptOnSignals();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    signals.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});

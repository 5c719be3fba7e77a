// The Ctrl-C handler: the first signal asks the search to stop, a second one exits at once.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { interruptOnSignals } from '../../src/cli/signals.js';

describe('interruptOnSignals', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} sets the stop flag; a second one exits with 130`, () => {
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
      vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const signals = interruptOnSignals();
      try {
        process.emit(signal);
        expect(signals.flag.stop).toBe(true);
        expect(exit).not.toHaveBeenCalled();
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

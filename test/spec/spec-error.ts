// The SpecError a call throws; fails the test if it throws nothing or something else.
import { expect } from 'vitest';
import { SpecError } from 'synod';

export function specError(f: () => unknown): SpecError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return e as SpecError;
  }
  throw new Error('expected a SpecError, but nothing was thrown');
}

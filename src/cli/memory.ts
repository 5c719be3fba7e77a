// The memory budget of `synod check`: --max-memory, or by default half of what the machine (or
// its container's memory limit) has, so a large run stops cleanly before the system kills it.
import { totalmem } from 'node:os';
import { parseSize } from './options.js';

export const DEFAULT_MEMORY_FRACTION = 0.5;

export function memoryBudget(option: string | undefined): number {
  if (option !== undefined) return parseSize('max-memory', option);
  const limit = process.constrainedMemory?.() ?? 0; // a cgroup limit, 0 when there is none
  const machine = limit > 0 ? Math.min(limit, totalmem()) : totalmem();
  return Math.floor(machine * DEFAULT_MEMORY_FRACTION);
}

// check()'s progress says which pass it is in and what it counts: with symmetry reduction the
// search counts orbits and records the reduced liveness graph as it goes; when liveness must fall
// back to the unreduced graph, a second pass counts states; with one pass there is nothing to number.
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import type { Progress } from '../../src/check/exploration.js';
import livelock from '../../specs/paxos-livelock.js';

async function phases(symmetry: boolean, checkSymmetry = true): Promise<Array<Progress['phase']>> {
  const seen: Array<Progress['phase']> = [];
  await check(compileSpec(livelock), { symmetry, checkSymmetry, progressIntervalMs: 0, onProgress: (p) => seen.push(p.phase) });
  // Consecutive duplicates folded: the passes in the order they ran.
  return seen.filter((p, i) => i === 0 || JSON.stringify(p) !== JSON.stringify(seen[i - 1]));
}

describe('progress phases', () => {
  it('with symmetry and liveness: one pass in orbits that records the reduced graph', async () => {
    expect(await phases(true)).toEqual([{ name: 'search', step: 1, of: 1, orbits: true, graph: 'reduced' }]);
  });

  it('with symmetry but no symmetry check: the search in orbits, then the unreduced liveness graph in states', async () => {
    expect(await phases(true, false)).toEqual([
      { name: 'search', step: 1, of: 2, orbits: true },
      { name: 'liveness graph', step: 2, of: 2, orbits: false },
    ]);
  });

  it('without symmetry: one pass that also records the graph, counted in states', async () => {
    expect(await phases(false)).toEqual([{ name: 'search', step: 1, of: 1, orbits: false, graph: 'full' }]);
  });
});

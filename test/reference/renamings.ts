// Brute force for the symmetry tests: every renaming of a type's symmetric scalarsets.
import { makePerm, type Perm } from '../../src/state/codec.js';
import { symmetricScalarsets } from '../../src/state/symmetry.js';
import type { Type } from '../../src/spec/types.js';

function allPerms(n: number): Int32Array[] {
  if (n === 0) return [new Int32Array(0)];
  return allPerms(n - 1).flatMap((p) => Array.from({ length: n }, (_, at) => {
    const q = [...p];
    q.splice(at, 0, n - 1);
    return Int32Array.from(q);
  }));
}

/** Every renaming of a type's symmetric scalarsets (the product of all their permutations). */
export function renamings(type: Type): Perm[] {
  let acc: Array<Array<Int32Array | undefined>> = [[]];
  for (const s of symmetricScalarsets(type)) {
    acc = acc.flatMap((fwd) => allPerms(s.size).map((p) => { const f = [...fwd]; f[s.slot] = p; return f; }));
  }
  return acc.map(makePerm);
}

// Symmetry reduction is exact: the canonical form of a state is one of its renamings and the
// same for every renaming of it (checked by brute force on random types and values), orbit
// sizes are right, and explorations count orbits exactly as TLC does with SYMMETRY Permutations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, compileSpec } from 'synod';
import { t, type Type } from '../../src/spec/types.js';
import { codecOf, compareBytes, IDENTITY, makePerm, Reader, Writer } from '../../src/state/codec.js';
import { createCanonicalizer, symmetricScalarsets } from '../../src/state/symmetry.js';
import { valueArb } from './arbitraries.js';
import { successors } from '../reference/explorer.js';
import { renamings } from '../reference/renamings.js';
import twoPhase from '../../specs/two-phase-commit.js';
import tcommit from '../../specs/tcommit.js';

const Node = t.scalarset('Node', 3);
const Key = t.scalarset('Key', 2);
const Fixed = t.scalarset('Fixed', 2, { symmetric: false });

const leaf: fc.Arbitrary<Type> = fc.constantFrom<Type>(Node, Node, Key, Fixed, t.enum('a', 'b'), t.bool(), t.int(0, 2));

function smallType(depth: number): fc.Arbitrary<Type> {
  if (depth === 0) return leaf;
  const sub = smallType(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    fc.array(sub, { minLength: 1, maxLength: 3 }).map((fs) => t.record(Object.fromEntries(fs.map((f, i) => [`f${i}`, f]))) as Type),
    fc.tuple(fc.constantFrom<Type>(Node, Key, t.enum('x', 'y')), sub).map(([k, v]) => t.map(k, v) as Type),
    fc.tuple(fc.constantFrom<Type>(Node, Key), sub).map(([k, v]) => t.partialMap(k, v) as Type),
    sub.filter((e) => e.size <= 64).map((e) => t.set(e) as Type),
    fc.constant(t.set(t.record({ from: Node, to: Node, n: t.int(0, 300) })) as Type), // sorted-list set
    fc.tuple(sub, fc.integer({ min: 0, max: 2 })).map(([e, n]) => t.seq(e, n) as Type),
    sub.filter((e) => e.kind !== 'option').map((e) => t.option(e) as Type),
    fc.tuple(sub, sub).map(([a, b]) => t.union('tag', { A: { a }, B: { b }, C: {} }) as Type),
  );
}

const stateArb = fc.array(smallType(2), { minLength: 1, maxLength: 4 })
  .map((fs) => t.record(Object.fromEntries(fs.map((f, i) => [`v${i}`, f]))) as Type)
  .chain((type) => fc.tuple(fc.constant(type), valueArb(type)));


function encodeUnder(type: Type, v: unknown, p = IDENTITY): Uint8Array {
  const w = new Writer();
  codecOf(type).encode(w, v, p);
  return w.take();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('canonical form', () => {
  it('is a renaming of the state, the same for all its renamings; orbit sizes are exact (random types)', () => {
    fc.assert(
      fc.property(stateArb, ([type, v]) => {
        const canon = createCanonicalizer(type);
        if (!canon) {
          expect(symmetricScalarsets(type)).toEqual([]);
          return;
        }
        const perms = renamings(type);
        const orbit = new Set(perms.map((p) => hex(encodeUnder(type, v, p))));
        const formOf = (s: unknown): { form: string; size: number } => {
          const concrete = encodeUnder(type, s);
          const out = new Writer();
          const size = canon.canonicalize(s, concrete, concrete.length, out);
          return { form: hex(out.take()), size };
        };
        const mine = formOf(v);
        expect(orbit.has(mine.form)).toBe(true);
        expect(mine.size).toBe(orbit.size);
        for (const p of perms) {
          const renamed = codecOf(type).decode(new Reader(encodeUnder(type, v, p)));
          expect(formOf(renamed).form).toBe(mine.form);
        }
      }),
      { seed: 424242, numRuns: 300 },
    );
  });

  it('is the same for every renaming of a state', () => {
    const Msg = t.record({ from: Node, to: Node, kind: t.enum('vote', 'ack') });
    const type = t.record({ role: t.map(Node, t.enum('f', 'c', 'l')), votedFor: t.map(Node, t.option(Node)), msgs: t.set(Msg) });
    fc.assert(
      fc.property(valueArb(type), (v) => {
        const canon = createCanonicalizer(type)!;
        const forms = renamings(type).map((p) => {
          const renamed = codecOf(type).decode(new Reader(encodeUnder(type, v, p)));
          const bytes = encodeUnder(type, renamed);
          const out = new Writer();
          canon.canonicalize(renamed, bytes, bytes.length, out);
          return hex(out.take());
        });
        expect(new Set(forms).size).toBe(1);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('leaves a non-symmetric scalarset alone', () => {
    expect(createCanonicalizer(t.record({ a: Fixed, m: t.map(Fixed, t.bool()) }))).toBeNull();
  });

  it('compares bytes lexicographically, shorter first on a common prefix', () => {
    expect(compareBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBeLessThan(0);
    expect(compareBytes(Uint8Array.of(2), Uint8Array.of(1, 9))).toBeGreaterThan(0);
  });
});

/** Explores without symmetry and counts orbits by the least encoding over all renamings. */
function bruteForceOrbits(spec: ReturnType<typeof compileSpec>): { states: number; orbits: number } {
  const type = spec.stateType;
  const perms = renamings(type);
  const seen = new Map<string, unknown>();
  const queue: unknown[] = [];
  for (const s of spec.initStates()) {
    const k = hex(encodeUnder(type, s));
    if (!seen.has(k)) { seen.set(k, s); queue.push(s); }
  }
  while (queue.length) {
    const s = queue.pop()!;
    for (const n of successors(spec, s)) {
      const k = hex(encodeUnder(type, n));
      if (!seen.has(k)) { seen.set(k, n); queue.push(n); }
    }
  }
  const orbits = new Set([...seen.values()].map((s) => perms.map((p) => hex(encodeUnder(type, s, p))).sort()[0]));
  return { states: seen.size, orbits: orbits.size };
}

describe('exploration with symmetry', () => {
  it('two-phase-commit rm=3: 80 distinct states, depth 11 (TLC with SYMMETRY Permutations(RM))', async () => {
    const r = await check(compileSpec(twoPhase));
    expect([r.verdict, r.distinctStates, r.stateDepth]).toEqual(['ok', 80, 11]);
    expect(r.symmetry).toEqual({ scalarsets: ['RM'], groupSize: 6, states: 288 });
    const off = await check(compileSpec(twoPhase), { symmetry: false });
    expect([off.distinctStates, off.totalStates, off.stateDepth, off.symmetry]).toEqual([288, 1146, 11, null]);
  });

  for (const [name, spec, params] of [
    ['two-phase-commit rm=4', twoPhase, { rm: 4 }],
    ['two-phase-commit rm=5', twoPhase, { rm: 5 }],
    ['tcommit rm=4', tcommit, { rm: 4 }],
  ] as const) {
    it(`${name}: orbits equal a brute-force count`, async () => {
      const compiled = compileSpec(spec, { params });
      const brute = bruteForceOrbits(compiled);
      const r = await check(compiled);
      expect(r.distinctStates).toBe(brute.orbits);
      expect(r.symmetry!.states).toBe(brute.states);
      const off = await check(compiled, { symmetry: false });
      expect(off.stateDepth).toBe(r.stateDepth);
    });
  }

  it('two-phase-commit rm=5 has 8,832 states (TLC, Stateright) in 314 orbits', async () => {
    const r = await check(compileSpec(twoPhase, { params: { rm: 5 } }));
    expect([r.distinctStates, r.symmetry!.states]).toEqual([314, 8832]);
  });

  it('a violation has the same shortest trace length with and without symmetry, and replays', async () => {
    for (const [spec, variant] of [[twoPhase, 'commitEarly'], [tcommit, 'abortAfterCommit']] as const) {
      const on = await check(compileSpec(spec, { variant }));
      const off = await check(compileSpec(spec, { variant }), { symmetry: false });
      expect(on.verdict).toBe('violation');
      expect(on.violations[0]!.trace!.steps.length).toBe(off.violations[0]!.trace!.steps.length);
    }
  });
});

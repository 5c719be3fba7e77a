// 64-bit state fingerprints: deterministic, never 0, distinct for distinct bytes, and a function
// of buf[0, len) only.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFingerprinter, fingerprintHex, type Fingerprinter } from '../../src/state/fingerprint.js';

let fp: Fingerprinter;
beforeAll(async () => {
  fp = await createFingerprinter();
});

function hashOf(f: Fingerprinter, buf: Uint8Array, len = buf.length): string {
  f.hash(buf, len);
  expect(Number.isInteger(f.hi) && f.hi >= 0 && f.hi <= 0xffffffff).toBe(true);
  expect(Number.isInteger(f.lo) && f.lo >= 0 && f.lo <= 0xffffffff).toBe(true);
  return fingerprintHex(f.hi, f.lo);
}

/** Deterministic pseudo-random bytes. */
function bytes(seed: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

describe('fingerprints', () => {
  it('are the same across fingerprinter instances and calls', async () => {
    const other = await createFingerprinter();
    for (let i = 0; i < 200; i++) {
      const b = bytes(i, i % 97);
      const a = hashOf(fp, b);
      expect(hashOf(other, b)).toBe(a);
      expect(hashOf(fp, b.slice())).toBe(a);
    }
  });

  it('are never 0 and differ for a few thousand distinct inputs (both halves vary)', () => {
    const seen = new Set<string>();
    const his = new Set<number>();
    const los = new Set<number>();
    const inputs: Uint8Array[] = [];
    for (let n = 0; n < 64; n++) inputs.push(new Uint8Array(n)); // all-zero inputs: only the length differs
    for (let i = 0; i < 256; i++) inputs.push(Uint8Array.of(i), Uint8Array.of(0, i), Uint8Array.of(i, 0));
    for (let i = 0; i < 4000; i++) inputs.push(bytes(i + 1000, 1 + (i % 40)));
    const distinct = new Set(inputs.map((b) => Buffer.from(b).toString('hex'))).size;
    for (const b of inputs) {
      fp.hash(b, b.length);
      expect(fp.hi !== 0 || fp.lo !== 0).toBe(true);
      seen.add(fingerprintHex(fp.hi, fp.lo));
      his.add(fp.hi);
      los.add(fp.lo);
    }
    expect(seen.size).toBe(distinct);
    // A split that lost either half would show up as few distinct values in it.
    expect(his.size).toBeGreaterThan(distinct * 0.99);
    expect(los.size).toBeGreaterThan(distinct * 0.99);
  });

  it('use all 64 bits: each bit is set about half the time, and the halves are independent', () => {
    const n = 4000;
    const ones = new Array<number>(64).fill(0);
    let equalHalves = 0;
    for (let i = 0; i < n; i++) {
      fp.hash(bytes(i + 77, 24), 24);
      if (fp.hi === fp.lo) equalHalves++;
      for (let b = 0; b < 32; b++) {
        ones[b]! += (fp.lo >>> b) & 1;
        ones[32 + b]! += (fp.hi >>> b) & 1;
      }
    }
    expect(equalHalves).toBe(0);
    const skewed = ones.map((c, b) => [b, c / n] as const).filter(([, f]) => f < 0.45 || f > 0.55);
    expect(skewed).toEqual([]);
  });

  it('change when any single bit of the input flips', () => {
    const base = bytes(7, 64);
    const seen = new Set([hashOf(fp, base)]);
    for (let i = 0; i < base.length * 8; i++) {
      const b = base.slice();
      b[i >> 3]! ^= 1 << (i & 7);
      seen.add(hashOf(fp, b));
    }
    expect(seen.size).toBe(1 + 64 * 8);
  });

  it('depend only on buf[0, len), wherever the view starts in its buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 1, maxLength: 50 }), fc.nat(16), (data, junk, offset) => {
        const exact = hashOf(fp, data);
        const padded = new Uint8Array(data.length + junk.length);
        padded.set(data);
        padded.set(junk, data.length);
        expect(hashOf(fp, padded, data.length)).toBe(exact);
        const host = new Uint8Array(offset + data.length + junk.length).fill(0xab);
        host.set(data, offset);
        expect(hashOf(fp, host.subarray(offset), data.length)).toBe(exact);
        expect(hashOf(fp, padded)).not.toBe(exact); // taking the junk in does change it
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('print as 16 hex digits, high half first', () => {
    expect(fingerprintHex(0, 1)).toBe('0000000000000001');
    expect(fingerprintHex(0xdeadbeef, 0x0badf00d)).toBe('deadbeef0badf00d');
    expect(fingerprintHex(0xffffffff, 0)).toBe('ffffffff00000000');
  });
});

// 64-bit fingerprints of canonical state bytes: xxh64 with a fixed seed, split into two uint32
// halves so the visited set works on plain numbers, never on a BigInt per state.
import xxhash from 'xxhash-wasm';

const SEED = 0x5e_ed_5e_edn;

export interface Fingerprinter {
  /** Hashes buf[0, len) into `hi` and `lo`; the fingerprint is never 0. */
  hash(buf: Uint8Array, len: number): void;
  hi: number;
  lo: number;
}

let api: Awaited<ReturnType<typeof xxhash>> | undefined;

/** Loads the WebAssembly hasher once per process. */
export async function createFingerprinter(): Promise<Fingerprinter> {
  api ??= await xxhash();
  const h64Raw = api.h64Raw;
  const wide = new BigUint64Array(1);
  const halves = new Uint32Array(wide.buffer);
  const fp: Fingerprinter = {
    hi: 0,
    lo: 0,
    hash(buf, len) {
      // The one BigInt per hash is xxhash-wasm's return value; the typed-array view splits
      // it without allocating further BigInts.
      wide[0] = h64Raw(buf.subarray(0, len), SEED);
      fp.lo = halves[0]!;
      fp.hi = halves[1]!;
      if (fp.lo === 0 && fp.hi === 0) fp.lo = 1;
    },
  };
  return fp;
}

/** The fingerprint as 16 hex digits (for messages and tests). */
export function fingerprintHex(hi: number, lo: number): string {
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

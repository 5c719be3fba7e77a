// Checkpoints of a breadth-first search: the fingerprint set, state graph, frontier and counters
// in one file, written atomically (temporary name, fsync, rename, fsync of the folder), so a
// crash while writing leaves the previous checkpoint whole. A SHA-256 trailer catches a file
// that was cut short or changed on disk.
import { createHash, type Hash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { codes, SpecError } from '../spec/errors.js';
import { FingerprintSet } from './fingerprint-set.js';
import { Frontier } from './frontier.js';
import { StateGraph } from './state-graph.js';
import { writeFileAtomic } from './atomic-file.js';

/** A search at a chunk boundary: its stores, and counters that the engine defines (kept as JSON). */
export interface SavedSearch<Counters> {
  seen: FingerprintSet;
  graph: StateGraph;
  frontier: Frontier;
  counters: Counters;
  /** Sections a higher layer owns (liveness's edge graph), kept opaque here: JSON, then bytes. */
  extra?: ExtraSections;
}

export interface ExtraSections {
  meta: unknown;
  sections: Uint8Array[];
}

export const CHECKPOINT_FILE = 'checkpoint.synod';
const MAGIC = 'SYNODCKP';
const FORMAT = 2;
/** The sections every checkpoint has: fingerprint slots, parents, ordinals, frontier. */
const FIXED = 4;

/** What a run is: a checkpoint resumes only the same spec, params, variant and options. */
export interface RunIdentity {
  spec: string;
  /** The spec file as the user named it (for the resume hint). */
  specFile: string;
  variant: string | null;
  params: Record<string, unknown>;
  /** The properties checked, when --property chose some (null: all). */
  properties: readonly string[] | null;
  /** SHA-256 of the spec's sources (the files bundled into it). */
  sourceHash: string;
  /** The options that change which states are explored or reported. */
  options: { symmetry: boolean; deadlock: boolean; continueAfterViolation: boolean };
  /** The synod version that wrote it: another one may encode or fingerprint states differently. */
  engine: string;
}

interface Header<Counters = unknown> {
  format: number;
  identity: RunIdentity;
  counters: Counters;
  fingerprints: number;
  frontierEntries: number;
  /** Byte length of each section, in file order: fingerprint slots, parents, ordinals, frontier, then the extra ones. */
  sections: number[];
  /** The extra sections' JSON part, when there are extra sections. */
  extra: unknown;
}

const bytesOf = (a: Uint32Array | Uint8Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function writeAll(fd: number, bytes: Uint8Array, hash: Hash): void {
  hash.update(bytes);
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30));
}

/** Writes DIR/checkpoint.synod atomically; the previous file stays until the rename. */
export function writeCheckpoint<Counters>(dir: string, identity: RunIdentity, state: SavedSearch<Counters>): void {
  const fps = state.seen.serialize();
  const graph = state.graph.serialize();
  const frontier = state.frontier.serialize();
  const pieces = frontier.pieces;
  const extra = state.extra?.sections ?? [];
  const sections = [fps.slots.byteLength, graph.parents.byteLength, graph.ordinals.byteLength, pieces.reduce((n, p) => n + p.length, 0), ...extra.map((b) => b.byteLength)];
  const header: Header<Counters> = { format: FORMAT, identity, counters: state.counters, fingerprints: fps.count, frontierEntries: frontier.count, sections, extra: state.extra?.meta ?? null };
  const json = Buffer.from(JSON.stringify(header));
  const lead = Buffer.alloc(12);
  lead.write(MAGIC, 0, 'latin1');
  lead.writeUInt32LE(json.length, 8);

  const path = join(dir, CHECKPOINT_FILE);
  writeFileAtomic(path, (fd) => {
    const hash = createHash('sha256');
    for (const b of [lead, json, bytesOf(fps.slots), bytesOf(graph.parents), bytesOf(graph.ordinals), ...pieces, ...extra]) writeAll(fd, b, hash);
    writeSync(fd, hash.digest());
  });
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

export function removeCheckpoint(dir: string): void {
  rmSync(join(dir, CHECKPOINT_FILE), { force: true });
}

/** Deletes temporary files left by a run killed while it was writing a checkpoint. */
export function removeStaleTemporaries(dir: string): void {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f.startsWith(`${CHECKPOINT_FILE}.`) && f.endsWith('.tmp')) rmSync(join(dir, f), { force: true });
  }
}

const corrupt = (path: string, why: string): SpecError =>
  new SpecError(codes.badCheckpoint, `${path} is not a usable checkpoint: ${why}`,
    'it was damaged or cut short (the previous checkpoint is overwritten only by a complete one); start the run again without --resume');

/** Reads `n` bytes at `at` (in pieces: one read tops out at 2 GB). */
function readAt(fd: number, n: number, at: number): Uint8Array | null {
  const buf = new Uint8Array(n);
  for (let off = 0; off < n;) {
    const got = readSync(fd, buf, off, Math.min(n - off, 1 << 30), at + off);
    if (got === 0) return null;
    off += got;
  }
  return buf;
}

/** True when the SHA-256 of everything before the trailer equals the trailer. */
function checksumMatches(fd: number, size: number): boolean {
  const hash = createHash('sha256');
  const body = size - 32;
  for (let at = 0; at < body;) {
    const piece = readAt(fd, Math.min(body - at, 1 << 24), at);
    if (piece === null) return false;
    hash.update(piece);
    at += piece.length;
  }
  const trailer = readAt(fd, 32, body);
  return trailer !== null && hash.digest().equals(trailer);
}

/** The header of a file whose checksum already matched; only its shape is checked here. */
function readHeader(fd: number, path: string, size: number): { header: Header; at: number } {
  const first = readAt(fd, 12, 0);
  const lead = Buffer.from(first ?? []);
  if (first === null || lead.toString('latin1', 0, 8) !== MAGIC) throw corrupt(path, 'it does not start with the checkpoint signature');
  const length = lead.readUInt32LE(8);
  const text = length <= size - 12 ? readAt(fd, length, 12) : null;
  if (text === null) throw corrupt(path, 'its header runs past the end of the file');
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(text).toString('utf8')) as Header;
  } catch {
    throw corrupt(path, 'its header is not valid JSON');
  }
  if (header?.format !== FORMAT) throw corrupt(path, `format ${header?.format}, this synod reads format ${FORMAT}`);
  if (!Array.isArray(header.sections) || header.sections.length < FIXED || !header.sections.every((n) => Number.isInteger(n) && n >= 0)) {
    throw corrupt(path, 'its header does not list its sections');
  }
  const at = 12 + length;
  const total = at + header.sections.reduce((a, b) => a + b, 0) + 32;
  if (size !== total) throw corrupt(path, `it holds ${size} bytes where its header promises ${total} (a partial write?)`);
  return { header, at };
}

/** Why a file whose checksum does not match is damaged, as precisely as its (untrusted) header allows. */
function damage(fd: number, path: string, size: number): SpecError {
  try {
    readHeader(fd, path, size);
  } catch (e) {
    if (e instanceof SpecError) return e;
  }
  return corrupt(path, size < 12 + 32 ? `it holds only ${size} bytes` : 'its checksum does not match its contents');
}

/**
 * Reads and verifies DIR/checkpoint.synod. The checksum is verified before anything in the file
 * is parsed, so a damaged header is reported as damage, never acted upon.
 */
export function readCheckpoint<Counters>(dir: string): { identity: RunIdentity; state: SavedSearch<Counters> } {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    throw new SpecError(codes.badCheckpoint, `no checkpoint in ${dir} (${CHECKPOINT_FILE} is missing)`,
      'a checkpoint is written by `synod check <spec> --checkpoint DIR` once the first interval has passed, or when it is interrupted');
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw corrupt(path, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size < 12 + 32 || !checksumMatches(fd, size)) throw damage(fd, path, size);
    const { header, at: start } = readHeader(fd, path, size);
    let at = start;
    const [slots, parents, ordinals, frontier, ...extra] = header.sections.map((n) => {
      const bytes = readAt(fd, n, at)!;
      at += n;
      return bytes;
    });
    const u32 = (b: Uint8Array): Uint32Array => new Uint32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    return {
      identity: header.identity,
      state: {
        seen: FingerprintSet.restore(u32(slots!), header.fingerprints),
        graph: StateGraph.restore(u32(parents!), u32(ordinals!)),
        frontier: Frontier.restore(frontier!, header.frontierEntries),
        // Trusted as the engine wrote it: the checksum matched and the identity names this synod.
        counters: header.counters as Counters,
        ...(extra.length > 0 || (header.extra ?? null) !== null ? { extra: { meta: header.extra, sections: extra } } : {}),
      },
    };
  } finally {
    closeSync(fd);
  }
}

/** Why a checkpoint cannot continue this run, or null when it can. */
export function identityMismatch(saved: RunIdentity, now: RunIdentity): string | null {
  const differs: string[] = [];
  if (saved.spec !== now.spec) differs.push(`spec '${saved.spec}', not '${now.spec}'`);
  if (saved.variant !== now.variant) differs.push(`variant ${saved.variant ?? '(none)'}, not ${now.variant ?? '(none)'}`);
  const params = (p: Record<string, unknown>): string => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(' ');
  if (params(saved.params) !== params(now.params)) differs.push(`params ${params(saved.params)}, not ${params(now.params)}`);
  const props = (p: readonly string[] | null | undefined): string => (p ? p.join(', ') : 'all');
  if (props(saved.properties) !== props(now.properties)) differs.push(`properties ${props(saved.properties)}, not ${props(now.properties)}`);
  for (const k of Object.keys(saved.options) as Array<keyof RunIdentity['options']>) {
    if (saved.options[k] !== now.options[k]) differs.push(`${k} ${saved.options[k] ? 'on' : 'off'}, not ${now.options[k] ? 'on' : 'off'}`);
  }
  if (differs.length === 0 && saved.sourceHash !== now.sourceHash) differs.push('a different source: the spec file (or a file it imports) changed since');
  if (saved.engine !== now.engine) differs.push(`another synod: written by ${saved.engine}, this is ${now.engine}`);
  return differs.length ? differs.join('; ') : null;
}

// writeAtomic: the file appears whole, replaces the old one, and leaves no temporary behind.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomic } from '../../src/cli/io.js';

describe('writeAtomic', () => {
  it('replaces a file and leaves only the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-io-'));
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    writeAtomic(path, 'new contents\n');
    expect(readFileSync(path, 'utf8')).toBe('new contents\n');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('a write that fails leaves the old file and no temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synod-io-'));
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    expect(() => writeAtomic(path, undefined as unknown as string)).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });
});

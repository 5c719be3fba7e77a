// The build loads CommonJS dependencies through require() (tsup.config.ts): an ES import of one
// makes Node parse its whole source for export names first, about 70 ms a thread for Immutable.
// The module a bundled spec gets for 'immutable' (dist/immutable.js) must be the package itself.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const requireHere = createRequire(import.meta.url);

describe('CommonJS dependencies in the build', () => {
  it('dist/immutable.js exports every export of the package, the very same values', async () => {
    const pkg = requireHere('immutable') as Record<string, unknown>;
    const entry = (await import(`${dist}immutable.js`)) as Record<string, unknown>;
    for (const k of Object.keys(pkg)) expect(entry[k], k).toBe(pkg[k]);
    expect(entry.default).toBe(pkg);
    const asModule = (await import('immutable')) as Record<string, unknown>;
    expect(asModule.Map).toBe(entry.Map); // one instance, whichever way a program loads it
  });

  it('no file of the build imports immutable, esbuild or ioredis as an ES module', () => {
    for (const f of readdirSync(dist).filter((n) => n.endsWith('.js'))) {
      expect(readFileSync(`${dist}${f}`, 'utf8'), f).not.toMatch(/from ["'](immutable|esbuild|ioredis)["']/);
    }
  });
});

// Every bundled spec renders in the explorer, and every recorded counterexample in results/
// opens at its replay path with its property shown broken (or the deadlock shown); a liveness
// counterexample opens as a lasso, with its loop from the ITF file.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Spec } from 'synod';
import { Explorer } from '../../src/explore/session.js';
import { pathOfTrace, readTraceFile } from '../../src/explore/trace-file.js';

it('opens every spec, and every results/*.itf.json at its violation', { timeout: 120_000 }, async () => {
  let opened = 0;
  let lassos = 0;
  for (const file of readdirSync('specs').filter((f) => f.endsWith('.ts')).sort()) {
    const spec = (await import(/* @vite-ignore */ `../../specs/${file}`)).default as Spec;
    const explorer = new Explorer(spec);
    for (const variant of [null, ...Object.keys(spec.variants ?? {})]) {
      const stem = `results/${spec.name}${variant ? `.${variant}` : ''}`;
      const first = explorer.view(variant, '0') as any;
      expect(first.trace, stem).toHaveLength(1);
      expect((explorer.neighbours(variant, '0') as any).nodes.length, stem).toBeGreaterThan(0);
      if (!existsSync(`${stem}.itf.json`)) continue;
      const { violations } = JSON.parse(readFileSync(`${stem}.json`, 'utf8'));
      const path = pathOfTrace(explorer.specFor(variant), readTraceFile(`${stem}.itf.json`));
      expect(path, stem).toBe(violations[0].replayPath);
      const { property, kind, loop } = violations[0];
      const saved = readTraceFile(`${stem}.itf.json`);
      expect(saved.loop, stem).toBe(kind === 'liveness' ? loop : null);
      const v = explorer.view(variant, path, saved.loop === null ? null : String(saved.loop)) as any;
      if (kind === 'liveness') {
        // A lasso: its loop marked, fair, and the property violated by it.
        expect(v.lasso, stem).toMatchObject({ loop, cycles: loop < v.trace.length - 1, unfair: null });
        expect(v.lasso.violates, stem).toContain(property);
        expect(v.properties.find((p: any) => p.name === property), stem).toMatchObject({ status: 'violated', kind: expect.any(String), detail: 'on this lasso' });
        lassos++;
      } else if (kind === 'deadlock') expect(v.ending, stem).toBe('deadlock');
      else expect(v.properties.find((p: any) => p.name === property), stem).toMatchObject({ status: 'violated', firstViolated: v.trace.length - 1 });
      opened++;
    }
  }
  expect(opened).toBeGreaterThan(25);
  expect(lassos).toBeGreaterThanOrEqual(4);
});

import fc from 'fast-check';
import { it } from 'vitest';
import { compileSpec } from 'synod';
import { referenceCheck } from '../reference/explorer.js';
import { buildSpec, specDesc, stateBound } from '../reference/random-spec.js';
it('stats', () => {
  const ds = fc.sample(specDesc, { numRuns: 300, seed: 20250611 });
  const distinct: number[] = []; const bounds: number[] = []; const gen: number[] = [];
  const kinds: Record<string, number> = {}; let stopInit = 0; let depths: number[] = [];
  for (const d of ds) {
    const spec = compileSpec(buildSpec(d));
    const r = referenceCheck(spec, { continueAfterViolation: true });
    distinct.push(r.distinct); gen.push(r.generated); bounds.push(stateBound(d)); depths.push(r.depth);
    for (const v of r.violations) kinds[v.kind + (v.length === 1 ? '@init' : '')] = (kinds[v.kind + (v.length === 1 ? '@init' : '')] ?? 0) + 1;
    const s = referenceCheck(spec, {});
    if (s.violations[0] && s.violations[0].length === 1) stopInit++;
  }
  const q = (a: number[]) => { console.log("share>=50", a.filter(x=>x>=50).length); const b = [...a].sort((x, y) => x - y); return [b[0], b[Math.floor(b.length/4)], b[Math.floor(b.length/2)], b[Math.floor(3*b.length/4)], b[b.length-1]]; };
  console.log('distinct', q(distinct), 'generated', q(gen), 'depth', q(depths), 'bound', q(bounds));
  console.log(kinds, 'stop at init', stopInit);
});

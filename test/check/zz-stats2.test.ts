import fc from 'fast-check';
import { it } from 'vitest';
import { compileSpec } from 'synod';
import { referenceCheck } from '../reference/explorer.js';
import { buildSpec, specDesc } from '../reference/random-spec.js';
it('samples', () => {
  const ds = fc.sample(specDesc, { numRuns: 300, seed: 20250611 });
  let n = 0;
  for (const d of ds) {
    const r = referenceCheck(compileSpec(buildSpec(d)), { continueAfterViolation: true });
    if (r.violations.some(v => v.kind === 'deadlock' && v.length === 1) && n++ < 6) console.log(JSON.stringify(d.actions), JSON.stringify(d.inits), JSON.stringify(d.constraint));
  }
});

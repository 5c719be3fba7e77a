// `synod list <spec>`: what a spec offers: params, variants, properties and actions.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compileSpec } from '../spec/compile.js';
import type { ParamDecl } from '../spec/define.js';
import { loadSpec } from './load.js';
import { compileOptions, specOptions, type SpecArgs } from './options.js';

function describeParam(name: string, decl: ParamDecl, value: unknown): string {
  const d = typeof decl === 'object' ? decl : { default: decl };
  const range = d.choices ? ` (one of ${d.choices.join(', ')})` : d.min !== undefined || d.max !== undefined ? ` (${d.min ?? ''}..${d.max ?? ''})` : '';
  return `  ${name} = ${String(value)}${value !== d.default ? ` (default ${String(d.default)})` : ''}${range}${d.doc ? `  ${d.doc}` : ''}`;
}

async function run(args: ArgumentsCamelCase<SpecArgs & { json?: boolean }>): Promise<number> {
  const spec = await loadSpec(args.spec);
  const c = compileSpec(spec, compileOptions(args));
  const properties = [
    ...c.invariants.map((p) => ({ name: p.name, kind: 'always', doc: p.doc })),
    ...c.steps.map((p) => ({ name: p.name, kind: 'always.step', doc: p.doc })),
    ...c.witnesses.map((p) => ({ name: p.name, kind: 'sometimes', doc: p.doc })),
    ...c.liveness.map((p) => ({ name: p.name, kind: p.form, doc: p.doc })),
  ];
  const variants = Object.entries(spec.variants ?? {}).map(([name, v]) => ({ name, description: v.description }));
  const actions = c.actions.map((a) => ({ name: a.name, params: a.arity }));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ spec: spec.name, description: spec.description ?? null, params: c.params, variants, properties, actions }, null, 2)}\n`);
    return 0;
  }
  const out = [`${spec.name}${spec.description ? ` - ${spec.description}` : ''}`, '', 'params:'];
  const decls = Object.entries((spec.params ?? {}) as Record<string, ParamDecl>);
  out.push(...(decls.length ? decls.map(([k, d]) => describeParam(k, d, c.params[k])) : ['  (none)']));
  out.push('', 'variants:', ...(variants.length ? variants.map((v) => `  ${v.name}  ${v.description}`) : ['  (none)']));
  out.push('', 'properties:', ...(properties.length ? properties.map((p) => `  ${p.name}  (${p.kind})${p.doc ? `  ${p.doc}` : ''}`) : ['  (none)']));
  out.push('', 'actions:', ...actions.map((a) => `  ${a.name}${a.params ? `  (${a.params} parameter${a.params > 1 ? 's' : ''})` : ''}`));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export const listCommand = (setExit: (code: number) => void): CommandModule<object, SpecArgs & { json?: boolean }> => ({
  command: 'list <spec>',
  describe: 'show a spec\'s params, variants, properties and actions',
  builder: ((y: Argv) => specOptions(y).option('json', { type: 'boolean', describe: 'print JSON' })) as never,
  handler: async (args) => setExit(await run(args)),
});

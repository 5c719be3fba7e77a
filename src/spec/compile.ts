// Turns a spec module plus chosen params and variant into a compiled spec: resolved params,
// declared types, an ordered action table with frozen parameter domains, and properties.
import { codes, SpecError } from './errors.js';
import { didYouMean } from './suggest.js';
import { FAIRNESS, type ActionDef, type Domain, type HistoryView, type LivenessForm, type ParamDecl, type Property, type Spec } from './define.js';
import { valuesOf, type RecordType, type Type } from './types.js';

export type ParamValues = Record<string, number | boolean | string>;

export interface CompiledAction {
  readonly name: string;
  readonly index: number;
  readonly arity: number;
  /** Every argument tuple, when all domains are static; else null (computed per state). */
  readonly instances: readonly unknown[][] | null;
  readonly domains: ReadonlyArray<readonly unknown[] | ((s: unknown, ...earlier: unknown[]) => Iterable<unknown>)>;
  readonly when: ((s: unknown, ...args: unknown[]) => boolean) | undefined;
  readonly then: (s: unknown, ...args: unknown[]) => unknown;
  /** Fairness for liveness checking: weak or strong, of the whole action or of each instance. */
  readonly fair: { readonly strong: boolean; readonly each: boolean } | null;
  /** What the action does, in the spec author's words (null: not given); the explorer shows it. */
  readonly doc: string | null;
}

export interface CompiledLiveness {
  readonly name: string;
  readonly form: LivenessForm;
  readonly p: (s: unknown) => boolean;
  readonly q: ((s: unknown) => boolean) | null;
  /** What the property means, in the spec author's words (null: not given). */
  readonly doc: string | null;
}

export interface NamedProperty<K extends Exclude<Property<unknown>['kind'], 'liveness'>> {
  readonly name: string;
  readonly check: Extract<Property<unknown>, { kind: K }>['check'];
  /** Why a state breaks it (invariants made with an explanation, like linearizable()). */
  readonly explain?: (s: unknown) => string;
  /** The history it judges, for the explorer (linearizable() and sequentiallyConsistent()). */
  readonly history?: (s: unknown) => HistoryView;
  /** What the property means, in the spec author's words (null: not given). */
  readonly doc: string | null;
}

export interface CompiledSpec {
  readonly name: string;
  readonly variant: string | null;
  readonly params: Readonly<ParamValues>;
  readonly types: Record<string, unknown>;
  readonly stateType: RecordType;
  readonly actions: readonly CompiledAction[];
  readonly invariants: readonly NamedProperty<'invariant'>[];
  readonly steps: readonly NamedProperty<'step'>[];
  readonly witnesses: readonly NamedProperty<'sometimes'>[];
  readonly liveness: readonly CompiledLiveness[];
  readonly constraint: ((s: unknown) => boolean) | null;
  /** The projection that fingerprints use (TLC's VIEW), or null for the whole state. */
  readonly view: ((s: unknown) => unknown) | null;
  readonly terminal: ((s: unknown) => boolean) | null;
  /** Calls the spec's init (it may throw: the caller reports it). */
  initStates(): unknown[];
  /** Where the spec came from, when it was loaded from a file: a worker thread loads it again from this. */
  readonly source: SpecSource | null;
}

/** A spec file and how it was compiled, enough for another thread to rebuild the same CompiledSpec. */
export interface SpecSource {
  file: string;
  /** The bundled JavaScript the loader made of it (so a thread need not bundle it again). */
  code?: string;
  options: Omit<CompileOptions, 'source'>;
}

export interface CompileOptions {
  /** Overrides from the command line, as text (`rm=4`) or values. */
  params?: Record<string, string | number | boolean>;
  variant?: string | null;
  /** Check only these properties (null: all). */
  properties?: readonly string[] | null;
  /** The file the spec was loaded from (and its bundled code), so worker threads can load it too. */
  source?: { file: string; code?: string };
}

export function compileSpec(spec: Spec, options: CompileOptions = {}): CompiledSpec {
  const variantName = options.variant ?? null;
  const variant = variantName !== null && Object.hasOwn(spec.variants ?? {}, variantName) ? spec.variants![variantName] : undefined;
  if (variantName !== null && !variant) {
    const known = Object.keys(spec.variants ?? {});
    throw new SpecError(codes.unknownVariant, `spec '${spec.name}' has no variant '${variantName}'`,
      known.length ? `${didYouMean(variantName, known)}variants: ${known.join(', ')}` : 'this spec has no variants');
  }
  const p = resolveParams(spec, variant?.params ?? {}, options.params ?? {});
  const T = buildTypes(spec, p);
  const actionDefs = merge(
    guarded('actions', () => spec.actions(T, p)),
    variant?.actions ? guarded('variant actions', () => variant.actions!(T, p)) : {},
  );
  const propertyDefs = merge(
    spec.properties ? guarded('properties', () => spec.properties!(T, p)) : {},
    variant?.properties ? guarded('variant properties', () => variant.properties!(T, p)) : {},
  );
  const constraint = variant?.constraint ?? spec.constraint;
  const view = variant?.view ?? spec.view;
  const terminal = variant?.terminal ?? spec.terminal;
  const init = variant?.init ?? spec.init;
  const actions = Object.entries(actionDefs).map(([name, def], index) => compileAction(name, index, def));
  if (actions.length === 0) throw new SpecError(codes.badSpec, `spec '${spec.name}' has no actions`);
  const props = selectProperties(spec.name, Object.entries(propertyDefs), options.properties ?? null);
  for (const [name, prop] of props) {
    const ok = prop?.kind === 'liveness'
      ? typeof prop.p === 'function' && (prop.q === null || typeof prop.q === 'function')
      : !!prop && ['invariant', 'step', 'sometimes'].includes(prop.kind) && typeof prop.check === 'function';
    if (!ok) {
      throw new SpecError(codes.badSpec, `property '${name}' is not made with always(), always.step(), sometimes(), eventually(), leadsTo(), alwaysEventually() or eventuallyAlways()`);
    }
  }
  const pick = <K extends Exclude<Property<unknown>['kind'], 'liveness'>>(kind: K) =>
    props.filter(([, prop]) => prop.kind === kind).map(([name, prop]) => {
      const { explain, history } = prop as { explain?: unknown; history?: unknown };
      const named = { name, check: (prop as { check: unknown }).check, doc: prop.doc ?? null };
      return { ...named, ...(typeof explain === 'function' ? { explain } : {}), ...(typeof history === 'function' ? { history } : {}) };
    }) as NamedProperty<K>[];
  const liveness = props.flatMap(([name, prop]) => prop.kind === 'liveness' ? [{ name, form: prop.form, p: prop.p, q: prop.q, doc: prop.doc ?? null }] : []);
  return {
    name: spec.name,
    variant: variantName,
    params: p,
    types: T,
    stateType: T.state,
    actions,
    invariants: pick('invariant'),
    steps: pick('step'),
    witnesses: pick('sometimes'),
    liveness,
    constraint: constraint ? (s) => constraint(s as never, T, p as never) : null,
    view: view ? (s) => view(s as never, T, p as never) : null,
    terminal: terminal ? (s) => terminal(s as never, T, p as never) : null,
    initStates() {
      const r = init(T, p as never) as unknown;
      // Both would otherwise pass: no state to explore is "OK with 0 states".
      if (r === undefined) throw new SpecError(codes.initFailed, `init of spec '${spec.name}' returned undefined`, 'return the initial state (a missing `return`?), or an array of them');
      if (Array.isArray(r) && r.length === 0) throw new SpecError(codes.initFailed, `init of spec '${spec.name}' returned no state ([])`, 'return at least one initial state: a spec with none has nothing to check');
      return Array.isArray(r) ? [...r] : [r];
    },
    source: options.source ? { ...options.source, options: { params: options.params, variant: options.variant, properties: options.properties } } : null,
  };
}

/** The properties named on the command line, in the spec's order; an unknown name is an error. */
function selectProperties<P>(spec: string, props: Array<[string, P]>, names: readonly string[] | null): Array<[string, P]> {
  if (names === null) return props;
  const known = props.map(([name]) => name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new SpecError(codes.badOption, `spec '${spec}' has no property ${unknown.map((n) => `'${n}'`).join(', ')}`,
      known.length ? `${didYouMean(unknown[0]!, known)}properties: ${known.join(', ')}` : 'this spec has no properties');
  }
  return props.filter(([name]) => names.includes(name));
}

function guarded<R>(what: string, build: () => R): R {
  try {
    return build();
  } catch (e) {
    if (e instanceof SpecError) throw e; // e.g. a param check the spec makes itself (SYN102)
    throw new SpecError(codes.badSpec, `the spec's ${what} threw: ${(e as Error)?.message ?? String(e)}`);
  }
}

function merge<V>(base: Record<string, V>, over: Record<string, V | null>): Record<string, V> {
  const out: Record<string, V> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

function buildTypes(spec: Spec, p: ParamValues): Record<string, unknown> & { state: RecordType } {
  const T = guarded('types', () => spec.types(p as never));
  const state = (T as { state?: Type })?.state;
  if (!state || state.kind !== 'record') {
    throw new SpecError(codes.badSpec, `spec '${spec.name}': types() must return { state: t.record({...}), ... }`);
  }
  return T as Record<string, unknown> & { state: RecordType };
}

function compileAction(name: string, index: number, def: ActionDef<unknown>): CompiledAction {
  if (!def || typeof def.then !== 'function') {
    throw new SpecError(codes.badSpec, `action '${name}' needs a 'then' function`);
  }
  if (def.when !== undefined && typeof def.when !== 'function') {
    throw new SpecError(codes.badSpec, `action '${name}': 'when' must be a function`);
  }
  const domains = (def.over ?? []).map((d, i) => compileDomain(name, i, d));
  const isStatic = domains.every((d) => typeof d !== 'function');
  if (def.fair !== undefined && !FAIRNESS.includes(def.fair)) {
    throw new SpecError(codes.badSpec, `action '${name}': fair must be one of ${FAIRNESS.map((f) => `'${f}'`).join(', ')}, got ${JSON.stringify(def.fair)}`);
  }
  const fair = def.fair === undefined ? null : { strong: def.fair.startsWith('strong'), each: def.fair.endsWith('-each') };
  if (fair?.each && !isStatic) {
    // Instances are told apart by their position in the static argument list.
    throw new SpecError(codes.badSpec, `action '${name}': fair '${def.fair}' needs parameter domains that do not depend on the state`,
      `use fair: '${fair.strong ? 'strong' : 'weak'}' (the whole action), or range over a type or a fixed list`);
  }
  return {
    name, index, arity: domains.length, domains,
    instances: isStatic ? cartesian(domains as unknown[][]) : null,
    when: def.when as CompiledAction['when'],
    then: def.then as CompiledAction['then'],
    fair,
    doc: typeof def.doc === 'string' ? def.doc : null,
  };
}

function compileDomain(action: string, i: number, d: Domain<unknown>): CompiledAction['domains'][number] {
  if (typeof d === 'function') return d as CompiledAction['domains'][number];
  if (Array.isArray(d)) return d;
  if (d && typeof d === 'object' && 'kind' in d) {
    try {
      return valuesOf(d as Type);
    } catch (e) {
      throw new SpecError(codes.badSpec, `action '${action}' parameter ${i + 1}: ${(e as Error).message}`);
    }
  }
  throw new SpecError(codes.badSpec, `action '${action}' parameter ${i + 1}: 'over' entries must be types, arrays or functions of the state`);
}

export function cartesian(domains: readonly (readonly unknown[])[]): unknown[][] {
  let acc: unknown[][] = [[]];
  for (const d of domains) acc = acc.flatMap((args) => d.map((v) => [...args, v]));
  return acc;
}

function resolveParams(spec: Spec, variantDefaults: Record<string, unknown>, overrides: Record<string, unknown>): ParamValues {
  const decls: Record<string, ParamDecl> = spec.params ?? {};
  const out: ParamValues = {};
  for (const [name, decl] of Object.entries(decls)) {
    out[name] = typeof decl === 'object' ? decl.default : decl;
  }
  for (const [source, given] of [['variant', variantDefaults], ['command line', overrides]] as const) {
    for (const [name, raw] of Object.entries(given)) {
      const decl = Object.hasOwn(decls, name) ? decls[name] : undefined;
      if (decl === undefined) {
        const known = Object.keys(decls);
        throw new SpecError(codes.unknownParam, `spec '${spec.name}' has no param '${name}' (from the ${source})`,
          known.length ? `${didYouMean(name, known)}params: ${known.join(', ')} (see: synod list <spec>)` : 'this spec has no params');
      }
      out[name] = parseParam(spec.name, name, decl, raw);
    }
  }
  return out;
}

/** Parses and checks one param value against its declaration. */
export function parseParam(spec: string, name: string, decl: ParamDecl, raw: unknown): number | boolean | string {
  const d = typeof decl === 'object' ? decl : { default: decl };
  const bad = (why: string): never => {
    throw new SpecError(codes.badParam, `param '${name}' of spec '${spec}': ${why}`, d.doc ? `${name}: ${d.doc}` : undefined);
  };
  if (typeof d.default === 'number') {
    const v = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v)) bad(`expected an integer, got '${String(raw)}'`);
    if (d.min !== undefined && v < d.min) bad(`must be at least ${d.min}, got ${v}`);
    if (d.max !== undefined && v > d.max) bad(`must be at most ${d.max}, got ${v}`);
    return v;
  }
  if (typeof d.default === 'boolean') {
    if (raw === true || raw === 'true') return true;
    if (raw === false || raw === 'false') return false;
    return bad(`expected true or false, got '${String(raw)}'`);
  }
  const s = String(raw);
  if (d.choices && !d.choices.includes(s)) bad(`expected one of ${d.choices.join(', ')}, got '${s}'`);
  return s;
}

// The authoring DSL: what a spec module exports (defineSpec), its parameters, actions,
// properties and named variants.
import type { Infer, RecordType, Type } from './types.js';

/** A parameter: a default value, or a default with bounds and a line of documentation. */
export type ParamDecl =
  | number
  | boolean
  | string
  | { default: number | boolean | string; min?: number; max?: number; choices?: readonly string[]; doc?: string };
type Widen<V> = V extends number ? number : V extends boolean ? boolean : V extends string ? string : never;
/** A param's value type: one of its `choices` when it lists them, else its default's type. */
type ParamValue<D> = D extends { choices: readonly (infer C extends string)[] } ? C : D extends { default: infer V } ? Widen<V> : Widen<D>;
export type Params<P> = { readonly [K in keyof P]: ParamValue<P[K]> };

export interface SpecTypes {
  state: RecordType<any>;
}
/** The state type of a spec's types (any for an untyped Spec, so any spec is assignable to Spec). */
export type StateOf<TT extends SpecTypes> = 0 extends 1 & TT ? any : Infer<TT['state']>;

/**
 * Where an action's parameter ranges: a declared type (all its values), a fixed list, or a
 * function of the state (and of the earlier parameters) giving the values to try.
 */
export type Domain<S> = Type | readonly unknown[] | ((s: S, ...earlier: any[]) => Iterable<unknown>);

/**
 * A guarded action: `when` is a pure predicate, `then` gives the next state or states.
 * Written as a plain object its parameters are untyped (kept so that specs written that way
 * still compile); wrap it in `action({...})` to type them from `over`.
 */
export interface ActionDef<S> {
  over?: ReadonlyArray<Domain<S>>;
  when?: (s: S, ...args: any[]) => boolean;
  /** The next state, several next states, or null / [] when nothing happens. */
  then: (s: S, ...args: any[]) => S | readonly S[] | null | undefined;
  doc?: string;
  /**
   * Fairness, for liveness properties (default none, as in TLA+). 'weak': WF of the whole action
   * (if it stays enabled it is eventually taken); 'strong': SF (if enabled again and again it is
   * eventually taken). '-each' makes it per argument tuple: for every args, WF(A(args)).
   */
  fair?: Fairness;
}

/**
 * A domain of a typed action. A function domain's earlier parameters are `unknown` unless
 * annotated (`(s, n: string) => ...`); declared as a method so that an annotation narrower than
 * `unknown` is accepted (method parameters compare bivariantly).
 */
export type TypedDomain<S> = Type | readonly unknown[] | { values(s: S, ...earlier: unknown[]): Iterable<unknown> }['values'];

/** The values a domain gives: a list's elements, what a function yields, or a type's values. */
export type DomainValue<D> = D extends readonly (infer E)[] ? E
  : D extends (...args: never[]) => Iterable<infer E> ? E
  : Infer<D>;

/** The parameters of an action whose `over` is O: one value of each domain, in order. */
export type ArgsOf<O extends readonly unknown[]> = { -readonly [K in keyof O]: DomainValue<O[K]> };

/** An action whose `when` and `then` take one value of each of its `over` domains, typed. */
export interface TypedAction<S, O extends readonly unknown[]> {
  over?: O;
  when?: (s: S, ...args: ArgsOf<O>) => boolean;
  then: (s: S, ...args: ArgsOf<O>) => S | readonly S[] | null | undefined;
  doc?: string;
  fair?: Fairness;
}

/**
 * Types an action's parameters from its domains: with `over: [T.Node, [1, 2]]`, `when` and
 * `then` take (s, n, k) with n a Node id and k a number, so a mistake such as using a node id
 * as a number is a type error. The state type comes from where the action stands (a spec's
 * `actions`, or a function declared to return `Actions<S>`). At run time it returns `def` as is.
 */
export function action<S, const O extends ReadonlyArray<TypedDomain<S>>>(def: TypedAction<S, O>): ActionDef<S> {
  return def as ActionDef<S>;
}
export type Fairness = 'weak' | 'strong' | 'weak-each' | 'strong-each';
export const FAIRNESS: readonly Fairness[] = ['weak', 'strong', 'weak-each', 'strong-each'];
export type Actions<S> = Record<string, ActionDef<S>>;

export interface Invariant<S> {
  readonly kind: 'invariant';
  readonly check: (s: S) => boolean;
  readonly doc?: string;
  /** Says why a state breaks it (shown under the violation's trace), e.g. linearizable()'s timeline. */
  readonly explain?: (s: S) => string;
  /** The history of client operations the property judges (linearizable() has one): the explorer draws it. */
  readonly history?: (s: S) => HistoryView;
}

/** A recorded history as plain data: each operation an interval of event indexes (ret null: pending). */
export interface HistoryView {
  /** Events (calls and returns) recorded so far. */
  readonly events: number;
  readonly ops: ReadonlyArray<{ readonly id: number; readonly process: string; readonly text: string; readonly call: number; readonly ret: number | null }>;
  /** When the history breaks the property: the operations no order explains together, and why. */
  readonly violation: { readonly core: readonly number[]; readonly explanation: string } | null;
}
export interface StepProperty<S> { readonly kind: 'step'; readonly check: (s: S, next: S) => boolean; readonly doc?: string }
export interface Witness<S> { readonly kind: 'sometimes'; readonly check: (s: S) => boolean; readonly doc?: string }
/** A temporal property over behaviours: <>p, p ~> q, []<>p or <>[]p (checked under fairness). */
export interface Liveness<S> {
  readonly kind: 'liveness';
  readonly form: LivenessForm;
  readonly p: (s: S) => boolean;
  /** The second predicate of leadsTo (p ~> q); null for the other forms. */
  readonly q: ((s: S) => boolean) | null;
  readonly doc?: string;
}
export type LivenessForm = 'eventually' | 'leadsTo' | 'alwaysEventually' | 'eventuallyAlways';
export type Property<S> = Invariant<S> | StepProperty<S> | Witness<S> | Liveness<S>;

/** A state invariant: holds in every reachable state. */
export function always<S>(check: (s: S) => boolean, doc?: string): Invariant<S> {
  return { kind: 'invariant', check, doc };
}
/** A transition property: holds for every step (s, next) of every behaviour. */
always.step = function step<S>(check: (s: S, next: S) => boolean, doc?: string): StepProperty<S> {
  return { kind: 'step', check, doc };
};
/** A reachability witness: some reachable state satisfies it (reported with its shortest trace). */
export function sometimes<S>(check: (s: S) => boolean, doc?: string): Witness<S> {
  return { kind: 'sometimes', check, doc };
}

/** <>p: every fair behaviour reaches a state where p holds. */
export function eventually<S>(p: (s: S) => boolean, doc?: string): Liveness<S> {
  return { kind: 'liveness', form: 'eventually', p, q: null, doc };
}
/** p ~> q: whenever p holds, q holds then or later, in every fair behaviour. */
export function leadsTo<S>(p: (s: S) => boolean, q: (s: S) => boolean, doc?: string): Liveness<S> {
  return { kind: 'liveness', form: 'leadsTo', p, q, doc };
}
/** []<>p: p holds again and again (infinitely often) in every fair behaviour. */
export function alwaysEventually<S>(p: (s: S) => boolean, doc?: string): Liveness<S> {
  return { kind: 'liveness', form: 'alwaysEventually', p, q: null, doc };
}
/** <>[]p: every fair behaviour reaches a point after which p holds for ever. */
export function eventuallyAlways<S>(p: (s: S) => boolean, doc?: string): Liveness<S> {
  return { kind: 'liveness', form: 'eventuallyAlways', p, q: null, doc };
}

type Build<TT, P, R> = (T: TT, p: Params<P>) => R;

/** A named variant: a bug or an alternative rule; what it gives replaces the base spec's. */
export interface VariantDef<P, TT extends SpecTypes> {
  description: string;
  params?: Partial<Params<P>>;
  init?: Build<TT, P, StateOf<TT> | readonly StateOf<TT>[]>;
  /** Actions added or replaced by name; null removes one. */
  actions?: Build<TT, P, Record<string, ActionDef<StateOf<TT>> | null>>;
  /** Properties added or replaced by name; null removes one. */
  properties?: Build<TT, P, Record<string, Property<StateOf<TT>> | null>>;
  constraint?: (s: StateOf<TT>, T: TT, p: Params<P>) => boolean;
  terminal?: (s: StateOf<TT>, T: TT, p: Params<P>) => boolean;
  view?: (s: StateOf<TT>, T: TT, p: Params<P>) => StateOf<TT>;
}

export interface SpecDef<P extends Record<string, ParamDecl>, TT extends SpecTypes> {
  name: string;
  description?: string;
  params?: P;
  types: (p: Params<P>) => TT;
  init: Build<TT, P, StateOf<TT> | readonly StateOf<TT>[]>;
  actions: Build<TT, P, Actions<StateOf<TT>>>;
  properties?: Build<TT, P, Record<string, Property<StateOf<TT>>>>;
  /** Bounds the search like TLC's CONSTRAINT: states outside it are checked but not expanded. */
  constraint?: (s: StateOf<TT>, T: TT, p: Params<P>) => boolean;
  /** States where it is fine that no action is enabled (otherwise that is a deadlock). */
  terminal?: (s: StateOf<TT>, T: TT, p: Params<P>) => boolean;
  /**
   * Like TLC's VIEW: states are told apart by view(s) only (for example with a history field
   * reset), so states with equal views count once. Traces stay real but may then be longer
   * than the shortest for the full state.
   */
  view?: (s: StateOf<TT>, T: TT, p: Params<P>) => StateOf<TT>;
  variants?: Record<string, VariantDef<P, TT>>;
}

export const SPEC_BRAND = Symbol.for('synod.spec');

export type Spec<P extends Record<string, ParamDecl> = any, TT extends SpecTypes = any> = SpecDef<P, TT> & {
  readonly [SPEC_BRAND]: true;
};

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Declares a spec; checks its shape now so mistakes surface when the module loads. */
export function defineSpec<const P extends Record<string, ParamDecl>, TT extends SpecTypes>(
  def: SpecDef<P, TT>,
): Spec<P, TT> {
  const problem = shapeProblem(def);
  if (problem) throw new TypeError(`defineSpec: ${problem}`);
  return Object.freeze({ ...def, [SPEC_BRAND]: true as const });
}

export function isSpec(x: unknown): x is Spec {
  return typeof x === 'object' && x !== null && (x as any)[SPEC_BRAND] === true;
}

function shapeProblem(def: SpecDef<any, any>): string | null {
  if (typeof def !== 'object' || def === null) return 'expected an object';
  if (typeof def.name !== 'string' || !NAME.test(def.name)) return `name must be a word like 'two-phase-commit', got ${JSON.stringify(def.name)}`;
  for (const key of ['types', 'init', 'actions'] as const) {
    if (typeof def[key] !== 'function') return `'${key}' must be a function`;
  }
  for (const key of ['properties', 'constraint', 'terminal', 'view'] as const) {
    if (def[key] !== undefined && typeof def[key] !== 'function') return `'${key}' must be a function`;
  }
  for (const [name, decl] of Object.entries(def.params ?? {})) {
    if (!NAME.test(name)) return `param name '${name}' must be a word`;
    const d = typeof decl === 'object' && decl !== null ? (decl as { default: unknown }).default : decl;
    if (!['number', 'boolean', 'string'].includes(typeof d)) return `param '${name}' needs a number, boolean or string default`;
    if (typeof decl === 'object' && decl !== null) {
      const { min, max, choices } = decl as { min?: number; max?: number; choices?: readonly string[] };
      if ((min !== undefined && (d as number) < min) || (max !== undefined && (d as number) > max) || (choices && !choices.includes(d as string))) {
        return `param '${name}': its default ${String(d)} is outside its own min/max/choices`;
      }
    }
  }
  for (const [name, v] of Object.entries(def.variants ?? {})) {
    if (!NAME.test(name)) return `variant name '${name}' must be a word`;
    if (typeof v?.description !== 'string') return `variant '${name}' needs a description`;
  }
  return null;
}

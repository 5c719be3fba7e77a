// The public API: what a spec author imports (`import { defineSpec, t } from 'synod'`), and the
// engine entry points for programs that drive synod themselves.
export { t, valuesOf } from './spec/types.js';
export type { Infer, Type, RecordType, UnionType, MapType, SetType, SeqType, OptionType, ScalarsetType, EnumType, IntType, BoolType } from './spec/types.js';
export { defineSpec, action, always, sometimes, eventually, leadsTo, alwaysEventually, eventuallyAlways, isSpec } from './spec/define.js';
export type { Spec, SpecDef, ActionDef, TypedAction, TypedDomain, DomainValue, ArgsOf, Actions, Property, Params, ParamDecl, VariantDef, StateOf, Domain, Fairness, Liveness, LivenessForm } from './spec/define.js';
export { network, crashRestart } from './spec/network.js';
export { perState } from './spec/per-state.js';
export { subsetsOfSize, majority, majorityQuorums } from './spec/quorums.js';
export type { Network, NetworkOptions, NetworkValue, Channel, Handler, Handlers, Crashes, CrashOptions } from './spec/network.js';
export { compileSpec } from './spec/compile.js';
export type { CompiledSpec, CompileOptions } from './spec/compile.js';
export { SpecError, codes } from './spec/errors.js';
export { exitCodes } from './check/check.js';
export type { CheckResult, Verdict, Violation, Trace, TraceStep, LivenessReport, ActionCoverage, StopReason, ViolationKind } from './report/model.js';
export type { Progress } from './check/exploration.js';
// Driving synod from code: load a spec file, check (on worker threads), simulate, replay, reports.
export { compileSpecFile, check, simulate, replay, textReport, summaryJSON, itfTrace, writeITF } from './cli/library.js';
export type { SpecOptions, CheckOptions, SimulateOptions, SimulationResult } from './cli/library.js';
// Consistency of recorded histories: linearizability and sequential consistency against sequential models.
export { history, operationsOf } from './consistency/history.js';
export type { History, HistoryEvent, HistoryOptions, Operation } from './consistency/history.js';
export { register, registerOps, kvMap, kvOps, queue, queueOps } from './consistency/models.js';
export type { Model } from './consistency/models.js';
export { isLinearizable } from './consistency/linearizability.js';
export { isSequentiallyConsistent } from './consistency/sequential-consistency.js';
export { explain } from './consistency/explain.js';
export { timeline } from './consistency/timeline.js';
export { linearizable, sequentiallyConsistent, explanation } from './consistency/properties.js';
export type { ConsistencyOptions } from './consistency/properties.js';

// --checkpoint and --resume for `synod check`: which run a checkpoint belongs to, refusing to
// continue a different one, and the save callback the explorer calls at block boundaries.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExploreOptions, SearchCounters, SearchState } from '../check/exploration.js';
import { CHECKPOINT_FILE, hasCheckpoint, identityMismatch, readCheckpoint, removeCheckpoint, removeStaleTemporaries, writeCheckpoint, type RunIdentity } from '../store/checkpoint.js';
import type { CheckResult } from '../report/model.js';
import { codes, SpecError } from '../spec/errors.js';
import { parseDuration, UsageError } from './options.js';
import { writableFolder } from './io.js';

export interface CheckpointArgs {
  checkpoint?: string;
  checkpointEvery?: string;
  resume?: string;
}

export interface CheckpointPlan {
  /** Where checkpoints go, or null when the run keeps none. */
  dir: string | null;
  options: Pick<ExploreOptions, 'resume' | 'checkpoint'>;
}

/** `synod <version>`, from the package.json beside dist/ (where this module is bundled). */
export function engineVersion(): string {
  try {
    return `synod ${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}`;
  } catch {
    return 'synod (unknown version)';
  }
}

/** The command line that continues a checkpointed run. */
export function resumeCommand(id: RunIdentity, dir: string, options: readonly string[] = []): string {
  return ['synod check', id.specFile,
    ...Object.entries(id.params).flatMap(([k, v]) => ['--param', `${k}=${String(v)}`]),
    ...(id.variant ? ['--variant', id.variant] : []),
    ...(id.properties ?? []).flatMap((p) => ['--property', p]),
    ...(id.options.symmetry ? [] : ['--no-symmetry']),
    ...(id.options.deadlock ? [] : ['--no-deadlock']),
    ...(id.options.continueAfterViolation ? ['--continue'] : []),
    ...options,
    '--resume', dir].join(' ');
}

export function planCheckpoints(args: CheckpointArgs, identity: RunIdentity): CheckpointPlan {
  const dir = args.checkpoint ?? args.resume ?? null;
  if (dir === null && args.checkpointEvery !== undefined) throw new UsageError('--checkpoint-every needs --checkpoint DIR (or --resume DIR)');
  if (dir === null) return { dir, options: {} };
  const everyMs = parseDuration('checkpoint-every', args.checkpointEvery ?? '60s');
  let resume: ExploreOptions['resume'];
  if (args.resume !== undefined) {
    const saved = readCheckpoint<SearchCounters>(args.resume);
    const why = identityMismatch(saved.identity, identity);
    if (why !== null) {
      throw new SpecError(codes.checkpointMismatch, `the checkpoint in ${args.resume} belongs to another run: it has ${why}`,
        `continue it with the command that started it: ${resumeCommand(saved.identity, args.resume)}`);
    }
    resume = saved.state;
  } else if (hasCheckpoint(dir)) {
    throw new SpecError(codes.badCheckpoint, `${join(dir, CHECKPOINT_FILE)} already exists`,
      `continue that run with --resume ${dir}, or delete the file to start over`);
  }
  writableFolder(args.resume !== undefined ? '--resume' : '--checkpoint', dir); // before the search, not at its first save
  removeStaleTemporaries(dir);
  const save = (state: SearchState): void => {
    try {
      writeCheckpoint(dir, identity, state);
    } catch (e) {
      // The previous checkpoint is still whole; the search goes on.
      process.stderr.write(`warning: could not write a checkpoint to ${dir}: ${(e as Error).message}\n`);
    }
  };
  return { dir, options: { resume, checkpoint: { everyMs, save } } };
}

/** After the run: a finished search needs no checkpoint; an incomplete one says how to go on. */
export function finishCheckpoints(plan: CheckpointPlan, identity: RunIdentity, result: CheckResult, options: readonly string[] = []): void {
  if (plan.dir === null) return;
  if (result.stopReason === null || result.stopReason === 'violation') removeCheckpoint(plan.dir);
  else if (hasCheckpoint(plan.dir)) process.stderr.write(`checkpoint saved in ${plan.dir}; continue with: ${resumeCommand(identity, plan.dir, options)}\n`);
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { BackendType, RainbowSpec } from '../model/types';
import { DeployPhase } from '../planning/phases';
import { Problem } from '../model/problem';
import { moveLegacyState, stateDirectory, stateDirectoryFromStack } from './local-state';
import {
  checkOwnership,
  outputTarget,
  recoverInterruptedSynth,
  stagingPrefix,
  swapIn,
  writeOutputMarker,
} from './synth-output';

/** What `Rainbow.synthesize` wrote, and the order to deploy it in. */
export interface SynthesisResult {
  /** Every stack written, in file order, the router last. */
  readonly stackNames: string[];
  /** The order to deploy the stacks in, phase by phase. */
  readonly phases: DeployPhase[];
  /** The directory written: `outdir`, or the target of `outdir` when that is a symbolic link. */
  readonly outdir: string;
  /** The folder holding local state. */
  readonly stateDir: string;
  /** What synth did besides writing: state moved, leftovers of a killed run cleaned, a link followed. */
  readonly notes: Problem[];
}

/** How `Rainbow.synthesize` writes a spec. */
export interface SynthesisOptions {
  /**
   * The spec file: local state goes to `rainbow-state/` beside it.
   * @default - local state in `rainbow-state/` beside `outdir`
   */
  readonly specFile?: string;
}

/**
 * Synthesizes a valid spec into `outdir` (`outdir/stacks/<stack>/cdk.tf.json`), all or nothing.
 *
 * `outdir` is replaced only when it is absent, empty or synth's own earlier output (it holds the
 * `.rainbow-synth` marker, or only what cdktf synth writes); anything else is refused with a
 * RainbowValidationError before anything moves. Local state lives in a state folder outside the
 * output; state that earlier versions kept in the stack directories is moved there first.
 * Everything is written into a temporary directory next to `outdir`, which replaces `outdir`
 * only once synthesis has succeeded; on any failure the previous `outdir` is left as it was.
 * What a killed run left is finished or removed first.
 */
export function synthesizeSpec(
  spec: RainbowSpec,
  outdir: string,
  options: SynthesisOptions = {},
  onNote?: (note: Problem) => void,
): SynthesisResult {
  // Notes are told as they happen (the command prints them even when synthesis fails later) and returned.
  const notes: Problem[] = [];
  const note = (problem: Problem) => {
    notes.push(problem);
    onNote?.(problem);
  };
  const stateDir = stateDirectory(options.specFile, outdir);
  const target = outputTarget(outdir, { specFile: options.specFile, stateDir, onNote: note });
  checkOwnership(outdir, target);
  recoverInterruptedSynth(outdir, target, note);
  const before = checkOwnership(outdir, target);
  if (before !== 'absent' && before !== 'empty' && spec.backend.type === BackendType.LOCAL)
    moveLegacyState(target, stateDir, note);
  const createdParent = mkdirSync(dirname(target), { recursive: true });
  let staging: string | undefined;
  try {
    staging = mkdtempSync(stagingPrefix(target));
    // cdktf and the providers load only once the output is known to be replaceable.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rainbowApp } = require('./rainbow-app') as typeof import('./rainbow-app');
    const { app, stacks } = rainbowApp(spec, staging, stateDirectoryFromStack(target, stateDir));
    app.synth();
    writeOutputMarker(staging);
    swapIn(staging, target);
    return { stackNames: stacks.stackNames, phases: stacks.phases, outdir: target, stateDir, notes };
  } catch (error) {
    if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
    if (createdParent !== undefined) rmSync(createdParent, { recursive: true, force: true });
    throw error;
  }
}

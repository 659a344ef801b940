import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RainbowSpec } from '../spec/types';
import { DeployPhase } from './deploy-phases';
import { rainbowApp } from './rainbow-app';

export interface SynthesisResult {
  /** Every stack written, in file order, the router last. */
  readonly stackNames: string[];
  readonly phases: DeployPhase[];
}

/**
 * Synthesizes a valid spec into `outdir` (`outdir/stacks/<stack>/cdk.tf.json`), all or nothing:
 * everything is written into a temporary directory next to `outdir`, which replaces `outdir`
 * only once synthesis has succeeded. On any failure the previous `outdir` is left as it was.
 */
export function synthesizeSpec(spec: RainbowSpec, outdir: string): SynthesisResult {
  const target = resolve(outdir);
  const parent = dirname(target);
  const createdParent = !existsSync(parent);
  if (createdParent) mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}.tmp-`));
  try {
    const { app, stacks } = rainbowApp(spec, staging);
    app.synth();
    swapIn(staging, target);
    return { stackNames: stacks.stackNames, phases: stacks.phases };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(parent, { recursive: true, force: true });
    throw error;
  }
}

/** Two renames in one directory: the old output is only removed once the new one is in place. */
function swapIn(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const previous = `${staging}.previous`;
  renameSync(target, previous);
  try {
    renameSync(staging, target);
  } catch (error) {
    renameSync(previous, target);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

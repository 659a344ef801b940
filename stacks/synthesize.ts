import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RainbowSpec } from '../spec/types';
import { DeployPhase } from '../spec/plan';
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
 * Terraform's files in the stack directories (local state, `.terraform/`) are kept.
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

/**
 * Two renames in one directory: the old output is only removed once the new one is in place.
 * Terraform's working files in a stack's directory (local state `terraform.<stack>.tfstate`,
 * `.terraform/`, the lock file) are moved into the new output first, so a re-synth never loses
 * state, even for a stack that left the output.
 */
function swapIn(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  const moved = carryOverWorkingFiles(join(target, 'stacks'), join(staging, 'stacks'));
  const previous = `${staging}.previous`;
  try {
    renameSync(target, previous);
    try {
      renameSync(staging, target);
    } catch (error) {
      renameSync(previous, target);
      throw error;
    }
  } catch (error) {
    for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

/** Files that synthesis writes into a stack's directory; everything else there belongs to Terraform or the user. */
const SYNTHESIZED = new Set(['cdk.tf.json', 'metadata.json']);

/** Moves what is not synthesized from each old stack directory into the new one; returns [from, to] pairs. */
function carryOverWorkingFiles(oldStacks: string, newStacks: string): Array<[string, string]> {
  const moved: Array<[string, string]> = [];
  if (!existsSync(oldStacks)) return moved;
  try {
    for (const stack of readdirSync(oldStacks, { withFileTypes: true })) {
      if (!stack.isDirectory()) continue;
      for (const entry of readdirSync(join(oldStacks, stack.name))) {
        if (SYNTHESIZED.has(entry)) continue;
        const from = join(oldStacks, stack.name, entry);
        const to = join(newStacks, stack.name, entry);
        if (existsSync(to)) continue;
        mkdirSync(join(newStacks, stack.name), { recursive: true });
        renameSync(from, to);
        moved.push([from, to]);
      }
    }
  } catch (error) {
    for (const [from, to] of moved.reverse()) renameSync(to, from);
    throw error;
  }
  return moved;
}

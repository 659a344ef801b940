import { App } from '../constructs/core';
import { Construct } from 'constructs';
import { colorStackName, RainbowSpec, routerStackName } from '../model/types';
import { LOCAL_STATE_CONTEXT } from './backend';
import { ColorStack } from './color-stack';
import { deployPhases, DeployPhase } from '../planning/phases';
import { RouterStack } from './router-stack';

/**
 * Every stack of one spec inside a cdktf App (or any scope): one ColorStack per color, in file
 * order, then the RouterStack.
 */
export class RainbowStacks {
  /** One stack per color, in file order, retired colors included. */
  public readonly colorStacks: ColorStack[];
  /** The stack `<app>-router`. */
  public readonly routerStack: RouterStack;
  /** The order to deploy the stacks in (docs/architecture.md, "Deploy order"). */
  public readonly phases: DeployPhase[];

  constructor(scope: Construct, spec: RainbowSpec) {
    this.colorStacks = spec.colors.map(
      (color) => new ColorStack(scope, colorStackName(spec.app, color.name), { spec, color }),
    );
    this.routerStack = new RouterStack(scope, routerStackName(spec.app), { spec });
    this.phases = deployPhases(spec);
  }

  /** The name of every stack: the colors' in file order, then the router's. */
  public get stackNames(): string[] {
    return [...this.colorStacks.map((s) => s.stackName), this.routerStack.stackName];
  }
}

/**
 * A cdktf App holding the stacks of a spec, writing to `outdir`. `localStateDirectory` is the
 * state folder as a stack's working directory (`<outdir>/stacks/<stack>/`) reaches it; without
 * it, `rainbow-state/` beside `outdir`.
 */
export function rainbowApp(
  spec: RainbowSpec,
  outdir?: string,
  localStateDirectory?: string,
): { app: App; stacks: RainbowStacks } {
  const context = localStateDirectory === undefined ? undefined : { [LOCAL_STATE_CONTEXT]: localStateDirectory };
  const app = new App({ ...(outdir === undefined ? {} : { outdir }), ...(context === undefined ? {} : { context }) });
  return { app, stacks: new RainbowStacks(app, spec) };
}

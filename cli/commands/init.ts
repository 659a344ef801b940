import { randomUUID } from 'node:crypto';
import { lstatSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemReason, parseSpecText } from '../../spec/load';
import { MESSAGES } from '../../spec/messages';
import { Problem } from '../../spec/problem';
import { validateSpec } from '../../spec/validate';
import { EXIT, Io, reportProblems } from '../output';
import { cdktfJsonTemplate, GITIGNORE_TEMPLATE, INIT_FILES, InitChoices, InitPlatform, InitRouter, specTemplate } from './init-templates';

export interface InitOptions {
  readonly app: string;
  readonly platform: InitPlatform;
  readonly router?: InitRouter;
  readonly force?: boolean;
}

/**
 * `rainbow init`: writes rainbow.yaml, cdktf.json and .gitignore into `dir`, or nothing at all.
 * The spec is validated before anything is written, so a bad `--app` leaves the folder as it was,
 * and an existing file (any kind, a symbolic link too) is never overwritten without `--force`.
 */
export function initCommand(io: Io, dir: string, options: InitOptions): number {
  if (options.platform !== 'kubernetes' && options.router !== undefined) {
    io.err(`--router: ${MESSAGES.initRouterWithEcs(options.router, options.platform)}`);
    return EXIT.usage;
  }
  const choices: InitChoices = { app: options.app, platform: options.platform, router: options.router ?? 'gateway-api' };
  const spec = specTemplate(choices);
  const problems = templateProblems(spec);
  if (problems.length > 0) return reportProblems(io, problems);

  if (options.force !== true) {
    const existing = INIT_FILES.filter((file) => exists(join(dir, file)));
    if (existing.length > 0) return reportProblems(io, existing.map((file) => ({ path: file, message: MESSAGES.initExists })));
  }
  const contents: Record<(typeof INIT_FILES)[number], string> = {
    'rainbow.yaml': spec,
    'cdktf.json': cdktfJsonTemplate(randomUUID()),
    '.gitignore': GITIGNORE_TEMPLATE,
  };
  const written: string[] = [];
  for (const file of INIT_FILES) {
    try {
      // 'wx' refuses a file that appeared since the check above; --force replaces it.
      writeFileSync(join(dir, file), contents[file], { flag: options.force === true ? 'w' : 'wx' });
      written.push(file);
    } catch (error) {
      for (const done of written) rmSync(join(dir, done), { force: true });
      return reportProblems(io, [{ path: file, message: MESSAGES.initWriteFailed(systemReason(error as NodeJS.ErrnoException)) }]);
    }
  }
  for (const line of nextSteps(choices)) io.out(line);
  return EXIT.ok;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The problems of the spec init would write: only `--app` can make it invalid. */
function templateProblems(text: string): Problem[] {
  const parsed = parseSpecText(text, 'rainbow.yaml');
  if (parsed.problems.length > 0) return [...parsed.problems];
  const problems = validateSpec(parsed.document).problems;
  // The host, cluster and image are made from the app name: its own problem is the one to show.
  const app = problems.filter((p) => p.path === 'app');
  return app.length > 0 ? app.map((p) => ({ path: '--app', message: p.message })) : [...problems];
}

function nextSteps(choices: InitChoices): string[] {
  const provider = choices.platform === 'kubernetes' ? '@cdktf/provider-kubernetes@^12.1.1' : '@cdktf/provider-aws@^21.22.1';
  const prerequisites = choices.platform === 'ecs'
    ? 'AWS credentials, the ECS cluster, VPC, subnets, security groups and the ALB listener'
    : choices.platform === 'ec2'
      ? 'AWS credentials, the AMI, VPC, subnets, security groups and the ALB listener'
      : { 'gateway-api': 'a kubeconfig, the namespace, the Gateway API CRDs and a Gateway', nginx: 'a kubeconfig, the namespace and ingress-nginx', istio: 'a kubeconfig, the namespace, Istio and its Gateway' }[choices.router];
  return [
    `wrote ${INIT_FILES.join(', ')}: app ${choices.app} on ${choices.platform}${choices.platform === 'kubernetes' ? ` with ${choices.router}` : ''}, one color (blue) at weight 100`,
    'next:',
    '  1. replace the values marked REPLACE in rainbow.yaml',
    `  2. npm install cdktf-rainbow cdktf@^0.21 constructs@^10.4.2 ${provider} && npm install --save-dev cdktf-cli@^0.21`,
    '     (if not yet installed; rainbow apply needs Terraform 1.10 or later on PATH too)',
    '  3. npx rainbow validate       checks rainbow.yaml',
    '  4. npx rainbow plan           what a deploy changes, in which order',
    '  5. npx rainbow apply          deploys it with cdktf deploy',
    `before the first apply: ${prerequisites} (node_modules/cdktf-rainbow/docs/getting-started.md)`,
  ];
}

import { randomUUID } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FileWriteError, notRegularFile, writeFilesTogether } from '../../engine/files';
import { describeValue } from '../../model/messages';
import {
  isPlaceholder,
  PLACEHOLDER_WORD,
  PlaceholderField,
  placeholderFields,
  placeholderProblems,
} from '../../model/placeholders';
import { Problem } from '../../model/problem';
import { parseSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { EXIT, Io, reportProblems } from '../output';
import {
  cdktfJsonTemplate,
  GITIGNORE_TEMPLATE,
  INIT_FILES,
  InitChoices,
  InitPlatform,
  InitRouter,
  placeholderLines,
  specBody,
  specHeader,
} from './init-templates';

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
 * `--force` replaces regular files only: a symbolic link among them is refused, not followed
 * (its target may be anywhere, a shared .gitignore of a monorepo) and not replaced (someone put it
 * there on purpose). The files are written whole beside their places first, then renamed in;
 * when one fails, the originals stay.
 */
export function initCommand(io: Io, dir: string, options: InitOptions): number {
  if (options.platform !== 'kubernetes' && options.router !== undefined) {
    io.err(`--router: ${INIT_MESSAGES.initRouterWithEcs(options.router, options.platform)}`);
    return EXIT.usage;
  }
  const choices: InitChoices = {
    app: options.app,
    platform: options.platform,
    router: options.router ?? 'gateway-api',
  };
  // Every value that looks like a placeholder is refused by validate: the app name too, which init copies into others.
  if (isPlaceholder(options.app))
    return reportProblems(io, [{ path: '--app', message: INIT_MESSAGES.appPlaceholder(options.app) }]);
  const body = specBody(choices);
  const template = checkTemplate(body);
  if (template.problems.length > 0) return reportProblems(io, template.problems);
  const spec = specHeader(choices.app, template.placeholders) + body;

  const force = options.force === true;
  const refused = INIT_FILES.flatMap((file) => {
    const kind = existingKind(join(dir, file));
    if (kind === undefined) return [];
    if (!force) return [{ path: file, message: INIT_MESSAGES.initExists }];
    return kind === 'a regular file' ? [] : [{ path: file, message: INIT_MESSAGES.notRegular(kind) }];
  });
  if (refused.length > 0) return reportProblems(io, refused);
  const contents: Record<(typeof INIT_FILES)[number], string> = {
    'rainbow.yaml': spec,
    'cdktf.json': cdktfJsonTemplate(randomUUID()),
    '.gitignore': GITIGNORE_TEMPLATE,
  };
  try {
    // All or nothing: a full disk or a folder where a file should be leaves every original as it was.
    writeFilesTogether(
      INIT_FILES.map((file) => ({ path: join(dir, file), bytes: Buffer.from(contents[file], 'utf8'), replace: force })),
    );
  } catch (error) {
    if (!(error instanceof FileWriteError)) throw error;
    return reportProblems(io, [{ path: basename(error.file), message: INIT_MESSAGES.writeFailed(error.reason) }]);
  }
  for (const line of nextSteps(choices, template.placeholders)) io.out(line);
  return EXIT.ok;
}

/** The messages of `rainbow init` about its files. */
export const INIT_MESSAGES = {
  initExists:
    'already exists; nothing written. Pass --force to overwrite the files rainbow init writes, or run it in a folder without them',
  initRouterWithEcs: (router: string, platform: 'ecs' | 'ec2' = 'ecs') =>
    `received ${describeValue(router)} with --platform ${platform}; expected no --router: ${platform.toUpperCase()} routes with the ALB listener of the ${platform} block`,
  notRegular: (kind: string) =>
    `is ${kind}, not a regular file; nothing written: rainbow init --force replaces regular files only and never writes through a link; remove it, or run rainbow init in another folder`,
  writeFailed: (reason: string) => `could not be written: ${reason}; nothing written: the folder is as it was`,
  appPlaceholder: (app: string) =>
    `received ${describeValue(app)}; expected the name of your application: ${PLACEHOLDER_WORD} marks the values rainbow init cannot know, and rainbow validate refuses each one`,
};

/** What is at `path` (`a regular file`, `a symbolic link`, `a directory`...), or undefined when nothing is. */
function existingKind(path: string): string | undefined {
  try {
    return notRegularFile(lstatSync(path)) ?? 'a regular file';
  } catch {
    return undefined;
  }
}

/**
 * The problems of the spec init would write, but for the placeholders it writes on purpose (only
 * `--app` can make it invalid), and the fields that hold those placeholders.
 */
function checkTemplate(text: string): { problems: Problem[]; placeholders: PlaceholderField[] } {
  const parsed = parseSpecText(text, 'rainbow.yaml');
  if (parsed.problems.length > 0) return { problems: [...parsed.problems], placeholders: [] };
  const doc = parsed.document as Record<string, unknown>;
  const placeholders = new Set(placeholderProblems(doc).map((p) => `${p.path}: ${p.message}`));
  const problems = validateSpec(doc).problems.filter((p) => !placeholders.has(`${p.path}: ${p.message}`));
  // The host, cluster and image are made from the app name: its own problem is the one to show.
  const app = problems.filter((p) => p.path === 'app');
  return {
    problems: app.length > 0 ? app.map((p) => ({ path: '--app', message: p.message })) : [...problems],
    placeholders: placeholderFields(doc),
  };
}

function nextSteps(choices: InitChoices, placeholders: readonly PlaceholderField[]): string[] {
  const provider =
    choices.platform === 'kubernetes' ? '@cdktf/provider-kubernetes@^12.1.1' : '@cdktf/provider-aws@^21.22.1';
  const prerequisites =
    choices.platform === 'ecs'
      ? 'AWS credentials, the ECS cluster, VPC, subnets, security groups and the ALB listener'
      : choices.platform === 'ec2'
        ? 'AWS credentials, the AMI, VPC, subnets, security groups and the ALB listener'
        : {
            'gateway-api': 'a kubeconfig, the namespace, the Gateway API CRDs and a Gateway',
            nginx: 'a kubeconfig, the namespace and ingress-nginx',
            istio: 'a kubeconfig, the namespace, Istio and its Gateway',
          }[choices.router];
  return [
    `wrote ${INIT_FILES.join(', ')}: app ${choices.app} on ${choices.platform}${choices.platform === 'kubernetes' ? ` with ${choices.router}` : ''}, one color (blue) at weight 100`,
    'next:',
    '  1. replace the placeholders in rainbow.yaml: rainbow validate refuses it until each replace-me (and zero id)',
    '     value is replaced, naming each and what to put there:',
    ...placeholderLines(placeholders, '       '),
    `  2. npm install cdktf-rainbow cdktf@^0.21 constructs@^10.4.2 ${provider} && npm install --save-dev cdktf-cli@^0.21`,
    '     (if not yet installed; rainbow apply needs Terraform 1.10 or later on PATH too)',
    '  3. npx rainbow validate       checks rainbow.yaml',
    '  4. npx rainbow plan           what a deploy changes, in which order',
    '  5. npx rainbow apply          deploys it with cdktf deploy',
    `before the first apply: ${prerequisites} (node_modules/cdktf-rainbow/docs/getting-started.md)`,
  ];
}

#!/usr/bin/env node
// First: Node's compile cache must be on before the modules below are compiled.
import './compile-cache';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { shortText } from '../model/messages';
import type { TransitionResult } from '../model/transitions';
import type { RainbowSpec } from '../model/types';
import { defaultSpecFile } from '../spec-file/spec-location';
import type { InitOptions } from './commands/init';
import { CLI_MESSAGES } from './messages';
import { MAX_PARALLELISM } from './options';
import { EXIT, exitWhenFlushed, guardStandardStreams, Io, processIo, reportProblems, reportUnexpected } from './output';

// Each command's code loads when that command runs: `rainbow synth` loads none of the others'
// (the plan, the preview's drawing, the release's checks, the spec edits), a part of its start-up
// (bench/README.md, "Start-up").
/* eslint-disable @typescript-eslint/no-require-imports */
const load = {
  apply: () => require('./commands/apply') as typeof import('./commands/apply'),
  destroy: () => require('./commands/destroy') as typeof import('./commands/destroy'),
  edit: () => require('./commands/edit') as typeof import('./commands/edit'),
  expire: () => require('./commands/expire') as typeof import('./commands/expire'),
  init: () => require('./commands/init') as typeof import('./commands/init'),
  plan: () => require('./commands/plan') as typeof import('./commands/plan'),
  preview: () => require('./commands/preview') as typeof import('./commands/preview'),
  previousSpec: () => require('../engine/previous-spec') as typeof import('../engine/previous-spec'),
  release: () => require('./commands/release') as typeof import('./commands/release'),
  rollback: () => require('./commands/rollback') as typeof import('./commands/rollback'),
  schema: () => require('./commands/schema') as typeof import('./commands/schema'),
  status: () => require('./commands/status') as typeof import('./commands/status'),
  synth: () => require('./commands/synth') as typeof import('./commands/synth'),
  table: () => require('./table') as typeof import('./table'),
  transitions: () => require('../model/transitions') as typeof import('../model/transitions'),
  validate: () => require('./commands/validate') as typeof import('./commands/validate'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** A whole number as typed, or the text itself so that the message can show what was received. */
function wholeNumber(value: string): number {
  return (/^-?\d+$/.test(value) ? Number(value) : value) as number;
}

/** `shift`'s percent: a whole number, with or without a percent sign after it (`10`, `10%`). */
function percentValue(value: string): number {
  return wholeNumber(/^-?\d+%$/.test(value) ? value.slice(0, -1) : value);
}

/** `--parallelism`: a whole number of stacks from 1; anything else is a usage error. */
function parallelismValue(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLELISM) {
    throw new InvalidArgumentError(`expected a whole number of stacks from 1 to ${MAX_PARALLELISM}`);
  }
  return Number(value);
}

/**
 * The package's version, from its package.json: two folders up from dist/cli/main.js, one up
 * from cli/main.ts when run from the sources (the tests).
 */
function packageVersion(): string {
  for (const candidate of [join(__dirname, '..', 'package.json'), join(__dirname, '..', '..', 'package.json')]) {
    try {
      const manifest = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'cdktf-rainbow' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // not this candidate
    }
  }
  return 'unknown';
}

/**
 * A command's usage line with its required options spelled out (commander only says
 * `[options]`), and an example after its help.
 */
function documented(command: Command, usage: string, ...examples: string[]): Command {
  return command
    .usage(usage)
    .addHelpText('after', `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
}

/** What the editing commands take besides their arguments. */
interface EditFlags {
  readonly dryRun?: boolean;
  readonly force?: boolean;
}

/** The confirmation flags: `-y`, `--yes` and `--auto-approve` say the same. */
interface YesFlags {
  readonly yes?: boolean;
  readonly autoApprove?: boolean;
}
const approved = (o: YesFlags) => o.yes === true || o.autoApprove === true;

/**
 * The spec file of a command: its trailing `[spec]` argument, else `--spec` (or its default:
 * RAINBOW_SPEC, else ./rainbow.yaml). Both given, naming different files, is a usage error.
 */
function specOf(command: Command, argument: string | undefined): string {
  const option = command.getOptionValue('spec') as string;
  if (argument === undefined) return option;
  if (command.getOptionValueSource('spec') === 'cli' && resolve(option) !== resolve(argument)) {
    command.error(`error: ${CLI_MESSAGES.specTwice(option, argument)}`, {
      exitCode: EXIT.usage,
      code: 'rainbow.specTwice',
    });
  }
  return argument;
}

/**
 * The `rainbow` command line: every command with its arguments and options. Each action hands
 * its exit code to `done`. `run` parses with it; tests walk it (the README lists every command
 * and option).
 */
export function commandLine(io: Io, done: (code: number) => void): Command {
  const program = new Command('rainbow')
    .description(
      'Rolling updates, parallel color environments and weighted traffic between them, on CDK for Terraform.',
    )
    .version(packageVersion(), '-V, --version', 'print the version of cdktf-rainbow')
    .helpCommand('help [command]', 'print the help of the rainbow command, or of one of its commands')
    .exitOverride()
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const specFile = defaultSpecFile();
  const specDefault =
    process.env.RAINBOW_SPEC === undefined || process.env.RAINBOW_SPEC === ''
      ? './rainbow.yaml, or $RAINBOW_SPEC when set'
      : `${specFile}, from $RAINBOW_SPEC`;
  // The spec as the last argument (`rainbow validate rainbow.yaml`), or as --spec: after a
  // command's own arguments, so that `shift green 10 rainbow.yaml` reads one way only.
  const withSpec = (command: Command) =>
    command
      .argument('[spec]', 'the spec file, instead of --spec')
      .addOption(new Option('--spec <file>', 'the spec file, YAML or JSON').default(specFile, specDefault));
  const withFrom = (command: Command) =>
    command
      .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
      .option('--force', 'go on although safety rules are broken (the output says so)');
  const withEditFlags = (command: Command) =>
    command
      .option(
        '--dry-run',
        'print the new traffic table and the safety verdict, and write nothing (exit 1 when the change would be refused)',
      )
      .option(
        '--force',
        'write the change although it breaks safety rules (the verdict says FORCED; plan and apply then need --force too)',
      );
  const withYes = (command: Command, what: string) =>
    command.option('-y, --yes', what).option('--auto-approve', 'the same as --yes (the name terraform and cdktf use)');
  const edit = (spec: string, purpose: string, o: EditFlags, change: (spec: RainbowSpec) => TransitionResult): void => {
    done(
      load
        .edit()
        .editCommand(io, spec, change, {}, { purpose: `rainbow ${purpose}`, dryRun: o.dryRun, force: o.force }),
    );
  };

  documented(
    program
      .command('init')
      .description(
        'write a commented rainbow.yaml, a cdktf.json and a .gitignore into the current folder; nothing when any of them exists',
      ),
    '--app <name> --platform <kubernetes|ecs|ec2> [--router <gateway-api|nginx|istio>] [--force]',
    'rainbow init --app shop --platform kubernetes --router gateway-api',
    'rainbow init --app shop --platform ecs',
  )
    .requiredOption(
      '--app <name>',
      'the app name (required): a lowercase letter first, then [a-z0-9-], at most 20 characters',
    )
    .addOption(
      new Option('--platform <platform>', 'where the colors run (required)')
        .choices(['kubernetes', 'ecs', 'ec2'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--router <router>', 'kubernetes only: what splits the traffic (default: gateway-api)').choices([
        'gateway-api',
        'nginx',
        'istio',
      ]),
    )
    .option('--force', 'overwrite rainbow.yaml, cdktf.json and .gitignore when they exist')
    .action((o: InitOptions) => {
      done(load.init().initCommand(io, process.cwd(), o));
    });

  documented(
    withSpec(
      program
        .command('validate')
        .description(
          'check a spec file; print a one-line summary, or every problem as <file>:<line>:<col>: <path>: <message>',
        ),
    ),
    '[spec | --spec <file>]',
    'rainbow validate deploy/rainbow.yaml',
  ).action((spec: string | undefined, _o: object, command: Command) => {
    done(load.validate().validateCommand(io, specOf(command, spec)));
  });

  documented(
    withSpec(
      program
        .command('synth')
        .description(
          'validate, then write one Terraform stack per color and the router stack; nothing is written on any problem',
        ),
    ),
    '[spec | --spec <file>] [--out <dir>] [--from <ref>] [--force]',
    'rainbow synth --out cdktf.out --from git:origin/main',
  )
    .option('--out <dir>', 'the output directory', 'cdktf.out')
    .option('--from <ref>', 'check the safety rules against this previous spec first: a file, or git:<ref>')
    .option('--force', 'go on although safety rules are broken (the output says so)')
    .action(async (spec: string | undefined, o: { out: string; from?: string; force?: boolean }, command: Command) => {
      done(await load.synth().synthCommand(io, specOf(command, spec), o.out, { from: o.from, force: o.force }));
    });

  documented(
    withSpec(
      program
        .command('status')
        .description(
          'the traffic table: per color its image, weight, replicas and state, as the spec file says (rainbow does not ask the platform)',
        ),
    ),
    '[spec | --spec <file>] [--json]',
    'rainbow status --json',
  )
    .option('--json', 'print JSON for machines')
    .action((spec: string | undefined, o: { json?: boolean }, command: Command) => {
      done(load.status().statusCommand(io, specOf(command, spec), o.json === true));
    });

  documented(
    withEditFlags(
      withSpec(
        program.command('add').argument('<color>', "the new color's name").description('add a color at weight 0'),
      ),
    ),
    '<color> --image <image> [--replicas <n>] [spec | --spec <file>] [--dry-run] [--force]',
    'rainbow add green --image ghcr.io/acme/shop:1.6.0 --replicas 3',
    'rainbow add green --endpoint k8s-new-5678.elb.eu-west-1.amazonaws.com   # platform dns',
  )
    .option('--image <image>', 'the container image, the AMI on ec2 (required, except on platform dns)')
    .option('--replicas <n>', 'replicas (default 2)', wholeNumber)
    .option(
      '--endpoint <host>',
      "platform dns only, instead of --image: the color's endpoint, a hostname (or an alias target with --alias-zone)",
    )
    .option(
      '--alias-zone <id>',
      "platform dns: make --endpoint an alias target in this hosted zone (a load balancer's, such as Z32O12XQLNTSW2)",
    )
    .action(
      (
        color: string,
        spec: string | undefined,
        o: EditFlags & { image?: string; replicas?: number; endpoint?: string; aliasZone?: string },
        command: Command,
      ) => {
        const endpoint = o.endpoint === undefined ? undefined : { host: o.endpoint, aliasZoneId: o.aliasZone };
        edit(specOf(command, spec), 'add', o, (s) =>
          load.transitions().addColor(s, color, o.image, o.replicas, undefined, endpoint),
        );
      },
    );

  documented(
    withEditFlags(
      withSpec(
        program
          .command('shift')
          .argument('<color>', 'the color, by its name in the spec')
          .argument('<percent>', 'the new weight, 0 to 100, with or without a % after it', percentValue)
          .description("set a color's weight; the other colors above 0 share the rest in proportion"),
      ),
    ),
    '<color> <percent> [spec | --spec <file>] [--take-from <color>] [--dry-run] [--force]',
    'rainbow shift green 25',
    'rainbow shift green 50% --take-from blue',
  )
    .option('--take-from <color>', 'take the difference from this color only')
    .option(
      '--from <color>',
      'the older name of --take-from, still accepted; prefer --take-from (in plan, apply, synth, prune and preview, --from is a previous spec)',
    )
    .action(
      (
        color: string,
        percent: number,
        spec: string | undefined,
        o: EditFlags & { takeFrom?: string; from?: string },
        command: Command,
      ) => {
        if (o.takeFrom !== undefined && o.from !== undefined && o.takeFrom !== o.from) {
          command.error(`error: ${CLI_MESSAGES.takeFromTwice(o.takeFrom, o.from)}`, {
            exitCode: EXIT.usage,
            code: 'rainbow.takeFromTwice',
          });
        }
        const other = o.takeFrom ?? o.from;
        edit(specOf(command, spec), 'shift', o, (s) => {
          const result = load.transitions().shiftColor(s, color, percent, other);
          // The model names the option as scripts have long written it: say it as it was given.
          return 'refused' in result && result.refused.path === '--from' && o.takeFrom !== undefined
            ? { refused: { ...result.refused, path: '--take-from' } }
            : result;
        });
      },
    );

  for (const [name, description, example, transition] of [
    [
      'step',
      'move a color to the next of progression.steps',
      'rainbow step green',
      (s: RainbowSpec, color: string) => load.transitions().stepColor(s, color),
    ],
    [
      'promote',
      'all the traffic to a color',
      'rainbow promote green',
      (s: RainbowSpec, color: string) => load.transitions().promoteColor(s, color),
    ],
    [
      'drain',
      'no traffic to a color; the others share it',
      'rainbow drain blue',
      (s: RainbowSpec, color: string) => load.transitions().drainColor(s, color),
    ],
    [
      'retire',
      'retire a color at weight 0: its stack is then deployed empty',
      'rainbow retire blue',
      (s: RainbowSpec, color: string) => load.transitions().retireColor(s, color),
    ],
  ] as const) {
    documented(
      withEditFlags(
        withSpec(
          program.command(name).argument('<color>', 'the color, by its name in the spec').description(description),
        ),
      ),
      '<color> [spec | --spec <file>] [--dry-run] [--force]',
      example,
    ).action((color: string, spec: string | undefined, o: EditFlags, command: Command) => {
      edit(specOf(command, spec), name, o, (s) => transition(s, color));
    });
  }

  documented(
    withEditFlags(
      withSpec(
        program
          .command('set-image')
          .argument('<color>', 'the color, by its name in the spec')
          .argument('<image>', 'the new image: a version tag or a digest, the AMI on ec2')
          .description("set a color's image, checked as the spec's image field; the color then rolls to it"),
      ),
    ),
    '<color> <image> [spec | --spec <file>] [--dry-run] [--force]',
    'rainbow set-image green ghcr.io/acme/shop:1.6.1',
  ).action((color: string, image: string, spec: string | undefined, o: EditFlags, command: Command) => {
    edit(specOf(command, spec), 'set-image', o, (s) => load.transitions().setImage(s, color, image));
  });

  documented(
    withEditFlags(
      withSpec(
        program
          .command('scale')
          .argument('<color>', 'the color, by its name in the spec')
          .argument('<replicas>', 'the new number of replicas, 0 to 10000', wholeNumber)
          .description("set a color's replicas; a color left with too little capacity for its traffic is unsafe"),
      ),
    ),
    '<color> <replicas> [spec | --spec <file>] [--dry-run] [--force]',
    'rainbow scale green 4',
  ).action((color: string, replicas: number, spec: string | undefined, o: EditFlags, command: Command) => {
    edit(specOf(command, spec), 'scale', o, (s) => load.transitions().scaleColor(s, color, replicas));
  });

  documented(
    withEditFlags(
      withSpec(
        program
          .command('prune')
          .description('remove from the file the colors that were already retired in the previous spec'),
      ),
    ),
    '[spec | --spec <file>] [--from <ref>] [--dry-run] [--force]',
    'rainbow prune --from git:HEAD~1',
  )
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .action((spec: string | undefined, o: EditFlags & { from?: string }, command: Command) => {
      const file = specOf(command, spec);
      const previous = load.previousSpec().previousSpec(file, o.from);
      if ('problems' in previous) {
        done(reportProblems(io, previous.problems));
        return;
      }
      edit(file, 'prune', o, (s) => load.transitions().pruneColors(s, previous.spec));
    });

  documented(
    withFrom(
      withSpec(
        program
          .command('plan')
          .description('what deploying the spec changes, the safety verdict and the deploy phases; exit 1 when unsafe'),
      ),
    ),
    '[spec | --spec <file>] [--from <ref>] [--force] [--json]',
    'rainbow plan --from git:HEAD~1',
    'rainbow plan --json > plan.json',
  )
    .option('--json', 'print the plan as JSON for pipelines (docs/workflows.md, "plan --json")')
    .action((spec: string | undefined, o: { from?: string; force?: boolean; json?: boolean }, command: Command) => {
      done(load.plan().planCommand(io, specOf(command, spec), { ...o, color: load.table().useColor(process.stdout) }));
    });

  documented(
    withYes(
      withFrom(
        withSpec(
          program
            .command('apply')
            .description("deploy the plan's phases in order with cdktf deploy, stopping at the first failure"),
        ),
      ),
      'pass --auto-approve to cdktf deploy, which then deploys without asking',
    ),
    '[spec | --spec <file>] [--from <ref>] [-y | --yes | --auto-approve] [--force] [--parallelism <n>]',
    'rainbow apply --yes',
    'rainbow apply --parallelism 1',
  )
    .option(
      '--parallelism <n>',
      `stacks of a phase deployed at once (1 to ${MAX_PARALLELISM}; default: the CPU count); stacks with a migration always go one at a time`,
      parallelismValue,
    )
    .action(
      async (
        spec: string | undefined,
        o: YesFlags & { from?: string; force?: boolean; parallelism?: number },
        command: Command,
      ) => {
        done(
          await load.apply().applyCommand(io, specOf(command, spec), {
            from: o.from,
            force: o.force,
            parallelism: o.parallelism,
            autoApprove: approved(o),
            color: load.table().useColor(process.stdout),
          }),
        );
      },
    );

  documented(
    withSpec(
      program
        .command('preview')
        .description(
          'the deploy of the change, step by step: pods, traffic and capacity of each color per phase (estimated times); never refuses',
        ),
    ),
    '[spec | --spec <file>] [--from <ref>] [--json] [--svg <file>]',
    'rainbow preview --from git:HEAD~1',
    'rainbow preview --svg preview.svg',
  )
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .option('--json', 'print the simulation as JSON (docs/workflows.md, "preview --json")')
    .option('--svg <file>', 'also draw it as an SVG picture into this file')
    .action((spec: string | undefined, o: { from?: string; json?: boolean; svg?: string }, command: Command) => {
      done(
        load
          .preview()
          .previewCommand(io, specOf(command, spec), { ...o, color: load.table().useColor(process.stdout) }),
      );
    });

  documented(
    withEditFlags(
      withSpec(
        program
          .command('expire')
          .description(
            'retire every live color whose expires has passed and is at weight 0; exit 1 naming expired colors that still get traffic',
          ),
      ),
    ),
    '[spec | --spec <file>] [--now <iso>] [--dry-run] [--force]',
    'rainbow expire',
    'rainbow expire --now 2025-07-01T00:00:00Z',
  )
    .option(
      '--now <iso>',
      'judge expiries at this time instead of now: an ISO date or date-time, UTC when it names no zone',
    )
    .action((spec: string | undefined, o: EditFlags & { now?: string }, command: Command) => {
      done(load.expire().expireCommand(io, specOf(command, spec), o.now, o));
    });

  documented(
    withYes(
      withSpec(
        program
          .command('release')
          .argument('<color>', 'the color to release, by its name in the spec')
          .description(
            'move a color through progression.steps: each step deployed, then checked while it bakes; rolled back on a failed check, a failed deploy, Ctrl-C, SIGTERM or SIGHUP (exit 1), paused at a pause step or on inconclusive checks (exit 3), exit 4 when a rollback is not deployed',
          ),
      ),
      "pass --auto-approve to every cdktf deploy, the rollback's included",
    ),
    '<color> [spec | --spec <file>] [-y | --yes | --auto-approve] [--commit] [--dry-run] [--report <file>]',
    'rainbow release green --yes --commit',
    'rainbow release green --dry-run',
    'rainbow release green --yes --report release.json',
  )
    .option('--commit', 'git commit the spec after each deployed step, and after a deployed rollback')
    .option('--dry-run', "print each step's edit and deploys and run its checks once; write and deploy nothing")
    .option(
      '--report <file>',
      'write what the release did (every step, run and verdict) as JSON to this file; with $GITHUB_STEP_SUMMARY set, a summary goes there too',
    )
    .action(
      async (
        color: string,
        spec: string | undefined,
        o: YesFlags & { commit?: boolean; dryRun?: boolean; report?: string },
        command: Command,
      ) => {
        done(
          await load.release().releaseCommand(io, specOf(command, spec), color, {
            yes: approved(o),
            commit: o.commit,
            dryRun: o.dryRun,
            report: o.report,
            color: load.table().useColor(process.stdout),
          }),
        );
      },
    );

  documented(
    withYes(
      withSpec(
        program
          .command('rollback')
          .description(
            'all traffic back to one warm color (by default the one with the most traffic before the latest release), every other at 0, in one router deploy; exit 4 when it is written but not deployed',
          ),
      ),
      'pass --auto-approve to cdktf deploy',
    ),
    '[spec | --spec <file>] [--to <color>] [-y | --yes | --auto-approve] [--commit]',
    'rainbow rollback --yes',
    'rainbow rollback --to blue --yes --commit',
  )
    .option(
      '--to <color>',
      'the color that gets all the traffic (default: the one with the most traffic when the latest release started)',
    )
    .option('--commit', 'git commit the spec after the deploy')
    .action(async (spec: string | undefined, o: YesFlags & { to?: string; commit?: boolean }, command: Command) => {
      done(
        await load.rollback().rollbackCommand(io, specOf(command, spec), {
          to: o.to,
          yes: approved(o),
          commit: o.commit,
          color: load.table().useColor(process.stdout),
        }),
      );
    });

  documented(
    withYes(
      withSpec(
        program
          .command('destroy')
          .description(
            'tear the whole app down with cdktf destroy, every stack, the router first; asks for confirmation, and refuses while the spec sends the app traffic unless --force',
          ),
      ),
      'destroy without asking for confirmation (needed without a terminal)',
    ),
    '[spec | --spec <file>] [-y | --yes | --auto-approve] [--force] [--parallelism <n>]',
    'rainbow destroy --force',
    'rainbow destroy --yes --force',
  )
    .option('--force', 'destroy although the spec sends the app traffic (a spec always does: say you mean it)')
    .option(
      '--parallelism <n>',
      `color stacks destroyed at once (1 to ${MAX_PARALLELISM}; default: the CPU count)`,
      parallelismValue,
    )
    .action(
      async (spec: string | undefined, o: YesFlags & { force?: boolean; parallelism?: number }, command: Command) => {
        done(
          await load.destroy().destroyCommand(io, specOf(command, spec), {
            yes: approved(o),
            force: o.force,
            parallelism: o.parallelism,
            color: load.table().useColor(process.stdout),
          }),
        );
      },
    );

  documented(
    program
      .command('schema')
      .description('print the JSON Schema of the spec file, for completion and checks in editors'),
    '',
    'rainbow schema > rainbow.schema.json',
  ).action(() => {
    done(load.schema().schemaCommand(io));
  });

  for (const command of program.commands) command.exitOverride().allowExcessArguments(false);
  return program;
}

/** Runs the `rainbow` command with `argv` (without node and the script) and returns its exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = commandLine(io, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  // commander answers `help <unknown>` with the general help and exit 0, which hides a typo.
  if (argv[0] === 'help' && argv.length > 1 && !program.commands.some((c) => c.name() === argv[1])) {
    io.err(`error: unknown command '${shortText(argv[1], 40)}'; see rainbow help`);
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    return reportUnexpected(io, error);
  }
  return exitCode;
}

/** The `rainbow` process: runs the command with its arguments and ends with its exit code. */
export function main(): void {
  guardStandardStreams();
  // Whatever escapes the command (an error in an event handler) is still one line, exit 1.
  process.on('uncaughtException', (error) => {
    process.exitCode = reportUnexpected(processIo, error);
  });
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? EXIT.ok), code);
    // The command has returned: its child processes have ended and its files are written.
    exitWhenFlushed();
  });
}

// The built binary is a launcher that calls main() (scripts/bundle.js); this runs the compiled module directly.
if (require.main === module) main();

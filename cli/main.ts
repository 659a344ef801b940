#!/usr/bin/env node
// First: Node's compile cache must be on before the modules below are compiled.
import './compile-cache';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { shortText } from '../model/messages';
import { defaultSpecFile } from '../spec-file/spec-location';
import type { InitOptions } from './commands/init';
import { MAX_PARALLELISM } from './options';
import { EXIT, exitWhenFlushed, guardStandardStreams, Io, processIo, reportProblems, reportUnexpected } from './output';

// Each command's code loads when that command runs: `rainbow synth` loads none of the others'
// (the plan, the preview's drawing, the release's checks, the spec edits), a part of its start-up
// (bench/README.md, "Start-up").
/* eslint-disable @typescript-eslint/no-require-imports */
const load = {
  apply: () => require('./commands/apply') as typeof import('./commands/apply'),
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

/** Runs the `rainbow` command with `argv` (without node and the script) and returns its exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
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
  const withSpec = (command: Command) =>
    command.addOption(
      new Option('--spec <file>', 'the spec file, YAML or JSON').default(
        specFile,
        process.env.RAINBOW_SPEC === undefined || process.env.RAINBOW_SPEC === ''
          ? './rainbow.yaml, or $RAINBOW_SPEC when set'
          : `${specFile}, from $RAINBOW_SPEC`,
      ),
    );
  const withFrom = (command: Command) =>
    command
      .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
      .option('--force', 'go on although safety rules are broken (the output says so)');

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
      exitCode = load.init().initCommand(io, process.cwd(), o);
    });

  documented(
    withSpec(
      program
        .command('validate')
        .description(
          'check a spec file; print a one-line summary, or every problem as <file>:<line>:<col>: <path>: <message>',
        ),
    ),
    '[--spec <file>]',
    'rainbow validate --spec deploy/rainbow.yaml',
  ).action((o: { spec: string }) => {
    exitCode = load.validate().validateCommand(io, o.spec);
  });

  documented(
    withSpec(
      program
        .command('synth')
        .description(
          'validate, then write one Terraform stack per color and the router stack; nothing is written on any problem',
        ),
    ),
    '[--spec <file>] [--out <dir>] [--from <ref>] [--force]',
    'rainbow synth --out cdktf.out --from git:origin/main',
  )
    .option('--out <dir>', 'the output directory', 'cdktf.out')
    .option('--from <ref>', 'check the safety rules against this previous spec first: a file, or git:<ref>')
    .option('--force', 'go on although safety rules are broken (the output says so)')
    .action(async (o: { spec: string; out: string; from?: string; force?: boolean }) => {
      exitCode = await load.synth().synthCommand(io, o.spec, o.out, { from: o.from, force: o.force });
    });

  documented(
    withSpec(
      program.command('status').description('the traffic table: per color its image, weight, replicas and state'),
    ),
    '[--spec <file>] [--json]',
    'rainbow status --json',
  )
    .option('--json', 'print JSON for machines')
    .action((o: { spec: string; json?: boolean }) => {
      exitCode = load.status().statusCommand(io, o.spec, o.json === true);
    });

  documented(
    withSpec(program.command('add').argument('<color>').description('add a color at weight 0')),
    '<color> --image <image> [--replicas <n>] [--spec <file>]',
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
        o: { spec: string; image?: string; replicas?: number; endpoint?: string; aliasZone?: string },
      ) => {
        const endpoint = o.endpoint === undefined ? undefined : { host: o.endpoint, aliasZoneId: o.aliasZone };
        exitCode = load
          .edit()
          .editCommand(
            io,
            o.spec,
            (spec) => load.transitions().addColor(spec, color, o.image, o.replicas, undefined, endpoint),
            {},
            { purpose: 'rainbow add' },
          );
      },
    );

  documented(
    withSpec(
      program
        .command('shift')
        .argument('<color>')
        .argument('<percent>', 'the new weight, 0 to 100', wholeNumber)
        .description("set a color's weight; the other colors above 0 share the rest in proportion"),
    ),
    '<color> <percent> [--from <other>] [--spec <file>]',
    'rainbow shift green 25',
    'rainbow shift green 50 --from blue',
  )
    .option('--from <other>', 'take the difference from this color only')
    .action((color: string, percent: number, o: { spec: string; from?: string }) => {
      exitCode = load
        .edit()
        .editCommand(
          io,
          o.spec,
          (spec) => load.transitions().shiftColor(spec, color, percent, o.from),
          {},
          { purpose: 'rainbow shift' },
        );
    });

  documented(
    withSpec(program.command('step').argument('<color>').description('move a color to the next of progression.steps')),
    '<color> [--spec <file>]',
    'rainbow step green',
  ).action((color: string, o: { spec: string }) => {
    exitCode = load
      .edit()
      .editCommand(io, o.spec, (spec) => load.transitions().stepColor(spec, color), {}, { purpose: 'rainbow step' });
  });

  documented(
    withSpec(program.command('promote').argument('<color>').description('all the traffic to a color')),
    '<color> [--spec <file>]',
    'rainbow promote green',
  ).action((color: string, o: { spec: string }) => {
    exitCode = load
      .edit()
      .editCommand(
        io,
        o.spec,
        (spec) => load.transitions().promoteColor(spec, color),
        {},
        { purpose: 'rainbow promote' },
      );
  });

  documented(
    withSpec(program.command('drain').argument('<color>').description('no traffic to a color; the others share it')),
    '<color> [--spec <file>]',
    'rainbow drain blue',
  ).action((color: string, o: { spec: string }) => {
    exitCode = load
      .edit()
      .editCommand(io, o.spec, (spec) => load.transitions().drainColor(spec, color), {}, { purpose: 'rainbow drain' });
  });

  documented(
    withSpec(
      program
        .command('retire')
        .argument('<color>')
        .description('retire a color at weight 0: its stack is then deployed empty'),
    ),
    '<color> [--spec <file>]',
    'rainbow retire blue',
  ).action((color: string, o: { spec: string }) => {
    exitCode = load
      .edit()
      .editCommand(
        io,
        o.spec,
        (spec) => load.transitions().retireColor(spec, color),
        {},
        { purpose: 'rainbow retire' },
      );
  });

  documented(
    withSpec(
      program
        .command('prune')
        .description('remove from the file the colors that were already retired in the previous spec'),
    ),
    '[--from <ref>] [--spec <file>]',
    'rainbow prune --from git:HEAD~1',
  )
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .action((o: { spec: string; from?: string }) => {
      const previous = load.previousSpec().previousSpec(o.spec, o.from);
      if ('problems' in previous) {
        exitCode = reportProblems(io, previous.problems);
        return;
      }
      exitCode = load
        .edit()
        .editCommand(
          io,
          o.spec,
          (spec) => load.transitions().pruneColors(spec, previous.spec),
          {},
          { purpose: 'rainbow prune' },
        );
    });

  documented(
    withFrom(
      withSpec(
        program
          .command('plan')
          .description('what deploying the spec changes, the safety verdict and the deploy phases; exit 1 when unsafe'),
      ),
    ),
    '[--from <ref>] [--force] [--json] [--spec <file>]',
    'rainbow plan --from git:HEAD~1',
    'rainbow plan --json > plan.json',
  )
    .option('--json', 'print the plan as JSON for pipelines (docs/workflows.md, "plan --json")')
    .action((o: { spec: string; from?: string; force?: boolean; json?: boolean }) => {
      exitCode = load.plan().planCommand(io, o.spec, { ...o, color: load.table().useColor(process.stdout) });
    });

  documented(
    withFrom(
      withSpec(
        program
          .command('apply')
          .description("deploy the plan's phases in order with cdktf deploy, stopping at the first failure"),
      ),
    ),
    '[--from <ref>] [--auto-approve] [--force] [--parallelism <n>] [--spec <file>]',
    'rainbow apply --auto-approve',
    'rainbow apply --parallelism 1',
  )
    .option('--auto-approve', 'pass --auto-approve to cdktf deploy')
    .option(
      '--parallelism <n>',
      `stacks of a phase deployed at once (1 to ${MAX_PARALLELISM}; default: the CPU count); stacks with a migration always go one at a time`,
      parallelismValue,
    )
    .action(
      async (o: { spec: string; from?: string; force?: boolean; autoApprove?: boolean; parallelism?: number }) => {
        exitCode = await load.apply().applyCommand(io, o.spec, { ...o, color: load.table().useColor(process.stdout) });
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
    '[--from <ref>] [--json] [--svg <file>] [--spec <file>]',
    'rainbow preview --from git:HEAD~1',
    'rainbow preview --svg preview.svg',
  )
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .option('--json', 'print the simulation as JSON (docs/workflows.md, "preview --json")')
    .option('--svg <file>', 'also draw it as an SVG picture into this file')
    .action((o: { spec: string; from?: string; json?: boolean; svg?: string }) => {
      exitCode = load.preview().previewCommand(io, o.spec, { ...o, color: load.table().useColor(process.stdout) });
    });

  documented(
    withSpec(
      program
        .command('expire')
        .description(
          'retire every live color whose expires has passed and is at weight 0; exit 1 naming expired colors that still get traffic',
        ),
    ),
    '[--now <iso>] [--spec <file>]',
    'rainbow expire',
    'rainbow expire --now 2025-07-01T00:00:00Z',
  )
    .option(
      '--now <iso>',
      'judge expiries at this time instead of now: an ISO date or date-time, UTC when it names no zone',
    )
    .action((o: { spec: string; now?: string }) => {
      exitCode = load.expire().expireCommand(io, o.spec, o.now);
    });

  documented(
    withSpec(
      program
        .command('release')
        .argument('<color>')
        .description(
          'move a color through progression.steps: each step deployed, then checked while it bakes; rolled back on a failed check, a failed deploy, Ctrl-C, SIGTERM or SIGHUP (exit 1), paused at a pause step or on inconclusive checks (exit 3), exit 4 when a rollback is not deployed',
        ),
    ),
    '<color> [--spec <file>] [--yes] [--commit] [--dry-run] [--report <file>]',
    'rainbow release green --yes --commit',
    'rainbow release green --dry-run',
    'rainbow release green --yes --report release.json',
  )
    .option('--yes', "pass --auto-approve to every cdktf deploy, the rollback's included")
    .option('--commit', 'git commit the spec after each deployed step, and after a deployed rollback')
    .option('--dry-run', "print each step's edit and deploys and run its checks once; write and deploy nothing")
    .option(
      '--report <file>',
      'write what the release did (every step, run and verdict) as JSON to this file; with $GITHUB_STEP_SUMMARY set, a summary goes there too',
    )
    .action(
      async (
        color: string,
        o: { spec: string; yes?: boolean; commit?: boolean; dryRun?: boolean; report?: string },
      ) => {
        exitCode = await load.release().releaseCommand(io, o.spec, color, {
          yes: o.yes,
          commit: o.commit,
          dryRun: o.dryRun,
          report: o.report,
          color: load.table().useColor(process.stdout),
        });
      },
    );

  documented(
    withSpec(
      program
        .command('rollback')
        .description(
          'all traffic back to one warm color (by default the one with the most traffic before the latest release), every other at 0, in one router deploy; exit 4 when it is written but not deployed',
        ),
    ),
    '[--to <color>] [--spec <file>] [--yes] [--commit]',
    'rainbow rollback --yes',
    'rainbow rollback --to blue --yes --commit',
  )
    .option(
      '--to <color>',
      'the color that gets all the traffic (default: the one with the most traffic when the latest release started)',
    )
    .option('--yes', 'pass --auto-approve to cdktf deploy')
    .option('--commit', 'git commit the spec after the deploy')
    .action(async (o: { spec: string; to?: string; yes?: boolean; commit?: boolean }) => {
      exitCode = await load.rollback().rollbackCommand(io, o.spec, {
        to: o.to,
        yes: o.yes,
        commit: o.commit,
        color: load.table().useColor(process.stdout),
      });
    });

  documented(
    program
      .command('schema')
      .description('print the JSON Schema of the spec file, for completion and checks in editors'),
    '',
    'rainbow schema > rainbow.schema.json',
  ).action(() => {
    exitCode = load.schema().schemaCommand(io);
  });

  for (const command of program.commands) command.exitOverride().allowExcessArguments(false);

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
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? EXIT.ok), code);
    // The command has returned: its child processes have ended and its files are written.
    exitWhenFlushed();
  });
}

// The built binary is a launcher that calls main() (scripts/bundle.js); this runs the compiled module directly.
if (require.main === module) main();

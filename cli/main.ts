#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import {
  addColor, drainColor, promoteColor, pruneColors, retireColor, shiftColor, stepColor,
} from '../spec/transitions';
import { applyCommand } from './commands/apply';
import { editCommand } from './commands/edit';
import { planCommand } from './commands/plan';
import { schemaCommand } from './commands/schema';
import { statusCommand } from './commands/status';
import { synthCommand } from './commands/synth';
import { validateCommand } from './commands/validate';
import { EXIT, guardStandardStreams, Io, processIo, reportProblems, reportUnexpected } from './output';
import { previousSpec } from './previous-spec';

const DEFAULT_SPEC = './rainbow.yaml';

/** A whole number as typed, or the text itself so that the message can show what was received. */
function wholeNumber(value: string): number {
  return (/^-?\d+$/.test(value) ? Number(value) : value) as number;
}

/** Runs the `rainbow` command with `argv` (without node and the script) and returns its exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('rainbow')
    .description('Rolling updates, parallel color environments and weighted traffic between them, on CDK for Terraform.')
    .exitOverride()
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const withSpec = (command: Command) => command.option('--spec <file>', 'the spec file, YAML or JSON', DEFAULT_SPEC);
  const withFrom = (command: Command) => command
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .option('--force', 'go on although safety rules are broken (the output says so)');

  withSpec(program.command('validate').description('check a spec file; print a one-line summary, or every problem as <path>: <message>'))
    .action((o: { spec: string }) => { exitCode = validateCommand(io, o.spec); });

  withSpec(program.command('synth').description('validate, then write one Terraform stack per color and the router stack; nothing is written on any problem'))
    .option('--out <dir>', 'the output directory', 'cdktf.out')
    .option('--from <ref>', 'check the safety rules against this previous spec first: a file, or git:<ref>')
    .option('--force', 'go on although safety rules are broken (the output says so)')
    .action(async (o: { spec: string; out: string; from?: string; force?: boolean }) => {
      exitCode = await synthCommand(io, o.spec, o.out, { from: o.from, force: o.force });
    });

  withSpec(program.command('status').description('the traffic table: per color its image, weight, replicas and state'))
    .option('--json', 'print JSON for machines')
    .action((o: { spec: string; json?: boolean }) => { exitCode = statusCommand(io, o.spec, o.json === true); });

  withSpec(program.command('add').argument('<color>').description('add a color at weight 0'))
    .requiredOption('--image <image>', 'the container image')
    .option('--replicas <n>', 'replicas (default 2)', wholeNumber)
    .action((color: string, o: { spec: string; image: string; replicas?: number }) => {
      exitCode = editCommand(io, o.spec, (spec) => addColor(spec, color, o.image, o.replicas));
    });

  withSpec(program.command('shift').argument('<color>').argument('<percent>', 'the new weight, 0 to 100', wholeNumber)
    .description('set a color\'s weight; the other colors above 0 share the rest in proportion'))
    .option('--from <other>', 'take the difference from this color only')
    .action((color: string, percent: number, o: { spec: string; from?: string }) => {
      exitCode = editCommand(io, o.spec, (spec) => shiftColor(spec, color, percent, o.from));
    });

  withSpec(program.command('step').argument('<color>').description('move a color to the next of progression.steps'))
    .action((color: string, o: { spec: string }) => { exitCode = editCommand(io, o.spec, (spec) => stepColor(spec, color)); });

  withSpec(program.command('promote').argument('<color>').description('all the traffic to a color'))
    .action((color: string, o: { spec: string }) => { exitCode = editCommand(io, o.spec, (spec) => promoteColor(spec, color)); });

  withSpec(program.command('drain').argument('<color>').description('no traffic to a color; the others share it'))
    .action((color: string, o: { spec: string }) => { exitCode = editCommand(io, o.spec, (spec) => drainColor(spec, color)); });

  withSpec(program.command('retire').argument('<color>').description('retire a color at weight 0: its stack is then deployed empty'))
    .action((color: string, o: { spec: string }) => { exitCode = editCommand(io, o.spec, (spec) => retireColor(spec, color)); });

  withSpec(program.command('prune').description('remove from the file the colors that were already retired in the previous spec'))
    .option('--from <ref>', 'the previous spec: a file, or git:<ref> (default: the spec file at git HEAD)')
    .action((o: { spec: string; from?: string }) => {
      const previous = previousSpec(o.spec, o.from);
      if ('problems' in previous) {
        exitCode = reportProblems(io, previous.problems);
        return;
      }
      exitCode = editCommand(io, o.spec, (spec) => pruneColors(spec, previous.spec));
    });

  withFrom(withSpec(program.command('plan').description('what deploying the spec changes, the safety verdict and the deploy phases; exit 1 when unsafe')))
    .action((o: { spec: string; from?: string; force?: boolean }) => { exitCode = planCommand(io, o.spec, o); });

  withFrom(withSpec(program.command('apply').description('deploy the plan\'s phases in order with cdktf deploy, stopping at the first failure')))
    .option('--auto-approve', 'pass --auto-approve to cdktf deploy')
    .action((o: { spec: string; from?: string; force?: boolean; autoApprove?: boolean }) => { exitCode = applyCommand(io, o.spec, o); });

  // editor support (issue #13): the JSON Schema of the spec file
  program.command('schema').description('print the JSON Schema of the spec file, for completion and checks in editors')
    .addHelpText('after', '\nExample:\n  rainbow schema > rainbow.schema.json')
    .action(() => { exitCode = schemaCommand(io); });

  for (const command of program.commands) command.exitOverride().allowExcessArguments(false);

  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    return reportUnexpected(io, error);
  }
  return exitCode;
}

if (require.main === module) {
  guardStandardStreams();
  // Whatever escapes the command (an error in an event handler) is still one line, exit 1.
  process.on('uncaughtException', (error) => {
    process.exitCode = reportUnexpected(processIo, error);
  });
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = Math.max(Number(process.exitCode ?? EXIT.ok), code);
  });
}

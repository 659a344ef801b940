#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { synthCommand } from './commands/synth';
import { validateCommand } from './commands/validate';
import { EXIT, Io, processIo } from './output';

const DEFAULT_SPEC = './rainbow.yaml';

/** Runs the `rainbow` command with `argv` (without node and the script) and returns its exit code. */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('rainbow')
    .description('Rolling updates, parallel color environments and weighted traffic between them, on CDK for Terraform.')
    .exitOverride()
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });

  program
    .command('validate')
    .description('check a spec file; print a one-line summary, or every problem as <path>: <message>')
    .option('--spec <file>', 'the spec file, YAML or JSON', DEFAULT_SPEC)
    .action((options: { spec: string }) => {
      exitCode = validateCommand(io, options.spec);
    });

  program
    .command('synth')
    .description('validate, then write one Terraform stack per color and the router stack; nothing is written on any problem')
    .option('--spec <file>', 'the spec file, YAML or JSON', DEFAULT_SPEC)
    .option('--out <dir>', 'the output directory', 'cdktf.out')
    .action(async (options: { spec: string; out: string }) => {
      exitCode = await synthCommand(io, options.spec, options.out);
    });

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
    const message = error instanceof Error ? error.message : String(error);
    io.err(`rainbow: ${message.split('\n')[0]}`);
    if (process.env.RAINBOW_DEBUG !== undefined && error instanceof Error && error.stack !== undefined) io.err(error.stack);
    return EXIT.invalid;
  }
  return exitCode;
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

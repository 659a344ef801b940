import { CommanderError } from 'commander';
import { commandLine } from '../../cli/main';
import { EXIT } from '../../cli/output';
import { Ran } from '../fixtures/in-process';
import { CommandLine, commandLinesOf, docFences, fencesOf, rainbowArguments, shellCommands } from './fences';

/** A `rainbow` command of the docs: where it is, and its arguments. */
interface DocCommand extends CommandLine {
  readonly argv: string[];
}

/**
 * The `rainbow` commands of `lines`; a line that runs no `rainbow` is not split (it may hold placeholders such as
 * `<the ALB's ARN>`).
 */
function rainbowCommands(lines: readonly CommandLine[]): DocCommand[] {
  return lines.flatMap((line) =>
    (/(^|[\s/;&|])rainbow(\s|$)/.test(line.text) ? shellCommands(line.text) : []).flatMap((words) => {
      const argv = rainbowArguments(words);
      return argv === undefined ? [] : [{ ...line, argv }];
    }),
  );
}

/**
 * Parses `argv` with the `rainbow` command line (cli/main.ts `commandLine`), and runs nothing:
 * commander calls a command's action only once it has checked the command, its arguments and
 * every option (unknown ones, missing values, choices, the argument parsers), so each command's
 * action is replaced, through commander's own `action()`, by one that records its name.
 */
async function parseOnly(argv: readonly string[]): Promise<Ran & { ran: string[] }> {
  const ran: string[] = [];
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = commandLine({ out: (l) => stdout.push(`${l}\n`), err: (l) => stderr.push(`${l}\n`) }, () => {
    throw new Error('a command ran');
  });
  for (const command of program.commands) command.action(() => void ran.push(command.name()));
  let code: number = EXIT.ok;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  return { code, stdout: stdout.join(''), stderr: stderr.join(''), ran };
}

describe('the rainbow command lines of the docs', () => {
  const commands = rainbowCommands(docFences().flatMap(commandLinesOf));

  it('finds them in shell blocks, after a $ prompt, and in the workflows’ run steps', () => {
    const found = commands.map((c) => `${c.file}: ${c.argv.join(' ')}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'README.md: init --app shop --platform kubernetes',
        'docs/getting-started.md: validate',
        'docs/workflows.md: preview --spec examples/kubernetes-gateway/rainbow.yaml --from docs/images/preview-previous.yaml',
        'docs/workflows.md: apply --from git:github.event.before --auto-approve',
        'docs/workflows.md: plan --from git:origin/github.base_ref --json',
        'docs/workflows.md: release $COLOR --yes --commit --report release-report.json',
      ]),
    );
    expect(commands.length).toBeGreaterThan(40);
  });

  it('parses every one of them with the CLI’s own parser, without running it', async () => {
    const refused: string[] = [];
    for (const command of commands) {
      const { code, stderr, ran } = await parseOnly(command.argv);
      // `rainbow help plan` and `rainbow plan --help` print and reach no command.
      const informational =
        command.argv[0] === 'help' || command.argv.some((a) => ['--help', '-h', '--version', '-V'].includes(a));
      if (code !== 0 || stderr !== '' || ran.length !== (informational ? 0 : 1))
        refused.push(`${command.file}:${command.line}: rainbow ${command.argv.join(' ')}: exit ${code}: ${stderr}`);
    }
    expect(refused).toEqual([]);
  });
});

describe('parsing a command line without running it', () => {
  it('reaches the command with its arguments checked, and runs nothing', async () => {
    expect(await parseOnly(['apply', '--parallelism', '2', '--auto-approve'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
      ran: ['apply'],
    });
  });

  it('fails on an unknown option, as rainbow does', async () => {
    expect(await parseOnly(['plan', '--frm', 'git:HEAD~1'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: unknown option '--frm'\n(Did you mean --from?)\n",
      ran: [],
    });
  });

  it('fails on a missing argument and on a value its parser refuses', async () => {
    expect(await parseOnly(['release'])).toMatchObject({
      code: 2,
      stderr: "error: missing required argument 'color'\n",
      ran: [],
    });
    expect(await parseOnly(['apply', '--parallelism', '0'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /^error: option '--parallelism <n>' argument '0' is invalid\. expected a whole number/,
      ),
      ran: [],
    });
  });
});

describe('finding the command lines of a page', () => {
  const page = [
    '# A page',
    '',
    '```sh',
    'npx rainbow validate && npx rainbow plan   # against HEAD',
    '# a comment',
    'git commit -am "add green"',
    'rainbow add green \\',
    '  --image ghcr.io/acme/shop:2.1.0',
    '```',
    '',
    '```text',
    '$ rainbow status',
    'red   100%',
    '```',
    '',
    '1. A list item:',
    '   ```yaml',
    '   on: push',
    '   jobs:',
    '     deploy:',
    '       runs-on: ubuntu-latest',
    '       steps:',
    '         - run: exec node_modules/.bin/rainbow release "$COLOR" --yes > out.txt 2>&1',
    '         - run: |',
    '             CHECKPOINT_DISABLE=1 npx rainbow apply --from git:${{ github.event.before }}',
    '   ```',
  ].join('\n');

  it('takes every line of a shell block, the $ lines of others, and the run lines of a workflow', () => {
    const lines = fencesOf('page.md', page).flatMap(commandLinesOf);
    expect(lines).toEqual([
      { file: 'page.md', line: 4, text: 'npx rainbow validate && npx rainbow plan   # against HEAD' },
      { file: 'page.md', line: 6, text: 'git commit -am "add green"' },
      { file: 'page.md', line: 7, text: 'rainbow add green --image ghcr.io/acme/shop:2.1.0' },
      { file: 'page.md', line: 12, text: 'rainbow status' },
      {
        file: 'page.md',
        line: 23,
        text: 'exec node_modules/.bin/rainbow release "$COLOR" --yes > out.txt 2>&1',
      },
      {
        file: 'page.md',
        line: 25,
        text: 'CHECKPOINT_DISABLE=1 npx rainbow apply --from git:${{ github.event.before }}',
      },
    ]);
    expect(rainbowCommands(lines).map((c) => c.argv)).toEqual([
      ['validate'],
      ['plan'],
      ['add', 'green', '--image', 'ghcr.io/acme/shop:2.1.0'],
      ['status'],
      ['release', '$COLOR', '--yes'],
      ['apply', '--from', 'git:github.event.before'],
    ]);
  });

  it('splits a shell line as the shell does: quotes, operators, redirections and comments', () => {
    expect(shellCommands(`a 'b c' "d \\"e\\"" f\\ g; h | i || j & k 2>/dev/null >> log # c`)).toEqual([
      ['a', 'b c', 'd "e"', 'f g'],
      ['h'],
      ['i'],
      ['j'],
      ['k'],
    ]);
    expect(() => shellCommands('echo "open')).toThrow('an unclosed " in: echo "open');
  });

  it('fails on a fence that is never closed', () => {
    expect(() => fencesOf('page.md', 'text\n```sh\nrainbow status\n')).toThrow(
      'page.md:2: a code fence that is never closed',
    );
  });
});

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { commandLine } from '../../cli/main';

const ROOT = resolve(__dirname, '..', '..');

/** The rows of the README's command table ("The command"), each as its text. */
function tableRows(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## The command\n'));
  const body = section.slice(0, section.indexOf('\n## ', 1));
  return body.split('\n').filter((line) => line.startsWith('| `rainbow '));
}

/** The rows whose first cell shows `rainbow <name>`. */
function rowsOf(rows: readonly string[], name: string): string[] {
  const shown = new RegExp(`\`rainbow ${name.replace(/-/g, '\\-')}[\` ]`);
  return rows.filter((row) => shown.test(row.split(' | ')[0]));
}

/** Whether `flag` (`--yes`, `-y`) stands in `text` as a flag, not as part of a longer one. */
function mentions(text: string, flag: string): boolean {
  return new RegExp(`(^|[^\\w-])${flag.replace(/-/g, '\\-')}($|[^\\w-])`).test(text);
}

/** How the README writes an argument: `<color>` when required, `SPEC` for an optional one. */
const argumentText = (name: string, required: boolean) => (required ? `<${name}>` : name.toUpperCase());

const program = commandLine({ out: () => undefined, err: () => undefined }, () => undefined);
const rows = tableRows();
const commands = program.commands.map((c: Command) => [c.name(), c] as const);

describe("the README's command table", () => {
  it('has rows to read', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it.each(commands)('lists %s with every argument and option of the parser', (name, command) => {
    const text = rowsOf(rows, name).join('\n');
    expect({ name, listed: text !== '' }).toEqual({ name, listed: true });
    const missing = [
      ...command.registeredArguments.map((a) => argumentText(a.name(), a.required)).filter((a) => !text.includes(a)),
      ...command.options
        .flatMap((o: Option) => [o.long, o.short])
        .filter((f): f is string => f !== undefined && !mentions(text, f)),
    ];
    expect({ name, missing }).toEqual({ name, missing: [] });
  });

  it('lists help and the options of rainbow itself', () => {
    expect(rowsOf(rows, 'help')).toHaveLength(1);
    const text = rows.join('\n');
    const missing = program.options
      .flatMap((o: Option) => [o.long, o.short])
      .filter((f): f is string => f !== undefined && !mentions(text, f));
    expect(missing).toEqual([]);
  });

  it('lists no command that the parser does not have', () => {
    const names = new Set([...commands.map(([name]) => name), 'help']);
    const listed = rows
      .map((row) => /^\| `rainbow ([a-z-]+)/.exec(row)?.[1])
      .filter((n): n is string => n !== undefined && !n.startsWith('-'));
    expect(listed.filter((n) => !names.has(n))).toEqual([]);
  });
});

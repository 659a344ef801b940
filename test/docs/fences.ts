import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LineCounter, parseDocument, Scalar, YAMLMap, YAMLSeq } from 'yaml';

export const ROOT = resolve(__dirname, '..', '..');

/** The pages a reader copies from: the README and docs/*.md, as paths from the repository root. */
export function docFiles(): string[] {
  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...pages];
}

/** A fenced code block of a Markdown page. */
export interface Fence {
  readonly file: string;
  /** The line of its first content line, 1-based. */
  readonly line: number;
  /** What follows the opening backticks: `sh`, `yaml`, `text`, or empty. */
  readonly lang: string;
  /** Its lines, less the indentation of the fence (a fence inside a list item is indented). */
  readonly lines: string[];
}

/** The fenced code blocks of `text`, the page `file`. */
export function fencesOf(file: string, text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { indent: number; ticks: string; lang: string; line: number; lines: string[] } | undefined;
  text.split('\n').forEach((raw, i) => {
    const marker = /^( *)(`{3,})\s*(\S*)\s*$/.exec(raw);
    if (open === undefined) {
      if (marker !== null)
        open = { indent: marker[1].length, ticks: marker[2], lang: marker[3], line: i + 2, lines: [] };
    } else if (marker !== null && marker[2].length >= open.ticks.length && marker[3] === '') {
      fences.push({ file, line: open.line, lang: open.lang, lines: open.lines });
      open = undefined;
    } else {
      const indent = /^ */.exec(raw)![0].length;
      open.lines.push(raw.slice(Math.min(indent, open.indent)));
    }
  });
  if (open !== undefined) throw new Error(`${file}:${open.line - 1}: a code fence that is never closed`);
  return fences;
}

/** Every fenced block of every page. */
export function docFences(): Fence[] {
  return docFiles().flatMap((file) => fencesOf(file, readFileSync(join(ROOT, file), 'utf8')));
}

/** A YAML block that is a whole GitHub Actions workflow: it has `on:` and `jobs:` at the top. */
export function isWorkflow(fence: Fence): boolean {
  const text = fence.lines.join('\n');
  return ['yaml', 'yml'].includes(fence.lang) && /^on:/m.test(text) && /^jobs:/m.test(text);
}

/** A line of a page that runs commands: where it is, and its text. */
export interface CommandLine {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * The command lines of a page's fences: every line of a shell block (`sh`, `bash`, `shell`,
 * `console`), the lines after a `$ ` prompt in any other block, and every line of each `run:` of
 * a workflow's steps. Comments and blank lines are left out; a line ending in `\` goes on.
 */
export function commandLinesOf(fence: Fence): CommandLine[] {
  if (isWorkflow(fence)) return workflowRunLines(fence);
  const shell = ['sh', 'bash', 'shell', 'console'].includes(fence.lang);
  const lines: CommandLine[] = [];
  let pending: CommandLine | undefined;
  fence.lines.forEach((raw, i) => {
    const prompt = /^\$ (.*)$/.exec(raw);
    const text = pending !== undefined ? raw : prompt !== null ? prompt[1] : shell ? raw : undefined;
    if (text === undefined) return;
    const joined = pending === undefined ? text : `${pending.text} ${text.trim()}`;
    const line = pending?.line ?? fence.line + i;
    if (joined.endsWith('\\')) {
      pending = { file: fence.file, line, text: joined.slice(0, -1).trimEnd() };
      return;
    }
    pending = undefined;
    if (joined.trim() !== '' && !joined.trim().startsWith('#')) lines.push({ file: fence.file, line, text: joined });
  });
  return lines;
}

/** The lines of every step's `run:` in a workflow, each at its line in the page. */
function workflowRunLines(fence: Fence): CommandLine[] {
  const lineCounter = new LineCounter();
  const workflow = parseDocument(fence.lines.join('\n'), { lineCounter });
  const lines: CommandLine[] = [];
  const jobs = workflow.get('jobs') as YAMLMap<Scalar<string>, YAMLMap>;
  for (const job of jobs.items) {
    const steps = job.value?.get('steps') as YAMLSeq<YAMLMap> | undefined;
    for (const step of steps?.items ?? []) {
      const run = step.get('run', true) as Scalar<string> | undefined;
      if (run === undefined) continue;
      // A block scalar (`run: |`) starts on the line after its indicator.
      const block = run.type === Scalar.BLOCK_LITERAL || run.type === Scalar.BLOCK_FOLDED;
      const first = lineCounter.linePos(run.range![0]).line + (block ? 1 : 0);
      run.value.split('\n').forEach((text, i) => {
        if (text.trim() !== '' && !text.trim().startsWith('#'))
          lines.push({ file: fence.file, line: fence.line + first - 1 + i, text });
      });
    }
  }
  return lines;
}

/**
 * The simple commands of a shell line, each as the words the shell would pass: quotes removed,
 * `&&`, `||`, `|`, `;` and `&` between commands, redirections (`> plan.json`, `2>&1`) and
 * comments left out. A GitHub expression (`${{ github.base_ref }}`) stands for one word, its
 * name. Variables stay as written (`$COLOR`): the docs' commands are parsed, not run.
 */
export function shellCommands(line: string): string[][] {
  const source = line.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expression: string) => expression.replace(/\s+/g, ''));
  const commands: string[][] = [[]];
  let word: string | undefined;
  let redirected = false;
  const endWord = () => {
    if (word === undefined) return;
    if (redirected) redirected = false;
    else commands[commands.length - 1].push(word);
    word = undefined;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "'" || c === '"') {
      // Inside double quotes a backslash escapes the next character; inside single quotes nothing does.
      let close = i + 1;
      while (close < source.length && source[close] !== c) close += c === '"' && source[close] === '\\' ? 2 : 1;
      if (close >= source.length) throw new Error(`an unclosed ${c} in: ${line}`);
      const quoted = source.slice(i + 1, close);
      word = (word ?? '') + (c === '"' ? quoted.replace(/\\(["\\$`])/g, '$1') : quoted);
      i = close;
    } else if (c === '\\') {
      word = (word ?? '') + (source[i + 1] ?? '');
      i++;
    } else if (/\s/.test(c)) {
      endWord();
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === '|' || c === '&' || c === ';') {
      endWord();
      commands.push([]);
      if (source[i + 1] === c) i++;
    } else if (c === '>' || c === '<') {
      // `2>`: the digit is the file descriptor, not a word.
      if (word !== undefined && /^\d$/.test(word)) word = undefined;
      else endWord();
      if (source[i + 1] === '>') i++;
      if (source[i + 1] === '&') i += 1 + (/^\d+/.exec(source.slice(i + 2))?.[0].length ?? 0);
      else redirected = true;
    } else {
      word = (word ?? '') + c;
    }
  }
  endWord();
  return commands.filter((command) => command.length > 0);
}

/**
 * The arguments of a `rainbow` command among `words`, or undefined when they run something else:
 * `rainbow`, `npx rainbow`, `node_modules/.bin/rainbow`, after `exec` and `NAME=value` settings.
 */
export function rainbowArguments(words: readonly string[]): string[] | undefined {
  let i = 0;
  while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]) || words[i] === 'exec')) i++;
  if (words[i] === 'npx') i++;
  const program = words[i];
  return program === 'rainbow' || program?.endsWith('/rainbow') ? words.slice(i + 1) : undefined;
}

import type { Tree } from '@lezer/common';
import { FIELDS } from '../model/fields';
import { Problem } from '../model/problem';
import { checkLists, PLACEHOLDERS, unknownPlaceholder } from '../model/release';
import { codePointName, quoteText } from '../model/text';
import { PROMQL_MESSAGES as M } from './messages';

/**
 * The PromQL of a spec's Prometheus checks, parsed by `validate`: a query that does not parse is
 * refused with the line and column of the query where it stops parsing, and what was found there.
 *
 * The grammar is Prometheus's own, `@prometheus-io/lezer-promql` (the one its web UI uses), and
 * it checks syntax only: a type error (`rate(x)`, which needs a range) or a function that only a
 * feature flag of the server turns on is the server's to refuse, when the check runs. The rules
 * the grammar leaves to Prometheus's lexer are checked here too: a string must be closed, and
 * its escapes must be Go's (`"a\.b"` is refused; a regular expression writes `"a\\.b"`); and
 * outside strings the only spaces are the space, the tab and line breaks (not a no-break space).
 *
 * The placeholders (`{{color}}`, ...: model/release.ts) are part of the text as written. Inside
 * quotes they are a label value as they stand; outside quotes each is parsed as a name or, for
 * `{{weight}}`, a number of the same length, so every offset, and so every reported column, is
 * one of the text the user wrote.
 */

type LezerPromql = typeof import('@prometheus-io/lezer-promql');
let grammar: LezerPromql['parser'] | undefined;

/**
 * The parser, loaded with the first query: a spec without one, and every command that reads no spec, never loads it.
 */
function parser(): LezerPromql['parser'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  grammar ??= (require('@prometheus-io/lezer-promql') as LezerPromql).parser;
  return grammar;
}

const asObject = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * A syntax error in the query of each Prometheus check of a parsed spec document
 * (`progression.checks` and the hook lists), one at most per query, at the query's path. A query
 * its own field rule refuses (not a string, blank, too long) or that holds an unknown placeholder
 * is left to those rules.
 */
export function promqlProblems(doc: unknown): Problem[] {
  const progression = asObject(asObject(doc)?.progression);
  if (progression === undefined) return [];
  const problems: Problem[] = [];
  for (const [listPath, list] of checkLists(progression)) {
    list.forEach((check, i) => {
      const query = asObject(asObject(check)?.prometheus)?.query;
      if (!FIELDS.promql.test(query) || unknownPlaceholder(query as string) !== undefined) return;
      const message = promqlSyntaxError(query as string);
      if (message !== undefined) problems.push({ path: `${listPath}[${i}].prometheus.query`, message });
    });
  }
  return problems;
}

/** The first syntax error of a PromQL query, placeholders and all, as a message; undefined when it parses. */
export function promqlSyntaxError(query: string): string | undefined {
  const lexed = lex(query);
  const tree = parser().parse(parsedText(query, lexed.tokens));
  const error = firstError(tree);
  const found =
    lexed.problem !== undefined && (error === undefined || lexed.problem.at <= error) ? lexed.problem : undefined;
  if (found !== undefined) return at(query, found.at, found.what);
  if (error === undefined || isDepthGuard(query, lexed.tokens, error)) return undefined;
  return describeError(query, lexed.tokens, tree, error);
}

const OPERATORS = new Set('+ - * / % ^ == != > < >= <= and or unless atan2'.split(' '));

/**
 * Whether an error may be the parser's guard against trees too deep to walk rather than the
 * query's: @lezer/lr stops a left-associative chain after 300 reductions that each span 2000
 * characters or more (two per operator), so a sum of some 200 rates fails near its end. Such a
 * query, valid or not, is left to Prometheus.
 */
function isDepthGuard(query: string, tokens: readonly Token[], error: number): boolean {
  if (error < 2000) return false;
  let operators = 0;
  for (const t of tokens) if (t.to - t.from <= 6 && OPERATORS.has(query.slice(t.from, t.to))) operators++;
  return operators >= 150;
}

/** One token of the query as written: a placeholder outside quotes is one token, a quoted string is one. */
interface Token {
  readonly from: number;
  readonly to: number;
  readonly kind: 'word' | 'string' | 'placeholder' | 'symbol';
}

const PLACEHOLDER = new RegExp(`^\\{\\{(${PLACEHOLDERS.join('|')})\\}\\}`);
const WORD = /^[A-Za-z0-9_:.]+/;
const TWO_CHAR = new Set(['==', '!=', '>=', '<=', '=~', '!~']);

/**
 * The tokens of a query, for words about an error and for the brackets that are open, and the
 * first string that is not closed or holds an escape Prometheus's lexer refuses.
 */
function lex(text: string): { tokens: Token[]; problem?: Flaw } {
  const tokens: Token[] = [];
  let problem: Flaw | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#') while (i < text.length && text[i] !== '\n') i++;
    else if (c === '"' || c === "'" || c === '`') {
      const string = lexString(text, i);
      problem ??= string.problem;
      tokens.push({ from: i, to: string.end, kind: 'string' });
      i = string.end;
    } else {
      const rest = text.slice(i, i + 20);
      const placeholder = PLACEHOLDER.exec(rest);
      const word = WORD.exec(text.slice(i, i + 200));
      const char = String.fromCodePoint(text.codePointAt(i)!);
      const length = placeholder?.[0].length ?? word?.[0].length ?? (TWO_CHAR.has(rest.slice(0, 2)) ? 2 : char.length);
      const kind = placeholder !== null ? 'placeholder' : word !== null ? 'word' : 'symbol';
      if (/\s/.test(char))
        problem ??= { at: i, what: M.otherSpace(quoteText(char), codePointName(char.codePointAt(0)!)) };
      // A word longer than 200 characters goes on as the next token: only its first characters are ever shown.
      tokens.push({ from: i, to: i + length, kind });
      i += length;
    }
  }
  return { tokens, problem };
}

/** A place in the query and what is wrong there. */
interface Flaw {
  readonly at: number;
  readonly what: string;
}

/**
 * Where a string that starts at `from` ends, and the first reason Prometheus's lexer, which
 * follows Go's escapes, refuses it: not closed (a string in quotes ends at the line's end), or an
 * escape it does not know.
 */
function lexString(text: string, from: number): { end: number; problem?: Flaw } {
  const quote = text[from];
  const unclosed = { at: from, what: M.stringNotClosed(quote) };
  if (quote === '`') {
    const close = text.indexOf('`', from + 1);
    return close < 0 ? { end: text.length, problem: unclosed } : { end: close + 1 };
  }
  let problem: Flaw | undefined;
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i];
    if (c === quote) return { end: i + 1, problem };
    if (c === '\n') return { end: i, problem: problem ?? unclosed };
    // A backslash last on its line leaves the string open.
    if (c !== '\\' || i + 1 === text.length || text[i + 1] === '\n') continue;
    const length = escapeLength(text, i, quote);
    if (length === undefined) problem ??= { at: i, what: M.unknownEscape(refusedEscape(text, i)) };
    else i += length - 1;
  }
  return { end: text.length, problem: problem ?? unclosed };
}

const DIGITS = { x: [2, 16, 0xff], u: [4, 16, 0x10ffff], U: [8, 16, 0x10ffff] } as Record<string, number[]>;

/** The length of the escape at `i` (a backslash, not last on its line), or undefined when Prometheus refuses it. */
function escapeLength(text: string, i: number, quote: string): number | undefined {
  const next = text[i + 1];
  if ('abfnrtv\\'.includes(next) || next === quote) return 2;
  const [count, base, max] = /[0-7]/.test(next) ? [3, 8, 0xff] : (DIGITS[next] ?? []);
  if (count === undefined) return undefined;
  const start = /[0-7]/.test(next) ? i + 1 : i + 2;
  const digits = text.slice(start, start + count);
  const valid = base === 8 ? /^[0-7]+$/ : /^[0-9a-fA-F]+$/;
  if (digits.length !== count || !valid.test(digits)) return undefined;
  const value = parseInt(digits, base);
  if (value > max || (value >= 0xd800 && value < 0xe000)) return undefined;
  return start + count - i;
}

/**
 * A refused escape as shown: the backslash, its letter and the digits that follow it, if any (`\\q`, `\\x4`, `\\777`).
 */
function refusedEscape(text: string, i: number): string {
  const next = text[i + 1];
  const octal = /[0-7]/.test(next);
  const count = octal ? 2 : (DIGITS[next]?.[0] ?? 0);
  const start = i + 2;
  let end = start;
  while (end < start + count && (octal ? /[0-7]/ : /[0-9a-fA-F]/).test(text[end] ?? '')) end++;
  return text.slice(i, end);
}

/**
 * Functions of Prometheus 2 that the grammar (Prometheus 3's) no longer has: `holt_winters`,
 * renamed `double_exponential_smoothing` in 3.0 (https://prometheus.io/docs/prometheus/latest/migration/).
 * A server of either version may be the one a check asks, so a call of one is parsed as a call of
 * `sum` (as many arguments are fine to the grammar); the server judges the name when the check runs.
 */
const LEGACY_FUNCTIONS = new Set(['holt_winters']);

/**
 * The text the grammar parses: the query, each placeholder outside quotes replaced by a name
 * (`aaaaaaaaa`) or, for `{{weight}}`, a number (`1111111111`) of its own length, and the name of
 * a legacy function by `sum` and spaces to its length, so that every offset stays the query's.
 */
function parsedText(query: string, tokens: readonly Token[]): string {
  let out = '';
  let done = 0;
  tokens.forEach((token, i) => {
    let filler: string | undefined;
    if (token.kind === 'placeholder')
      filler = (query.startsWith('{{weight}}', token.from) ? '1' : 'a').repeat(token.to - token.from);
    else if (
      token.kind === 'word' &&
      LEGACY_FUNCTIONS.has(query.slice(token.from, token.to)) &&
      query.slice(tokens[i + 1]?.from ?? token.to, tokens[i + 1]?.to ?? token.to) === '('
    )
      filler = 'sum'.padEnd(token.to - token.from, ' ');
    if (filler === undefined) return;
    out += query.slice(done, token.from) + filler;
    done = token.to;
  });
  return out + query.slice(done);
}

/** Where the first error node of the tree starts; undefined when there is none. */
function firstError(tree: Tree): number | undefined {
  let first: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (first !== undefined) return false;
      if (node.type.isError) first = node.from;
      return undefined;
    },
  });
  return first;
}

const OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const MATCH_OPS = new Set(['EqlSingle', 'EqlRegex', 'Neq', 'NeqRegex']);
const BINARY_OPS = new Set('Add Sub Mul Div Mod Pow Eql Neq Lss Lte Gtr Gte And Or Unless Atan2'.split(' '));

/**
 * The error at `error` in words: the token found there (or the end), what comes before it, and the bracket left open.
 */
function describeError(query: string, tokens: readonly Token[], tree: Tree, error: number): string {
  const index = tokens.findIndex((t) => t.to > error);
  let token = index < 0 ? undefined : tokens[index];
  let previous = index < 0 ? tokens[tokens.length - 1] : tokens[index - 1];
  if (token !== undefined && token.from < error && token.kind === 'word') {
    // The grammar stops inside what reads as one word here (`5x` of `x[5x]`): its two parts.
    previous = { from: token.from, to: error, kind: 'word' };
    token = { from: error, to: token.to, kind: 'word' };
  }
  const expected = previous === undefined ? undefined : expectedAfter(tree, previous);
  const open = openBrackets(query, tokens, token?.from ?? query.length);
  if (token === undefined) {
    const end = previous?.to ?? 0;
    if (previous !== undefined && expected !== undefined)
      return at(query, end, M.endAfter(shown(query, previous), expected));
    const innermost = open[open.length - 1];
    if (innermost !== undefined) {
      const { line, column } = lineColumn(query, innermost.from);
      return at(query, end, M.notClosed(M.brackets[query[innermost.from]], line, column));
    }
    return at(query, end, previous === undefined ? M.endOfQuery : M.endAfter(shown(query, previous), undefined));
  }
  const text = query.slice(token.from, token.to);
  if (OPENING[text] !== undefined) {
    const innermost = open[open.length - 1];
    if (innermost === undefined)
      return at(query, token.from, M.closesNothing(shown(query, token), `"${OPENING[text]}"`));
    const bracket = query[innermost.from];
    if (bracket !== OPENING[text]) {
      const { line, column } = lineColumn(query, innermost.from);
      return at(
        query,
        token.from,
        M.closesWrong(shown(query, token), M.brackets[bracket], line, column, CLOSING[bracket]),
      );
    }
  }
  if (text === '(' && previous !== undefined && previous.kind === 'word' && nodeAt(tree, previous) === 'Identifier') {
    return at(query, previous.from, M.unknownFunction(shown(query, previous)));
  }
  return at(
    query,
    token.from,
    M.unexpected(shown(query, token), previous === undefined ? undefined : shown(query, previous), expected),
  );
}

/** The name of the innermost node of the tree that ends where the token ends. */
function nodeAt(tree: Tree, token: Token): string {
  return tree.resolveInner(token.to, -1).name;
}

/** What must follow a token, when the tree says what the token is: an operator, a matcher, `offset`, `@`, `by`. */
function expectedAfter(tree: Tree, token: Token): string | undefined {
  const node = tree.resolveInner(token.to, -1);
  if (node.from !== token.from || node.to !== token.to) return undefined;
  const parent = node.parent?.name;
  if (MATCH_OPS.has(node.name) && parent === 'MatchOp') return M.expected.labelValue;
  if (node.name === 'Offset') return M.expected.duration;
  if (node.name === 'At') return M.expected.time;
  if (['By', 'Without', 'On', 'Ignoring'].includes(node.name)) return M.expected.labelNames;
  if ((BINARY_OPS.has(node.name) && parent === 'BinaryExpr') || parent === 'BoolModifier') return M.expected.operand;
  return undefined;
}

/** The brackets open before `position`, outermost first (a closing bracket closes the innermost one it matches). */
function openBrackets(query: string, tokens: readonly Token[], position: number): Token[] {
  const open: Token[] = [];
  for (const token of tokens) {
    if (token.from >= position) break;
    const text = query.slice(token.from, token.to);
    if (CLOSING[text] !== undefined) open.push(token);
    else if (OPENING[text] !== undefined && open.length > 0 && query[open[open.length - 1].from] === OPENING[text])
      open.pop();
  }
  return open;
}

/** A token as shown in a message: quoted and escaped, cut short; a string as `string "..."`. */
function shown(query: string, token: Token): string {
  const text = query.slice(token.from, token.to);
  if (token.kind !== 'string') return quoteText(text, 30);
  const closed = text.length >= 2 && text.endsWith(text[0]);
  return `string ${quoteText(text.slice(1, closed ? -1 : undefined), 30)}`;
}

/** Line and column (both from 1, the column in characters) of an offset of the query. */
function lineColumn(query: string, offset: number): { line: number; column: number } {
  const before = query.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: Array.from(before.slice(lineStart)).length + 1 };
}

function at(query: string, offset: number, what: string): string {
  const { line, column } = lineColumn(query, offset);
  return M.syntaxError(line, column, what);
}

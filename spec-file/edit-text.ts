import { isMap, isScalar, isSeq, Node, parse, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import type { Edit, Path, Value } from '../model/edits';

/**
 * Changes to a spec file's text that keep everything else byte for byte: comments, key order,
 * quoting, flow or block style. Each edit touches only the bytes of the value it changes, or adds
 * text shaped like its neighbours. The edits themselves are the model's (model/edits.ts).
 */

/** Thrown when the text cannot be changed in place without changing something else too. */
export class EditError extends Error {}

/**
 * Applies the edits in order. `json` makes new text JSON (quoted keys and strings). The result
 * is read back and must be exactly the document with the edits applied, nothing else changed
 * (an anchor shared with another value, say); otherwise an EditError is thrown and nothing is
 * to be written.
 */
export function applyEdits(text: string, edits: readonly Edit[], json: boolean): string {
  const result = edits.reduce((current, edit) => applyEdit(current, edit, json), text);
  const expected = applyToObject(parse(text), edits);
  if (JSON.stringify(parse(result)) !== JSON.stringify(expected)) {
    throw new EditError(
      'the file cannot be changed in place without changing other values too (an anchor or alias shares the value?)',
    );
  }
  return result;
}

/** The same edits on the parsed document: what the new text must read as. */
function applyToObject(document: unknown, edits: readonly Edit[]): unknown {
  const copy = structuredClone(document) as Record<string | number, unknown>;
  for (const edit of edits) {
    const path = edit.kind === 'append' ? edit.path : edit.path.slice(0, -1);
    let target = copy;
    for (const segment of path) target = target[segment] as Record<string | number, unknown>;
    const last = edit.path[edit.path.length - 1];
    if (edit.kind === 'set') target[last] = edit.value;
    else if (edit.kind === 'append') (target as unknown as unknown[]).push({ ...edit.value });
    else (target as unknown as unknown[]).splice(last as number, 1);
  }
  return copy;
}

function applyEdit(text: string, edit: Edit, json: boolean): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (edit.kind === 'set') {
    const node = doc.getIn(edit.path, true);
    if (isScalar(node))
      return splice(text, node.range![0], node.range![1], scalar(edit.value, json, flowAt(doc, edit.path)));
    const parent = doc.getIn(edit.path.slice(0, -1), true);
    if (!isMap(parent)) throw new Error(`cannot set ${edit.path.join('.')}: its parent is not a map`);
    return insertPair(text, parent, String(edit.path[edit.path.length - 1]), edit.value, json);
  }
  if (edit.kind === 'append') {
    const seq = doc.getIn(edit.path, true);
    if (!isSeq(seq) || seq.items.length === 0)
      throw new Error(`cannot append to ${edit.path.join('.')}: not a non-empty sequence`);
    return appendItem(text, seq, edit.value, json);
  }
  const seq = doc.getIn(edit.path.slice(0, -1), true);
  const index = edit.path[edit.path.length - 1] as number;
  if (!isSeq(seq) || seq.items[index] === undefined)
    throw new Error(`cannot remove ${edit.path.join('.')}: no such item`);
  return removeItem(text, seq, index);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Whether the value at `path` sits inside a flow collection, where `,[]{}` end a plain scalar. */
function flowAt(doc: ReturnType<typeof parseDocument>, path: Path): boolean {
  for (let i = path.length - 1; i >= 0; i--) {
    const node = doc.getIn(path.slice(0, i), true) as Node | undefined;
    if ((isMap(node) || isSeq(node)) && node.flow === true) return true;
  }
  return false;
}

/** A scalar as the file would write it: plain when YAML reads it back as the same value, else quoted. */
export function scalar(value: Value, json: boolean, flow: boolean): string {
  if (typeof value !== 'string' || json) return JSON.stringify(value);
  // Words YAML 1.1 reads as booleans or null stay quoted, whatever version the file declares.
  if (/^(y|yes|n|no|on|off|true|false|null|~)$/i.test(value)) return JSON.stringify(value);
  const candidate = flow ? `[${value}]` : `k: ${value}`;
  try {
    const read = parse(candidate);
    const back = flow ? (read as unknown[])?.[0] : (read as Record<string, unknown>)?.k;
    if (back === value && /^[^\s#'"&*!|>%@`{}[\],]/.test(value) && !/\s#|:\s|\s$/.test(value)) return value;
  } catch {
    // not plain-safe
  }
  return JSON.stringify(value);
}

function key(name: string, json: boolean): string {
  return json ? JSON.stringify(name) : name;
}

function lineStart(text: string, index: number): number {
  return text.lastIndexOf('\n', index - 1) + 1;
}

/** Where the line holding `index` ends: before its line break (`\n` or `\r\n`). */
function lineEnd(text: string, index: number): number {
  const end = text.indexOf('\n', index);
  if (end === -1) return text.length;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/** The file's own line break. */
function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function column(text: string, index: number): number {
  return index - lineStart(text, index);
}

/**
 * Where a node's own text ends: the end of its last scalar. A block collection's range runs on
 * to the start of whatever follows (past its last newline), which is not where new text goes.
 */
function contentEnd(node: Node): number {
  if (isMap(node) && node.flow !== true && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    return contentEnd((last.value as Node | null) ?? (last.key as Node));
  }
  if (isSeq(node) && node.flow !== true && node.items.length > 0)
    return contentEnd(node.items[node.items.length - 1] as Node);
  // A block scalar (`|`, `>`) ends past its last line break; its text ends before it.
  return node.range![1];
}

/** The last non-line-break position at or before `end`, for a text that ends a node. */
function trimBreaks(text: string, end: number): number {
  let at = end;
  while (at > 0 && (text[at - 1] === '\n' || text[at - 1] === '\r')) at--;
  return at;
}

function insertPair(text: string, map: YAMLMap, name: string, value: Value, json: boolean): string {
  const last = map.items[map.items.length - 1];
  const lastEnd = trimBreaks(text, contentEnd((last.value as Node | null) ?? (last.key as Node)));
  if (map.flow === true) {
    const firstKey = (map.items[0].key as Node).range![0];
    const lastKey = (last.key as Node).range![0];
    const multiline = map.items.length > 1 && text.slice(firstKey, lastKey).includes('\n');
    const separator = multiline ? `,${newline(text)}${' '.repeat(column(text, lastKey))}` : ', ';
    return splice(text, lastEnd, lastEnd, `${separator}${key(name, json)}: ${scalar(value, json, true)}`);
  }
  const indent = ' '.repeat(column(text, (map.items[0].key as Node).range![0]));
  const at = lineEnd(text, lastEnd);
  return splice(text, at, at, `${newline(text)}${indent}${key(name, json)}: ${scalar(value, json, false)}`);
}

function appendItem(text: string, seq: YAMLSeq, value: Readonly<Record<string, Value>>, json: boolean): string {
  const last = seq.items[seq.items.length - 1] as Node;
  const lastStart = last.range![0];
  const lastEnd = trimBreaks(text, contentEnd(last));
  const entries = Object.entries(value);
  const nl = newline(text);
  if (seq.flow === true) {
    const previous = seq.items.length > 1 ? (seq.items[seq.items.length - 2] as Node).range![1] : seq.range![0] + 1;
    const multiline = text.slice(previous, lastStart).includes('\n');
    const indent = ' '.repeat(column(text, lastStart));
    let item: string;
    if (isMap(last) && last.flow === true && text.slice(lastStart, lastEnd).includes('\n')) {
      // Pretty JSON: nest by the step the last item uses for its keys.
      const step = Math.max(1, column(text, (last.items[0].key as Node).range![0]) - column(text, lastStart));
      item = JSON.stringify(value, null, step).split('\n').join(`${nl}${indent}`);
    } else {
      item = flowMap(entries, json, text.slice(lastStart, lastStart + 2) === '{ ');
    }
    return splice(text, lastEnd, lastEnd, multiline ? `,${nl}${indent}${item}` : `, ${item}`);
  }
  const dash = text.lastIndexOf('-', lastStart);
  const dashIndent = ' '.repeat(column(text, dash));
  // The item starts where the last one does, after its dash: `- name` or `-   name`.
  const afterDash = ' '.repeat(Math.max(1, column(text, lastStart) - column(text, dash) - 1));
  let item: string;
  if (isMap(last) && last.flow !== true) {
    const keyIndent = ' '.repeat(column(text, (last.items[0].key as Node).range![0]));
    item = entries.map(([k, v], i) => `${i === 0 ? '' : keyIndent}${key(k, json)}: ${scalar(v, json, false)}`).join(nl);
  } else {
    item = flowMap(entries, json, text.slice(lastStart, lastStart + 2) === '{ ');
  }
  const at = lineEnd(text, lastEnd);
  return splice(text, at, at, `${nl}${dashIndent}-${afterDash}${item}`);
}

function flowMap(entries: Array<[string, Value]>, json: boolean, spaced: boolean): string {
  const inner = entries.map(([k, v]) => `${key(k, json)}: ${scalar(v, json, true)}`).join(', ');
  return spaced ? `{ ${inner} }` : `{${inner}}`;
}

function removeItem(text: string, seq: YAMLSeq, index: number): string {
  const items = seq.items as Node[];
  const start = items[index].range![0];
  const end = trimBreaks(text, contentEnd(items[index]));
  if (seq.flow === true) {
    if (index < items.length - 1) return splice(text, start, items[index + 1].range![0], '');
    if (index > 0) return splice(text, items[index - 1].range![1], end, '');
    return splice(text, start, end, '');
  }
  const from = lineStart(text, text.lastIndexOf('-', start));
  const nextBreak = text.indexOf('\n', end);
  const to = nextBreak === -1 ? text.length : nextBreak + 1;
  return splice(text, from, to, '');
}

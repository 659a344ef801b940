import { Document, isCollection, isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';
import { formatPath, Problem } from '../model/problem';
import { allowedFields } from './schema';

/** A field of the document: where its key and its value start, in characters from the top. */
interface Place {
  readonly segments: ReadonlyArray<string | number>;
  readonly key?: number;
  readonly value?: Node;
}

/**
 * Gives every problem the line and column of its field in the file, keeping its path and message.
 *
 * Problems name fields by their printed path (`colors[1].weight`), so the document's fields are
 * indexed by that same printed path; a path that is not in the document (a missing field, a rule
 * about `colors` as a whole reported deeper) takes the place of the closest field that is: a
 * missing field points at the object that lacks it.
 */
export function locateProblems(
  problems: readonly Problem[],
  doc: Document,
  lineCounter: LineCounter,
  file: string,
): Problem[] {
  if (problems.length === 0) return [];
  const places = indexPlaces(doc);
  return problems.map((problem) => {
    const offset = offsetOf(problem.path, places);
    if (offset === undefined) return problem;
    const { line, col } = lineCounter.linePos(offset);
    return { ...problem, file, line, column: col };
  });
}

function indexPlaces(doc: Document): Map<string, Place> {
  const places = new Map<string, Place>();
  const visit = (node: unknown, segments: ReadonlyArray<string | number>) => {
    // An alias is not followed: its fields are written at the anchor, and the alias is where it is used.
    if (isMap(node)) {
      for (const pair of node.items) {
        if (
          !isScalar(pair.key) ||
          typeof pair.key.value === 'object' ||
          pair.key.range === undefined ||
          pair.key.range === null
        )
          continue;
        // A scalar key (objects were skipped above): its own text.
        // eslint-disable-next-line @typescript-eslint/no-base-to-string
        const inner = [...segments, String(pair.key.value)];
        add(inner, { segments: inner, key: pair.key.range[0], value: pair.value as Node | undefined });
        visit(pair.value, inner);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const inner = [...segments, i];
        add(inner, { segments: inner, value: item as Node });
        visit(item, inner);
      });
    }
  };
  const add = (segments: ReadonlyArray<string | number>, place: Place) => {
    const path = formatPath(segments);
    if (!places.has(path)) places.set(path, place);
  };
  places.set('', { segments: [], value: doc.contents ?? undefined });
  visit(doc.contents, []);
  return places;
}

/**
 * The offset a problem at `path` points at: a value as written, or the key of a field whose
 * value is empty or a block object or list (which starts on the next line), or is a field the
 * object does not allow.
 */
function offsetOf(path: string, places: ReadonlyMap<string, Place>): number | undefined {
  const exact = places.get(path);
  if (exact !== undefined) {
    const valueStart = exact.value?.range?.[0];
    const empty =
      exact.value === undefined || exact.value === null || (isScalar(exact.value) && exact.value.value === null);
    const block = isCollection(exact.value) && exact.value.flow !== true;
    if (exact.key !== undefined && (empty || block || isUnknownField(exact.segments))) return exact.key;
    return valueStart ?? exact.key;
  }
  for (let end = path.length - 1; end > 0; end--) {
    if (path[end] !== '.' && path[end] !== '[') continue;
    const parent = places.get(path.slice(0, end));
    if (parent !== undefined) return parent.key ?? parent.value?.range?.[0];
  }
  return places.get('')?.value?.range?.[0];
}

function isUnknownField(segments: ReadonlyArray<string | number>): boolean {
  const last = segments[segments.length - 1];
  if (typeof last !== 'string') return false;
  const allowed = allowedFields(segments.slice(0, -1));
  return allowed.length > 0 && !allowed.includes(last);
}

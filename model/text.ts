/**
 * Untrusted text as it may be shown: on a terminal, in a log, in a pull request comment.
 *
 * A spec is written by many people and scripts; a string in it can carry escape sequences that
 * rewrite what a terminal shows (`ghcr.io/...` printed over `evil.io/...`), or a password. So the
 * validator refuses control characters in the document, and everything that prints a value from
 * it escapes what cannot be seen.
 */

/**
 * Characters the spec refuses in every string and key: C0 (U+0000 to U+001F), DEL (U+007F), C1
 * (U+0080 to U+009F), and the bidirectional embeddings, overrides and isolates (U+202A to U+202E,
 * U+2066 to U+2069), which reorder what is shown without being seen (CVE-2021-42574).
 */
function isControl(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The first refused control character of a text, and where it is (0-based, in characters); a line feed only in user
 * data.
 */
export function firstControlCharacter(
  text: string,
  allowTab: boolean,
  allowLineFeed = false,
): { codePoint: number; index: number } | undefined {
  let index = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (isControl(code) && !(allowTab && code === 0x09) && !(allowLineFeed && code === 0x0a))
      return { codePoint: code, index };
    index++;
  }
  return undefined;
}

/** `U+001B`. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What a terminal would not show as itself: controls, format characters, separators but the space, private use,
 * unassigned.
 */
const INVISIBLE = /[\p{C}\p{Z}]/u;
const HAS_INVISIBLE = /[^\P{C}]|[^\P{Z} ]/u;

function escapeChar(char: string): string {
  if (char === ' ' || !INVISIBLE.test(char)) return char;
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One character as it appears inside a quoted literal: JSON's escapes, then `\uXXXX` for what is invisible. */
function quotedChar(char: string): string {
  return Array.from(JSON.stringify(char).slice(1, -1), escapeChar).join('');
}

/**
 * A string as a double-quoted literal that is safe to print: JSON's escapes (`\"`, `\\`, `\n`,
 * `\u001b`), and `\uXXXX` for every other character a terminal would not show as itself (C1,
 * bidirectional controls, zero-width and non-breaking spaces, lone surrogates). A text longer than
 * `max` characters, or whose escapes would take more than twice that, is cut to a prefix and `...`.
 */
export function quoteText(text: string, max = 60): string {
  const whole = Array.from(text, quotedChar);
  if (text.length <= max && whole.join('').length <= max * 2) return `"${whole.join('')}"`;
  const budget = max - 3;
  let shown = '';
  let used = 0;
  for (const [i, char] of Array.from(text).entries()) {
    if (used + char.length > budget || shown.length + whole[i].length > budget * 2) break;
    shown += whole[i];
    used += char.length;
  }
  return `"${shown}..."`;
}

/**
 * Text for a terminal line: every character a terminal would not show as itself becomes `\uXXXX`
 * (visible characters, the backslash included, stay as they are).
 */
export function escapeInvisible(text: string): string {
  return HAS_INVISIBLE.test(text) ? Array.from(text, escapeChar).join('') : text;
}

// The scheme starts where no scheme character precedes it and is at most 32 characters long, so a
// long run of letters is scanned once, not once per starting position (a 256 KiB value took minutes).
const URL_USERINFO = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,31}:\/\/([^\s/?#@]+)@/gi;
/**
 * `$(NAME)` (Kubernetes dependent variables), `${NAME}`, `$NAME`: filled in where the value is used, not written in the
 * spec.
 */
const REFERENCE = /\$\([A-Za-z_]\w*\)|\$\{[A-Za-z_]\w*\}|\$[A-Za-z_]\w*/g;

/**
 * Whether a text holds a URL with credentials (`postgres://user:password@host`,
 * `https://token@host`): a secret whatever name it is under. Credentials that are only references
 * (`postgres://shop:$(DB_PASSWORD)@db`) are not: the secret stays in secretEnv.
 */
export function hasUrlCredentials(text: string): boolean {
  for (const match of text.matchAll(URL_USERINFO)) {
    const [user, ...rest] = match[1].replace(REFERENCE, '').split(':');
    if (rest.length === 0 ? user !== '' : rest.join(':') !== '') return true;
  }
  return false;
}

import { AWS_LIMITS, colorRulePriority, HTTP_TOKEN, isAlbHeaderName } from './aws';
import { GATEWAY_API_LIMITS } from './gateway-api';
import { MESSAGES } from './messages';
import { formatPath, prefixProblems, Problem } from './problem';
import { isNginxHeaderName } from './routers';
import { CohortMatch, ColorState, DEFAULT_KUBERNETES_ROUTER, KubernetesRouter, Platform } from './types';

/**
 * Cohorts (`colors[].match`): a request that carries every header and cookie of a color's match,
 * with exactly those values, goes to that color whatever the weights; every other request is split
 * by weight. The rules here are shared by spec files (spec-rules.ts) and the routers' props; paths
 * are relative to the match (`headers["x-beta-user"]`), or `[i]` for the i-th color.
 *
 * @see https://gateway-api.sigs.k8s.io/reference/spec/#httpheadermatch
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html#http-header-conditions
 * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary
 */

export const COHORT_LIMITS = {
  /** A header name: a Gateway API HTTPHeaderName is at most 256 characters. */
  headerNameLength: 256,
  /** A header or cookie value: a Gateway API header match value is at most 4096 characters. */
  valueLength: 4096,
  /**
   * Header matches of a Gateway API HTTPRouteMatch (its maxItems), one of them the Cookie header when cookies are
   * matched.
   */
  headersPerMatch: 16,
  /**
   * Cookies of one match: they are written as one Cookie regex listing every order, so 3 cookies make 6 alternatives.
   */
  cookiesPerMatch: 3,
  /** Condition values of one ALB listener rule, the host-header value included. */
  albValuesPerRule: 5,
  /** An ALB http-header condition value. */
  albValueLength: 128,
} as const;

/** Printable ASCII, spaces inside only: what a header value may be in every router. */
const HEADER_VALUE = /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/;
/** RFC 6265 cookie-octet: printable ASCII but space, `"`, `,`, `;` and `\`. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;
/** ingress-nginx's canary-by-cookie routes to the canary only when the cookie's value is this. */
export const NGINX_CANARY_COOKIE_VALUE = 'always';

/** A color's match as one list of conditions; header names in lowercase (they are case-insensitive). */
export interface Condition {
  readonly kind: 'header' | 'cookie';
  readonly name: string;
  readonly value: string;
}

const entries = (map: unknown): Array<[string, unknown]> =>
  typeof map === 'object' && map !== null && !Array.isArray(map) ? Object.entries(map) : [];

/** The conditions of a well-formed match (see matchProblems). */
export function conditions(match: CohortMatch): Condition[] {
  return [
    ...entries(match.headers).map(([name, value]) => ({
      kind: 'header' as const,
      name: name.toLowerCase(),
      value: value as string,
    })),
    ...entries(match.cookies).map(([name, value]) => ({ kind: 'cookie' as const, name, value: value as string })),
  ];
}

/**
 * Problems of one match on its own: names are HTTP tokens, values printable, at least one condition, within the limits.
 */
export function matchProblems(match: unknown): Problem[] {
  if (typeof match !== 'object' || match === null || Array.isArray(match))
    return [{ path: '', message: MESSAGES.cohortShape(match) }];
  const m = match as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(m))
    if (key !== 'headers' && key !== 'cookies')
      problems.push({ path: formatPath([key]), message: MESSAGES.cohortShape(m[key]) });
  const headers = entries(m.headers);
  const cookies = entries(m.cookies);
  if (headers.length + cookies.length === 0) problems.push({ path: '', message: MESSAGES.cohortEmpty });
  const seen = new Map<string, string>();
  for (const [name, value] of headers) {
    const path = formatPath(['headers', name]);
    if (name.length > COHORT_LIMITS.headerNameLength || !HTTP_TOKEN.test(name))
      problems.push({ path, message: MESSAGES.cohortName('header', name, COHORT_LIMITS.headerNameLength) });
    else if (['cookie', 'host'].includes(name.toLowerCase()))
      problems.push({ path, message: MESSAGES.cohortReservedHeader(name) });
    else if (seen.has(name.toLowerCase()))
      problems.push({ path, message: MESSAGES.cohortHeaderTwice(name, seen.get(name.toLowerCase())!) });
    else seen.set(name.toLowerCase(), name);
    if (typeof value !== 'string' || value.length > COHORT_LIMITS.valueLength || !HEADER_VALUE.test(value))
      problems.push({ path, message: MESSAGES.cohortHeaderValue(value, COHORT_LIMITS.valueLength) });
  }
  for (const [name, value] of cookies) {
    const path = formatPath(['cookies', name]);
    if (name.length > COHORT_LIMITS.headerNameLength || !HTTP_TOKEN.test(name))
      problems.push({ path, message: MESSAGES.cohortName('cookie', name, COHORT_LIMITS.headerNameLength) });
    if (typeof value !== 'string' || value.length > COHORT_LIMITS.valueLength || !COOKIE_VALUE.test(value))
      problems.push({ path, message: MESSAGES.cohortCookieValue(value, COHORT_LIMITS.valueLength) });
  }
  if (cookies.length > COHORT_LIMITS.cookiesPerMatch)
    problems.push({
      path: 'cookies',
      message: MESSAGES.cohortTooManyCookies(cookies.length, COHORT_LIMITS.cookiesPerMatch),
    });
  const headerMatches = headers.length + (cookies.length > 0 ? 1 : 0);
  if (headerMatches > COHORT_LIMITS.headersPerMatch)
    problems.push({
      path: 'headers',
      message: MESSAGES.cohortTooManyHeaders(headerMatches, COHORT_LIMITS.headersPerMatch),
    });
  return problems;
}

/** A color whose match is well formed, at its index among the colors given. */
export interface CohortColor {
  readonly name: string;
  readonly weight: number;
  readonly match?: CohortMatch;
  /** Where a problem of this color's match is reported, such as `colors[1].match`. */
  readonly path: string;
}

/**
 * Two matches that one request can satisfy both: no header or cookie that both name with
 * different values (so equal sets, and one a subset of another, are among them). Routers break
 * such ties differently (Gateway API by the number of header matches, Istio and nginx by order, the
 * ALB by priority), so they are refused: path the later color's.
 */
export function overlapProblems(colors: readonly CohortColor[]): Problem[] {
  const problems: Problem[] = [];
  const cohorts = colors.filter((c) => c.match !== undefined);
  cohorts.forEach((c, i) => {
    const mine = conditions(c.match!);
    for (const other of cohorts.slice(0, i)) {
      const theirs = conditions(other.match!);
      const disjoint = mine.some((a) =>
        theirs.some((b) => a.kind === b.kind && a.name === b.name && a.value !== b.value),
      );
      if (!disjoint)
        problems.push({
          path: c.path,
          message: MESSAGES.cohortOverlap(
            other.path,
            other.name,
            describe([...mine, ...theirs.filter((t) => !mine.some((m) => m.kind === t.kind && m.name === t.name))]),
          ),
        });
    }
  });
  return problems;
}

function describe(all: readonly Condition[]): string {
  return all
    .map((c) => (c.kind === 'header' ? `header ${c.name}: ${c.value}` : `cookie ${c.name}=${c.value}`))
    .join(', ');
}

/** dns: Route 53 answers DNS queries and never sees a request, so no color can have a match. */
export function dnsCohortProblems(colors: readonly CohortColor[]): Problem[] {
  return colors.filter((c) => c.match !== undefined).map((c) => ({ path: c.path, message: MESSAGES.cohortOnDns }));
}

/** Gateway API: one rule per cohort color beside the weighted rule and the pin rules, at most 16 rules. */
export function gatewayApiCohortProblems(colors: readonly CohortColor[], pinned: boolean): Problem[] {
  const cohorts = colors.filter((c) => c.match !== undefined);
  const rules = 1 + (pinned ? colors.length : 0) + cohorts.length;
  if (cohorts.length === 0 || rules <= GATEWAY_API_LIMITS.rulesPerRoute) return [];
  return [
    {
      path: cohorts[cohorts.length - 1].path,
      message: MESSAGES.cohortTooManyRules(rules, GATEWAY_API_LIMITS.rulesPerRoute, pinned),
    },
  ];
}

/**
 * ingress-nginx: one canary Ingress, whose `canary-by-header` (with `canary-by-header-value`) and
 * `canary-by-cookie` send a request to it before `canary-weight` does. So: one cohort color, which
 * is the canary (not the primary, the color with the highest weight, ties: the first), with exactly
 * one condition (nginx ORs a header and a cookie); a cookie value of "always" (nginx's only value
 * that routes to the canary); a header only without pinHeader (which takes `canary-by-header`).
 */
export function nginxCohortProblems(colors: readonly CohortColor[], pinHeader: string | undefined): Problem[] {
  const cohorts = colors.filter((c) => c.match !== undefined);
  if (cohorts.length === 0) return [];
  const problems: Problem[] = [];
  cohorts
    .slice(1)
    .forEach((c) =>
      problems.push({ path: c.path, message: MESSAGES.nginxOneCohort(cohorts[0].path, cohorts[0].name) }),
    );
  const c = cohorts[0];
  const primary = colors.reduce((best, x) => (x.weight > best.weight ? x : best));
  if (primary === c) problems.push({ path: c.path, message: MESSAGES.nginxCohortPrimary(c.name, c.weight) });
  const others = colors.filter((x) => x !== primary && x !== c && x.weight > 0);
  if (primary !== c && others.length > 0)
    problems.push({
      path: c.path,
      message: MESSAGES.nginxCohortSecondCanary(c.name, others.map((x) => `${x.name} ${x.weight}`).join(', ')),
    });
  const all = conditions(c.match!);
  if (all.length > 1) problems.push({ path: c.path, message: MESSAGES.nginxCohortOneCondition(all.length) });
  for (const cond of all) {
    const path = `${c.path}.${formatPath([cond.kind === 'header' ? 'headers' : 'cookies', cond.name])}`;
    if (cond.kind === 'cookie' && cond.value !== NGINX_CANARY_COOKIE_VALUE)
      problems.push({ path, message: MESSAGES.nginxCohortCookie(cond.value, NGINX_CANARY_COOKIE_VALUE) });
    if (cond.kind === 'header' && pinHeader !== undefined)
      problems.push({ path, message: MESSAGES.nginxCohortWithPin(pinHeader) });
    if (!isNginxHeaderName(cond.name)) problems.push({ path, message: MESSAGES.nginxHeader(cond.name) });
  }
  return problems;
}

/**
 * The priority of a color's cohort rule: the slot after its color rule's, among the color rules
 * (`rulePriority + 0..999`), so before the weighted rule at `rulePriority + 1000`.
 */
export function cohortRulePriority(rulePriority: number, color: string): number {
  return rulePriority + ((colorRulePriority(rulePriority, color) - rulePriority + 1) % AWS_LIMITS.colorRuleSlots);
}

/** The values of an ALB Cookie http-header condition that match the cookie exactly, wherever it is in the header. */
export function albCookieValues(name: string, value: string): string[] {
  const cookie = `${name}=${value}`;
  return [cookie, `${cookie}; *`, `*; ${cookie}`, `*; ${cookie}; *`];
}

/**
 * ALB: a listener rule per cohort color, with a host-header condition and an http-header condition
 * per header, and one for the Cookie header per cookie (4 values each, for an exact match): at most
 * 5 condition values per rule, each at most 128 characters, without the wildcards `*` and `?` (which
 * the ALB would read as such); header names of at most 40 characters; its priority taken by no
 * other rule of the app.
 */
export function albCohortProblems(
  colors: readonly CohortColor[],
  rulePriority: number | undefined,
  liveColors: readonly string[],
): Problem[] {
  const problems: Problem[] = [];
  const taken = new Map<number, string>();
  if (rulePriority !== undefined)
    for (const name of liveColors) taken.set(colorRulePriority(rulePriority, name), `the color rule of ${name}`);
  for (const c of colors.filter((x) => x.match !== undefined)) {
    const all = conditions(c.match!);
    const values = 1 + all.reduce((n, cond) => n + (cond.kind === 'cookie' ? 4 : 1), 0);
    if (values > COHORT_LIMITS.albValuesPerRule)
      problems.push({ path: c.path, message: MESSAGES.albCohortValues(values, COHORT_LIMITS.albValuesPerRule) });
    for (const cond of all) {
      const path = `${c.path}.${formatPath([cond.kind === 'header' ? 'headers' : 'cookies', cond.name])}`;
      if (cond.kind === 'header' && !isAlbHeaderName(cond.name))
        problems.push({ path, message: MESSAGES.albCohortHeaderName(cond.name, AWS_LIMITS.headerNameLength) });
      const longest = cond.kind === 'cookie' ? albCookieValues(cond.name, cond.value)[3] : cond.value;
      if (/[*?]/.test(cond.value)) problems.push({ path, message: MESSAGES.albCohortWildcard(cond.value) });
      else if (longest.length > COHORT_LIMITS.albValueLength)
        problems.push({ path, message: MESSAGES.albCohortValueLength(longest.length, COHORT_LIMITS.albValueLength) });
    }
    if (rulePriority === undefined) continue;
    const priority = cohortRulePriority(rulePriority, c.name);
    const other = taken.get(priority);
    if (other !== undefined)
      problems.push({ path: c.path, message: MESSAGES.albCohortPriority(c.name, priority, other) });
    else taken.set(priority, `the cohort rule of ${c.name}`);
  }
  return problems;
}

/** A regular expression's special characters escaped, for RE2 (Envoy) as for JavaScript. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One regular expression on the Cookie header that matches when every cookie is there with
 * exactly its value, in any order: a router allows one match per header name, and RE2 has no
 * lookahead, so each order is an alternative.
 */
export function cookieRegex(cookies: { [name: string]: string }): string {
  const parts = Object.entries(cookies).map(([name, value]) => `${escapeRegex(name)}=${escapeRegex(value)}`);
  const orders = permutations(parts).map((order) => order.join(';\\s*(.*;\\s*)?'));
  const body = orders.length === 1 ? orders[0] : `(${orders.join('|')})`;
  return `^(.*;\\s*)?${body}(;.*)?$`;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

type Raw = Record<string, unknown>;

/**
 * The cohort rules of a spec document: each color's match on its own, then, over the colors that
 * are not retired and whose matches are well formed, overlaps and what the platform's router can
 * express. A retired color's match is kept but not routed.
 */
export function cohortSpecProblems(doc: Raw, colors: ReadonlyArray<Raw | undefined>): Problem[] {
  const problems: Problem[] = [];
  const live: CohortColor[] = [];
  let wellFormed = true;
  colors.forEach((c, i) => {
    if (c === undefined) return;
    const path = `colors[${i}].match`;
    const own = c.match === undefined ? [] : matchProblems(c.match);
    problems.push(...prefixProblems(path, own));
    if (own.length > 0) wellFormed = false;
    if (c.state === ColorState.RETIRED) return;
    live.push({
      name: typeof c.name === 'string' ? c.name : '?',
      weight: typeof c.weight === 'number' ? c.weight : 0,
      match: c.match as CohortMatch | undefined,
      path,
    });
  });
  if (!wellFormed || live.every((c) => c.match === undefined)) return problems;
  if (doc.platform === Platform.DNS) return [...problems, ...dnsCohortProblems(live)];
  problems.push(...overlapProblems(live));
  const routing = (typeof doc.routing === 'object' && doc.routing !== null ? doc.routing : {}) as Raw;
  const pinHeader = typeof routing.pinHeader === 'string' ? routing.pinHeader : undefined;
  if (doc.platform === Platform.ECS || doc.platform === Platform.EC2) {
    const block = (doc[doc.platform] ?? {}) as Raw;
    const rulePriority =
      typeof block.rulePriority === 'number' && Number.isInteger(block.rulePriority) ? block.rulePriority : undefined;
    return [
      ...problems,
      ...albCohortProblems(
        live,
        rulePriority,
        live.map((c) => c.name),
      ),
    ];
  }
  const router = ((doc.kubernetes ?? {}) as Raw).router ?? DEFAULT_KUBERNETES_ROUTER;
  if (router === KubernetesRouter.GATEWAY_API)
    problems.push(...gatewayApiCohortProblems(live, pinHeader !== undefined));
  if (router === KubernetesRouter.NGINX && live.every((c) => Number.isInteger(c.weight)))
    problems.push(...nginxCohortProblems(live, pinHeader));
  return problems;
}

import fc from 'fast-check';
import { Testing } from 'cdktf';
import { RainbowStacks } from '../stacks/rainbow-app';
import { validateSpec } from '../spec-file/validate';
import { rawEcsSpec, rawSpec, testApp } from './helpers';

/** Valid starting points: every platform and router. */
const bases = (): Record<string, any>[] => {
  const nginx = rawSpec();
  nginx.kubernetes = { router: 'nginx', host: 'shop.example.com' };
  const istio = rawSpec();
  istio.kubernetes = { router: 'istio', istioGateways: ['infra/public'], host: 'shop.example.com' };
  return [rawSpec(), nginx, istio, rawEcsSpec()];
};

const FIELDS = [
  'app',
  'platform',
  'kubernetes',
  'ecs',
  'colors',
  'routing',
  'rollingUpdate',
  'healthCheck',
  'resources',
  'env',
  'secretEnv',
  'migration',
  'autoscaling',
  'security',
  'progression',
  'drainSeconds',
  'backend',
  'weight',
  'name',
  'image',
  'replicas',
  'state',
  'host',
  'router',
  'gateway',
  'pinHeader',
  'stickySeconds',
  'previewHosts',
  'maxSurge',
  'maxUnavailable',
  'cpu',
  'memory',
  'rulePriority',
  'min',
  'max',
  '__proto__',
  'constructor',
  'toString',
];

/** A change somewhere in the document: a value replaced by anything, a key removed, or an item added. */
const mutation = fc.record({
  depth: fc.integer({ min: 0, max: 3 }),
  picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  kind: fc.constantFrom('set', 'delete', 'push'),
  key: fc.constantFrom(...FIELDS),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(0, -1, 100, 101, 1.5, '', '25%', 'red', 'retired', true, null, [], {}),
  ),
});

function mutate(
  doc: Record<string, any>,
  m: { depth: number; picks: number[]; kind: string; key: string; value: unknown },
): void {
  let target: any = doc;
  for (let i = 0; i < m.depth; i++) {
    const keys = target !== null && typeof target === 'object' ? Object.keys(target) : [];
    if (keys.length === 0) break;
    const next = target[keys[m.picks[i] % keys.length]];
    if (next === null || typeof next !== 'object') break;
    target = next;
  }
  if (Array.isArray(target)) {
    if (m.kind === 'push') target.push(m.value);
    else if (m.kind === 'delete') target.splice(m.picks[3] % Math.max(1, target.length), 1);
    else target[m.picks[3] % Math.max(1, target.length)] = m.value;
  } else if (m.kind === 'delete') delete target[m.key];
  else Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
}

/**
 * Every problem has a path and a message: one expect per case, since thousands of matcher calls cost more than the
 * validation.
 */
function checkProblems(problems: readonly { path: string; message: string }[]): void {
  const unnamed = problems.filter(
    (p) => typeof p.path !== 'string' || p.path.length === 0 || typeof p.message !== 'string' || p.message.length === 0,
  );
  expect(unnamed).toEqual([]);
}

describe('fuzzing the validator', () => {
  it('never throws on any JSON value, and reports problems with paths', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (doc) => {
        const { spec, problems } = validateSpec(doc);
        expect(spec === undefined).toBe(problems.length > 0);
        checkProblems(problems);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on mutations of valid specs, and every spec it accepts synthesizes', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, mutations) => {
        const all = bases();
        const doc = all[which % all.length];
        for (const m of mutations) mutate(doc, m);
        const { spec, problems } = validateSpec(doc);
        checkProblems(problems);
        if (spec === undefined) return;
        const stacks = new RainbowStacks(testApp(), spec);
        for (const stack of [...stacks.colorStacks, stacks.routerStack])
          expect(() => Testing.synth(stack, true)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

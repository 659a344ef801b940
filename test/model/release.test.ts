import fc from 'fast-check';
import {
  bakeSchedule,
  checkTimeoutProblems,
  initialDelayProblems,
  MAX_INITIAL_DELAY_SECONDS,
  commandCheckSummaries,
  DEFAULT_BAKE_SECONDS,
  EmptyResult,
  fillPlaceholders,
  MAX_BAKE_SECONDS,
  MAX_CHECK_INTERVAL_SECONDS,
  baselineColor,
  postPromotionSchedule,
  releaseSettings,
  unknownPlaceholder,
} from '../../model/release';
import { rollbackColor, stepColor } from '../../model/transitions';
import { RainbowSpec } from '../../model/types';
import { validateSpec } from '../../spec-file/validate';
import { problemLines, rawSpec, resolvedSpec } from '../spec-helpers';

describe('progression.initialDelaySeconds', () => {
  it('allows a delay up to bakeSeconds, and any delay of its own range with bakeSeconds 0, and defaults to 0', () => {
    expect(initialDelayProblems({ bakeSeconds: 60, initialDelaySeconds: 60 })).toEqual([]);
    expect(initialDelayProblems({ initialDelaySeconds: 300 })).toEqual([]);
    expect(initialDelayProblems({ bakeSeconds: 0, initialDelaySeconds: MAX_INITIAL_DELAY_SECONDS })).toEqual([]);
    expect(resolvedSpec(rawSpec()).progression.initialDelaySeconds).toBe(0);
    const raw = rawSpec();
    raw.progression = { ...raw.progression, bakeSeconds: 600, initialDelaySeconds: 120 };
    expect(resolvedSpec(raw).progression.initialDelaySeconds).toBe(120);
  });

  it('fails above bakeSeconds when the step bakes, naming the default bake when it is one', () => {
    expect(initialDelayProblems({ bakeSeconds: 60, initialDelaySeconds: 61 })).toEqual([
      {
        path: 'progression.initialDelaySeconds',
        message:
          'received 61 with bakeSeconds 60; expected at most bakeSeconds: the checks of a step run within its bake (with bakeSeconds 0, the one run waits for the delay)',
      },
    ]);
    expect(initialDelayProblems({ initialDelaySeconds: 301 })[0].message).toBe(
      'received 301 with bakeSeconds 300 (the default); expected at most bakeSeconds: the checks of a step run within its bake (with bakeSeconds 0, the one run waits for the delay)',
    );
  });

  it("leaves a delay out of its own range to the field's rule, which says so once", () => {
    expect(initialDelayProblems({ bakeSeconds: 60, initialDelaySeconds: 3601 })).toEqual([]);
    const raw = rawSpec();
    raw.progression = { ...raw.progression, initialDelaySeconds: 1.5 };
    expect(validateSpec(raw).problems).toEqual([
      {
        path: 'progression.initialDelaySeconds',
        message: 'received 1.5; expected a whole number of seconds from 0 to 3600',
      },
    ]);
  });
});

describe('bakeSchedule', () => {
  it('starts after the initial delay: every interval from there, the last at the end of the bake', () => {
    expect(bakeSchedule(300, 30, 60)).toEqual([90, 120, 150, 180, 210, 240, 270, 300]);
    expect(bakeSchedule(100, 30, 50)).toEqual([80, 100]);
    expect(bakeSchedule(60, 30, 60)).toEqual([60]);
    expect(bakeSchedule(0, 30, 45)).toEqual([45]);
    expect(bakeSchedule(300, 30, 0)).toEqual(bakeSchedule(300, 30));
  });

  it('runs the checks every interval and once more at the end of the bake', () => {
    expect(bakeSchedule(300, 30)).toEqual([30, 60, 90, 120, 150, 180, 210, 240, 270, 300]);
    expect(bakeSchedule(100, 30)).toEqual([30, 60, 90, 100]);
    expect(bakeSchedule(30, 30)).toEqual([30]);
  });

  it('runs the checks once, at once, without a bake', () => {
    expect(bakeSchedule(0, 30)).toEqual([0]);
  });

  it('ends at the bake, never waits more than an interval between runs, and runs ceil(bake / interval) times', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_BAKE_SECONDS }),
        fc.integer({ min: 1, max: MAX_CHECK_INTERVAL_SECONDS }),
        (bake, wanted) => {
          const interval = Math.min(wanted, bake);
          const times = bakeSchedule(bake, interval);
          const gaps = times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]));
          expect({
            last: times[times.length - 1],
            runs: times.length,
            gapsWithin: gaps.every((g) => g > 0 && g <= interval),
          }).toEqual({ last: bake, runs: Math.ceil(bake / interval), gapsWithin: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('placeholders', () => {
  const values = { color: 'green', app: 'shop', weight: 25 };

  it('fills {{color}}, {{app}} and {{weight}} wherever they are, as often as they are', () => {
    expect(
      fillPlaceholders('sum(rate(x{app="{{app}}",color="{{color}}"}[2m])) > {{weight}} / {{weight}}', values),
    ).toBe('sum(rate(x{app="shop",color="green"}[2m])) > 25 / 25');
    expect(fillPlaceholders('https://{{color}}.shop.example.com/healthz', values)).toBe(
      'https://green.shop.example.com/healthz',
    );
  });

  it('leaves single braces of PromQL alone', () => {
    expect(fillPlaceholders('up{job="x"}', values)).toBe('up{job="x"}');
    expect(unknownPlaceholder('up{job="x"}')).toBeUndefined();
  });

  it('names the first {{...}} that is not one of the three, and an unclosed {{', () => {
    expect(unknownPlaceholder('{{color}}-{{ color }}-{{env}}')).toBe('{{ color }}');
    expect(unknownPlaceholder('{{Color}}')).toBe('{{Color}}');
    expect(unknownPlaceholder('x-{{color')).toBe('{{color');
    expect(unknownPlaceholder('{{app}}/{{weight}}/{{color}}')).toBeUndefined();
    expect(unknownPlaceholder('{{canary}}/{{baseline}}')).toBeUndefined();
  });

  it('fills {{canary}} as {{color}}, and {{baseline}} with the baseline, or the color itself when there is none', () => {
    const query = 'x{color="{{canary}}"} / x{color="{{baseline}}"}';
    expect(fillPlaceholders(query, { ...values, baseline: 'blue' })).toBe('x{color="green"} / x{color="blue"}');
    expect(fillPlaceholders(query, values)).toBe('x{color="green"} / x{color="green"}');
  });
});

describe('baselineColor', () => {
  it('is the color with the most traffic when the release started, other than the released one, the first on a tie', () => {
    expect(
      baselineColor(
        new Map([
          ['blue', 90],
          ['green', 0],
          ['red', 10],
        ]),
        'green',
      ),
    ).toBe('blue');
    expect(baselineColor({ blue: 30, green: 40, red: 30 }, 'green')).toBe('blue');
    expect(baselineColor({ red: 0, green: 100 }, 'green')).toBe('red');
    expect(baselineColor({ green: 100 }, 'green')).toBe('green');
  });
});

describe('progression.steps with pause', () => {
  const withSteps = (steps: unknown[], extra: Record<string, unknown> = {}) => {
    const raw = rawSpec();
    raw.progression = { steps, ...extra };
    return raw;
  };

  it('resolves pause into pauseAfter, the steps staying the weights that rainbow step follows', () => {
    const { progression } = resolvedSpec(withSteps([5, 25, 'pause', 50, 'pause', 100]));
    expect({ steps: progression.steps, pauseAfter: progression.pauseAfter }).toEqual({
      steps: [5, 25, 50, 100],
      pauseAfter: [25, 50],
    });
    expect(releaseSettings(progression)).toEqual(
      expect.objectContaining({ steps: [5, 25, 50, 100], pauseAfter: [25, 50] }),
    );
  });

  it('fails for pause first, last or twice in a row, and for a step after a pause that breaks the rules between steps', () => {
    expect(problemLines(withSteps(['pause', 25, 50, 100]))).toEqual([
      'progression.steps[0]: received pause as the first step; expected a weight before it: a pause stops a release after baking the step before it',
    ]);
    expect(problemLines(withSteps([25, 50, 100, 'pause']))).toEqual([
      'progression.steps[3]: received pause as the last step; expected a weight after it: a release ends at its last step (to keep checking there, set progression.postPromotionSeconds)',
    ]);
    expect(problemLines(withSteps([25, 'pause', 'pause', 50, 100]))).toEqual([
      'progression.steps[2]: received pause right after pause; expected a weight between two pauses: one pause already stops the release there',
    ]);
    expect(problemLines(withSteps([25, 50, 'pause', 40, 100]))).toEqual(
      expect.arrayContaining(['progression.steps[3]: received 40 after 50; expected the steps to increase']),
    );
    expect(problemLines(withSteps([25, 'pause', 100]))).toEqual([
      'progression.steps[2]: received 100 after 25, a move of 75; expected steps at most progression.maxStepPercent (50) apart, the first at most 50: rainbow step would write a change that plan refuses',
    ]);
    expect(problemLines(withSteps([25, 'wait', 50, 100]))).toEqual([
      'progression.steps[1]: received "wait"; expected a weight from 1 to 100, or pause (a release stops there, after baking the step before, until it is run again)',
    ]);
  });
});

describe('the limits of a release and postPromotionSeconds', () => {
  it('fail out of their ranges, saying the range', () => {
    const raw = rawSpec();
    raw.progression = { consecutiveErrorLimit: -1, inconclusiveLimit: 101, postPromotionSeconds: 86401 };
    expect(problemLines(raw)).toEqual([
      'progression.consecutiveErrorLimit: received -1; expected a whole number from 0 to 100',
      'progression.inconclusiveLimit: received 101; expected a whole number from 0 to 100',
      'progression.postPromotionSeconds: received 86401; expected a whole number of seconds from 0 to 86400',
    ]);
    raw.progression = { consecutiveErrorLimit: 0, inconclusiveLimit: 100, postPromotionSeconds: 600 };
    expect(resolvedSpec(raw).progression).toEqual(
      expect.objectContaining({ consecutiveErrorLimit: 0, inconclusiveLimit: 100, postPromotionSeconds: 600 }),
    );
  });

  it('watches after promotion every interval, the last at the end, and not at all for 0', () => {
    expect(postPromotionSchedule(0, 30)).toEqual([]);
    expect(postPromotionSchedule(100, 30)).toEqual([30, 60, 90, 100]);
    expect(postPromotionSchedule(10, 30)).toEqual([10]);
  });
});

describe('the release settings of a spec', () => {
  it('fills the defaults: a 300 s bake, checks every 30 s from the deploy on, no failure tolerated, no checks', () => {
    const defaults = {
      bakeSeconds: DEFAULT_BAKE_SECONDS,
      checkIntervalSeconds: 30,
      initialDelaySeconds: 0,
      failureLimit: 0,
      consecutiveErrorLimit: 4,
      inconclusiveLimit: 0,
      postPromotionSeconds: 0,
      checks: [],
      checkEnv: [],
    };
    expect(releaseSettings(undefined)).toEqual(defaults);
    const { progression } = resolvedSpec();
    expect(progression).toEqual(expect.objectContaining(defaults));
    expect(progression.pauseAfter).toBeUndefined();
  });

  it("fills each check's own defaults: onEmpty fail, status 200 within 5 s", () => {
    const raw = rawSpec();
    raw.progression = {
      steps: [5, 25, 50, 100],
      bakeSeconds: 0,
      failureLimit: 2,
      checkEnv: ['AWS_PROFILE', 'SMOKE_TOKEN'],
      checks: [
        { name: 'error-rate', prometheus: { url: 'http://prometheus:9090', query: 'x', max: 0.01 } },
        { name: 'smoke', http: { url: 'https://{{color}}.shop.example.com/healthz' } },
        { name: 'custom', command: ['./check.sh', '{{color}}'] },
      ],
    };
    expect(resolvedSpec(raw).progression).toEqual({
      steps: [5, 25, 50, 100],
      maxStepPercent: 50,
      maxLoadFactor: 2,
      bakeSeconds: 0,
      checkIntervalSeconds: 30,
      initialDelaySeconds: 0,
      failureLimit: 2,
      consecutiveErrorLimit: 4,
      inconclusiveLimit: 0,
      postPromotionSeconds: 0,
      checkEnv: ['AWS_PROFILE', 'SMOKE_TOKEN'],
      checks: [
        {
          name: 'error-rate',
          prometheus: { url: 'http://prometheus:9090', query: 'x', max: 0.01, onEmpty: EmptyResult.FAIL },
        },
        {
          name: 'smoke',
          http: { url: 'https://{{color}}.shop.example.com/healthz', expectStatus: 200, timeoutSeconds: 5 },
        },
        { name: 'custom', command: ['./check.sh', '{{color}}'] },
      ],
    });
  });

  it('accepts a check interval equal to the bake, and any interval without a bake', () => {
    const raw = rawSpec();
    raw.progression = { bakeSeconds: 60, checkIntervalSeconds: 60 };
    expect(problemLines(raw)).toEqual([]);
    raw.progression = { bakeSeconds: 0, checkIntervalSeconds: 3600 };
    expect(problemLines(raw)).toEqual([]);
  });

  it('refuses a name longer than 63 characters given twice only once, for its length', () => {
    const raw = rawSpec();
    const name = 'a'.repeat(64);
    raw.progression = {
      checks: [
        { name, command: ['true'] },
        { name, command: ['true'] },
      ],
    };
    expect(problemLines(raw)).toEqual(
      [0, 1].map(
        (i) =>
          `progression.checks[${i}].name: received "${'a'.repeat(57)}..." (64 characters); expected a check name: lowercase letters, digits and hyphens, alphanumeric first and last, at most 63 characters`,
      ),
    );
  });

  it('fails for checkEnv names that are not variable names, given twice, or more than 50', () => {
    const raw = rawSpec();
    raw.progression = { checkEnv: ['AWS_PROFILE', '1ST', 'SMOKE_TOKEN', 'AWS_PROFILE'] };
    expect(problemLines(raw)).toEqual([
      'progression.checkEnv[1]: received "1ST"; expected an environment variable name: a letter or "_" first, then letters, digits or "_", at most 256 characters',
      'progression.checkEnv[3]: received "AWS_PROFILE"; expected each name once; it is already at progression.checkEnv[0]',
    ]);
    raw.progression = { checkEnv: Array.from({ length: 51 }, (_, i) => `VAR_${i}`) };
    expect(problemLines(raw)).toEqual([
      "progression.checkEnv: received a list; expected a list of at most 50 environment variable names, each once: the variables of rainbow's environment that command checks get besides PATH, HOME, LANG and RAINBOW_*",
    ]);
    raw.progression = { checkEnv: 'AWS_PROFILE' };
    expect(problemLines(raw)).toEqual([
      'progression.checkEnv: received "AWS_PROFILE"; expected a list of at most 50 environment variable names, each once: the variables of rainbow\'s environment that command checks get besides PATH, HOME, LANG and RAINBOW_*',
    ]);
    raw.progression = { checkEnv: Array.from({ length: 50 }, (_, i) => `VAR_${i}`) };
    expect(problemLines(raw)).toEqual([]);
  });

  it('fails for an HTTP check whose timeoutSeconds is above checkIntervalSeconds, given or the default', () => {
    const http = (timeoutSeconds: number) => ({
      name: `smoke-${timeoutSeconds}`,
      http: { url: 'https://{{color}}.shop.example.com/healthz', timeoutSeconds },
    });
    expect(
      checkTimeoutProblems({
        bakeSeconds: 60,
        checkIntervalSeconds: 10,
        checks: [http(10), http(11), { name: 'c', command: ['true'] }],
      }),
    ).toEqual([
      {
        path: 'progression.checks[1].http.timeoutSeconds',
        message:
          'received 11 with checkIntervalSeconds 10; expected at most checkIntervalSeconds: a round of checks ends before the next begins',
      },
    ]);
    expect(checkTimeoutProblems({ checks: [http(45)] })).toEqual([
      {
        path: 'progression.checks[0].http.timeoutSeconds',
        message:
          'received 45 with checkIntervalSeconds 30 (the default); expected at most checkIntervalSeconds: a round of checks ends before the next begins',
      },
    ]);
    expect(checkTimeoutProblems({ checkIntervalSeconds: 0, checks: [http(45)] })).toEqual([]);
    expect(checkTimeoutProblems({ checks: [http(61)] })).toEqual([]);
    const raw = rawSpec();
    raw.progression = { bakeSeconds: 60, checkIntervalSeconds: 10, checks: [http(11)] };
    expect(problemLines(raw)).toEqual([
      'progression.checks[0].http.timeoutSeconds: received 11 with checkIntervalSeconds 10; expected at most checkIntervalSeconds: a round of checks ends before the next begins',
    ]);
  });

  it('sums up the checks that run commands, one each, their arguments quoted where a space or an invisible character would hide them', () => {
    expect(
      commandCheckSummaries([
        { name: 'error-rate', prometheus: { url: 'http://prometheus:9090', query: 'x', max: 0.01 } },
        { name: 'smoke', command: ['./check.sh', '{{color}}'] },
        { name: 'custom', command: ['./other check.sh', '--label=a\u200bb'] },
      ]),
    ).toEqual(['smoke (./check.sh {{color}})', 'custom ("./other check.sh" "--label=a\\u200bb")']);
    expect(commandCheckSummaries(undefined)).toEqual([]);
  });

  it('reports every placeholder problem of a check at once, at each text', () => {
    const raw = rawSpec();
    raw.progression = {
      checks: [
        { name: 'p', prometheus: { url: 'http://{{host}}:9090', query: 'x{a="{{ app }}"}', min: 0 } },
        { name: 'c', command: ['./check.sh', '{{color}}', '{{version}}'] },
      ],
    };
    expect(problemLines(raw)).toEqual([
      'progression.checks[0].prometheus.url: received "{{host}}"; expected only the placeholders {{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}, which rainbow release fills in: nothing else is a template',
      'progression.checks[0].prometheus.query: received "{{ app }}"; expected only the placeholders {{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}, which rainbow release fills in: nothing else is a template',
      'progression.checks[1].command[2]: received "{{version}}"; expected only the placeholders {{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}, which rainbow release fills in: nothing else is a template',
    ]);
  });
});

/** red, orange and green live; green is released. */
function threeColors(red: number, orange: number): RainbowSpec {
  const raw = rawSpec();
  raw.progression = { steps: [5, 25, 50, 100] };
  raw.colors = [
    { name: 'red', image: 'ghcr.io/acme/shop:1.0.0', weight: red },
    { name: 'orange', image: 'ghcr.io/acme/shop:1.1.0', weight: orange },
    { name: 'green', image: 'ghcr.io/acme/shop:1.2.0', weight: 100 - red - orange },
  ];
  return resolvedSpec(raw);
}

/** The weights after setting the edits' values. */
function weightsAfter(spec: RainbowSpec, result: ReturnType<typeof rollbackColor>): Record<string, number> {
  if ('refused' in result) throw new Error(result.refused.message);
  const weights = Object.fromEntries(spec.colors.map((c) => [c.name, c.weight]));
  for (const edit of result.edits)
    if (edit.kind === 'set') weights[spec.colors[edit.path[1] as number].name] = edit.value as number;
  return weights;
}

function stepped(spec: RainbowSpec, name: string): RainbowSpec {
  const raw = {
    ...rawSpec(),
    progression: { steps: spec.progression.steps },
    colors: spec.colors.map((c) => ({ name: c.name, image: c.image, weight: c.weight })),
  };
  const result = stepColor(spec, name);
  if ('refused' in result) throw new Error(result.refused.message);
  for (const edit of result.edits)
    if (edit.kind === 'set') raw.colors[edit.path[1] as number].weight = edit.value as number;
  const { spec: next, problems } = validateSpec(raw);
  if (next === undefined) throw new Error(problems.map((p) => p.message).join('\n'));
  return next;
}

describe('rollbackColor', () => {
  it('puts every other color back at its weight before the release, exactly, whatever the steps rounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 4 }), (red, steps) => {
        const start = threeColors(red, 100 - red);
        const before = new Map(start.colors.map((c) => [c.name, c.weight]));
        let spec = start;
        for (let i = 0; i < steps; i++) spec = stepped(spec, 'green');
        const result = rollbackColor(spec, 'green', before);
        expect(result.restored).toBe(true);
        expect(weightsAfter(spec, result)).toEqual({ red, orange: 100 - red, green: 0 });
      }),
      { numRuns: 200 },
    );
  });

  it('puts the color itself back at its weight before the release when it had traffic then', () => {
    const spec = threeColors(25, 25);
    const result = rollbackColor(
      spec,
      'green',
      new Map([
        ['red', 50],
        ['orange', 25],
        ['green', 25],
      ]),
    );
    expect(result.restored).toBe(true);
    expect(weightsAfter(spec, result)).toEqual({ red: 50, orange: 25, green: 25 });
  });

  it('drains the color when a color came or went since the release started', () => {
    const spec = threeColors(50, 25);
    const result = rollbackColor(
      spec,
      'green',
      new Map([
        ['red', 100],
        ['green', 0],
      ]),
    );
    expect(result.restored).toBe(false);
    expect(weightsAfter(spec, result).green).toBe(0);
  });
});

describe('progression.hooks and progression.notify', () => {
  const withProgression = (more: Record<string, unknown>) => {
    const raw = rawSpec();
    raw.progression = { ...raw.progression, ...more };
    return raw;
  };

  it('resolves each hook list with the defaults of its kind, and the notify targets; neither when not given', () => {
    const spec = resolvedSpec(
      withProgression({
        hooks: {
          preRollout: [{ name: 'smoke', http: { url: 'https://{{color}}.shop.example.com/healthz' } }],
          onRollback: [{ name: 'page', command: ['./page.sh', '{{color}}'] }],
        },
        notify: [{ url: 'https://hooks.example.com/rainbow' }],
      }),
    );
    expect(spec.progression.hooks).toEqual({
      preRollout: [
        {
          name: 'smoke',
          http: { url: 'https://{{color}}.shop.example.com/healthz', expectStatus: 200, timeoutSeconds: 5 },
        },
      ],
      onRollback: [{ name: 'page', command: ['./page.sh', '{{color}}'] }],
    });
    expect(spec.progression.notify).toEqual([{ url: 'https://hooks.example.com/rainbow' }]);
    expect(releaseSettings(spec.progression).hooks?.postPromotion).toBeUndefined();
    expect(resolvedSpec(rawSpec()).progression.hooks).toBeUndefined();
    expect(resolvedSpec(rawSpec()).progression.notify).toBeUndefined();
  });

  it('fails hooks that break the rules of checks, each at its own path', () => {
    expect(
      problemLines(
        withProgression({
          checkIntervalSeconds: 10,
          hooks: {
            preRollout: [
              { name: 'smoke', http: { url: 'https://x.example.com/{{colour}}', timeoutSeconds: 20 } },
              { name: 'smoke', command: ['true'] },
            ],
            postPromotion: [{ name: 'both', command: ['true'], http: { url: 'https://x.example.com' } }],
            onRollback: [],
          },
        }),
      ),
    ).toEqual([
      'progression.hooks.onRollback: received an empty list; expected a list of at least one check, each a name and one of prometheus, http or command',
      'progression.hooks.preRollout[0].http.timeoutSeconds: received 20 with checkIntervalSeconds 10; expected at most checkIntervalSeconds: a round of checks ends before the next begins',
      'progression.hooks.preRollout[0].http.url: received "{{colour}}"; expected only the placeholders {{color}} (or {{canary}}), {{baseline}}, {{app}} and {{weight}}, which rainbow release fills in: nothing else is a template',
      'progression.hooks.preRollout[1].name: received "smoke", already the name of progression.hooks.preRollout[0]; expected a unique name',
      'progression.hooks.postPromotion[0]: received http and command together; expected exactly one of prometheus, http or command',
    ]);
  });

  it('fails notify URLs with credentials, placeholders or another scheme, and an empty or too long list', () => {
    expect(
      problemLines(
        withProgression({
          notify: [
            { url: 'https://user:token@hooks.example.com/x' },
            { url: 'https://hooks.example.com/{{color}}' },
            { url: 'ftp://hooks.example.com' },
            { href: 'https://x' },
          ],
        }),
      ),
    ).toEqual([
      'progression.notify[0].url: received a URL with credentials (38 characters); expected no credentials in the spec: keep them in a Secret and reference it',
      'progression.notify[1].url: received "https://hooks.example.com/{{color}}" (35 characters); expected an http:// or https:// URL without credentials or placeholders, at most 2048 characters, such as https://hooks.example.com/rainbow',
      'progression.notify[2].url: received "ftp://hooks.example.com" (23 characters); expected an http:// or https:// URL without credentials or placeholders, at most 2048 characters, such as https://hooks.example.com/rainbow',
      'progression.notify[3].url: received nothing; expected an http:// or https:// URL without credentials or placeholders, at most 2048 characters, such as https://hooks.example.com/rainbow',
      'progression.notify[3].href: unknown field; allowed here: url',
    ]);
    expect(problemLines(withProgression({ notify: [] }))).toEqual([
      'progression.notify: received an empty list; expected a list of 1 to 10 notification targets, each a url',
    ]);
    expect(
      problemLines(
        withProgression({ notify: Array.from({ length: 11 }, () => ({ url: 'https://hooks.example.com' })) }),
      ),
    ).toEqual(['progression.notify: received a list; expected a list of 1 to 10 notification targets, each a url']);
  });
});

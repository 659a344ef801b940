import { AWS_LIMITS, MAX_RULE_PRIORITY } from '../../model/aws';
import { FIELDS } from '../../model/fields';
import { choices } from '../../model/messages';
import { EmptyResult } from '../../model/release';
import { ColorState, GatewayApiChannel, KubernetesRouter, Platform } from '../../model/types';
import { duplicateNameProblems, previewHostProblems } from '../../model/routers';

describe('FIELDS', () => {
  it('refuses a health-check path above 1024 characters and accepts one of 1024', () => {
    expect(FIELDS.healthCheckPath.test(`/${'a'.repeat(1023)}`)).toBe(true);
    expect(FIELDS.healthCheckPath.test(`/${'a'.repeat(1024)}`)).toBe(false);
  });

  it("leaves room above the app's first rule priority for its color rules and its weighted rule", () => {
    expect(MAX_RULE_PRIORITY + AWS_LIMITS.colorRuleSlots).toBe(AWS_LIMITS.maxPriority);
    expect(FIELDS.rulePriority.test(MAX_RULE_PRIORITY)).toBe(true);
    expect(FIELDS.rulePriority.test(MAX_RULE_PRIORITY + 1)).toBe(false);
    expect(FIELDS.rulePriority.expected).toBe(
      'a whole number from 1 to 49000 (the app uses this priority and the next 1000)',
    );
  });

  it('takes the values of an enum from the enum, in its order, for the test, the message and the JSON Schema', () => {
    const enums = [
      [FIELDS.platform, Platform],
      [FIELDS.router, KubernetesRouter],
      [FIELDS.state, ColorState],
      [FIELDS.gatewayApiChannel, GatewayApiChannel],
      [FIELDS.onEmpty, EmptyResult],
    ] as const;
    for (const [field, values] of enums) {
      expect(field.json.enum).toEqual(Object.values(values));
      expect(field.expected.startsWith(choices(Object.values(values)))).toBe(true);
    }
    expect(FIELDS.platform.expected).toBe('"kubernetes", "ecs", "ec2" or "dns"');
  });

  it('allows a single listener rule every priority the ALB allows', () => {
    expect(FIELDS.listenerRulePriority.test(AWS_LIMITS.maxPriority)).toBe(true);
    expect(FIELDS.listenerRulePriority.test(AWS_LIMITS.maxPriority + 1)).toBe(false);
  });
});

describe('rules between colors', () => {
  it('fails for a name used twice, at the later one, naming the first', () => {
    expect(duplicateNameProblems(['red', 'orange', 'red', 7])).toEqual([
      { path: '[2]', message: 'received "red", already the name of colors[0]; expected a unique name' },
    ]);
  });

  it('fails for a preview host longer than a DNS name allows', () => {
    const host = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
    expect(previewHostProblems(host, ['red'])).toEqual([
      {
        path: '',
        message: `received true, but the preview host "red.${'a'.repeat(53)}..." (${host.length + 4} characters) is too long; expected <color>.<host> to be a DNS name of at most 253 characters`,
      },
    ]);
    expect(previewHostProblems('shop.example.com', ['red'])).toEqual([]);
  });
});

import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { AlbRouter } from '../../constructs/aws/alb-router';
import { GatewayApiRouter } from '../../constructs/kubernetes/gateway-api-router';
import { IstioRouter } from '../../constructs/kubernetes/istio-router';
import { KubernetesColor } from '../../constructs/kubernetes/kubernetes-color';
import { NginxIngressRouter } from '../../constructs/kubernetes/nginx-ingress-router';
import { WeightedColor } from '../../constructs/common/router-options';
import { cohortRulePriority, cookieRegex } from '../../model/cohorts';
import { colorRulePriority } from '../../model/aws';
import { awsStack, kubernetesStack, onlyResource, synthJson } from '../helpers';

const BETA = { headers: { 'x-beta-user': 'true' }, cookies: { cohort: 'beta' } };
const colors: WeightedColor[] = [
  { color: 'blue', weight: 95 },
  { color: 'green', weight: 5 },
  { color: 'violet', weight: 0, match: BETA },
];
const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

function gateway(routerColors: WeightedColor[] = colors, pinHeader?: string) {
  const stack = kubernetesStack();
  new GatewayApiRouter(stack, 'Router', {
    app: 'shop',
    host: 'shop.example.com',
    gateway: { name: 'public', namespace: 'infra' },
    colors: routerColors,
    pinHeader,
  });
  return onlyResource(synthJson(stack), 'kubernetes_manifest').manifest;
}

describe('cookieRegex', () => {
  it('matches the cookie wherever it is in the Cookie header, and nothing that only looks like it', () => {
    const re = new RegExp(cookieRegex({ cohort: 'beta' }));
    for (const yes of ['cohort=beta', 'a=1; cohort=beta', 'cohort=beta; a=1', 'a=1;cohort=beta;b=2'])
      expect(re.test(yes)).toBe(true);
    for (const no of ['cohort=betamax', 'xcohort=beta', 'cohort=bet', 'a=cohort=beta']) expect(re.test(no)).toBe(false);
  });

  it('matches several cookies in any order, with special characters escaped', () => {
    const re = new RegExp(cookieRegex({ 'a.b': 'x+y', c: '1' }));
    expect(re.test('c=1; z=2; a.b=x+y')).toBe(true);
    expect(re.test('a.b=x+y; c=1')).toBe(true);
    expect(re.test('aXb=x+y; c=1')).toBe(false);
    expect(re.test('a.b=xxy; c=1')).toBe(false);
  });
});

describe('GatewayApiRouter with cohorts', () => {
  it('adds a rule per cohort color with exact header matches and a Cookie regex, the upstream schema accepts it', () => {
    const manifest = gateway();
    expect(manifest.spec.rules).toHaveLength(2);
    expect(manifest.spec.rules[1]).toEqual({
      matches: [
        {
          path: { type: 'PathPrefix', value: '/' },
          headers: [
            { type: 'Exact', name: 'x-beta-user', value: 'true' },
            { type: 'RegularExpression', name: 'Cookie', value: '^(.*;\\s*)?cohort=beta(;.*)?$' },
          ],
        },
      ],
      backendRefs: [{ name: 'shop-violet', port: 8080, weight: 1 }],
    });
    (new HTTPRoute(manifest) as unknown as { validate(): void }).validate();
  });

  it('lists cohort rules after the pin rules, so a tie goes to the pin', () => {
    const rules = gateway(colors, 'x-color').spec.rules;
    expect(rules).toHaveLength(5);
    expect(rules[4].backendRefs).toEqual([{ name: 'shop-violet', port: 8080, weight: 1 }]);
  });

  it("fails when two colors' matches overlap", () => {
    const overlapping = [
      { color: 'blue', weight: 100 },
      { color: 'green', weight: 0, match: BETA },
      { color: 'violet', weight: 0, match: { headers: { 'X-Beta-User': 'true' } } },
    ];
    expect(() => gateway(overlapping)).toThrow(
      'colors[2].match: received a match that overlaps colors[1].match (green): a request with header x-beta-user: true, cookie cohort=beta matches both; expected matches that differ in the value of a header or cookie both name, so that each request matches one color at most',
    );
  });

  it('fails on a header name that is not a token and a value that is not printable', () => {
    expect(() => gateway([{ color: 'blue', weight: 100, match: { headers: { 'x beta': 'a\u0007' } } }])).toThrow(
      'colors[0].match.headers["x beta"]: received "x beta"; expected a header name that is an HTTP token',
    );
  });

  it('fails on more than 16 rules', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      color: `c${i}`,
      weight: i === 0 ? 100 : 0,
      match: { headers: { 'x-cohort': `c${i}` } },
    }));
    expect(() => gateway(many, 'x-color')).toThrow(
      'colors[7].match: received 17 rules (1 weighted rule, 1 pin-header rule per color and 1 rule per color with a match); a Gateway API HTTPRoute holds at most 16 rules',
    );
  });
});

describe('IstioRouter with cohorts', () => {
  it('adds a route per cohort before the weighted default, header names in lowercase', () => {
    const stack = kubernetesStack();
    const router = new IstioRouter(stack, 'Router', {
      app: 'shop',
      host: 'shop.example.com',
      gateways: ['infra/public'],
      colors: [colors[0], colors[1]],
    });
    router.addColor(KubernetesColor.fromName(stack, 'Violet', { app: 'shop', color: 'violet' }), 0, {
      headers: { 'X-Beta-User': 'true' },
      cookies: { cohort: 'beta' },
    });
    const http = onlyResource(synthJson(stack), 'kubernetes_manifest').manifest.spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['cohort-violet', 'weighted']);
    expect(http[0]).toEqual({
      name: 'cohort-violet',
      match: [{ headers: { 'x-beta-user': { exact: 'true' }, cookie: { regex: '^(.*;\\s*)?cohort=beta(;.*)?$' } } }],
      route: [{ destination: { host: 'shop-violet.shop.svc.cluster.local', port: { number: 8080 } } }],
    });
  });
});

describe('NginxIngressRouter with cohorts', () => {
  function nginx(routerColors: WeightedColor[], pinHeader?: string) {
    const stack = kubernetesStack();
    new NginxIngressRouter(stack, 'Router', { app: 'shop', host: 'shop.example.com', colors: routerColors, pinHeader });
    return synthJson(stack).resource.kubernetes_ingress_v1;
  }

  it('puts a header cohort on the canary with canary-by-header and its value, even at weight 0', () => {
    const ingresses = nginx([
      { color: 'blue', weight: 100 },
      { color: 'green', weight: 0, match: { headers: { 'x-beta-user': 'true' } } },
    ]);
    const canary = Object.values(ingresses).find((i: any) => i.metadata.name === 'shop-canary') as any;
    expect(canary.metadata.annotations).toEqual(
      expect.objectContaining({
        'nginx.ingress.kubernetes.io/canary-by-header': 'x-beta-user',
        'nginx.ingress.kubernetes.io/canary-by-header-value': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '0',
      }),
    );
    expect(canary.spec.rule[0].http.path[0].backend.service.name).toBe('shop-green');
  });

  it('puts a cookie cohort on the canary with canary-by-cookie', () => {
    const ingresses = nginx([
      { color: 'blue', weight: 90 },
      { color: 'green', weight: 10, match: { cookies: { beta: 'always' } } },
    ]);
    const canary = Object.values(ingresses).find((i: any) => i.metadata.name === 'shop-canary') as any;
    expect(canary.metadata.annotations['nginx.ingress.kubernetes.io/canary-by-cookie']).toBe('beta');
  });

  it('fails on what ingress-nginx cannot express', () => {
    expect(() =>
      nginx([
        { color: 'blue', weight: 100 },
        { color: 'green', weight: 0, match: BETA },
      ]),
    ).toThrow('colors[1].match: received 2 conditions; expected one header or one cookie with the nginx router');
    expect(() =>
      nginx([
        { color: 'blue', weight: 100 },
        { color: 'green', weight: 0, match: { cookies: { cohort: 'beta' } } },
      ]),
    ).toThrow(
      'colors[1].match.cookies.cohort: received "beta"; expected "always" with the nginx router: canary-by-cookie sends a request to the canary only when the cookie\'s value is "always" (and never when it is "never")',
    );
    expect(() =>
      nginx([
        { color: 'blue', weight: 100, match: { headers: { 'x-beta-user': 'true' } } },
        { color: 'green', weight: 0 },
      ]),
    ).toThrow(
      'colors[0].match: received a match on blue, the primary color (weight 100, the highest); expected it on the canary',
    );
    expect(() =>
      nginx([
        { color: 'blue', weight: 100 },
        { color: 'green', weight: 0, match: { headers: { a: '1' } } },
        { color: 'violet', weight: 0, match: { headers: { a: '2' } } },
      ]),
    ).toThrow(
      "colors[2].match: received a second color with a match; expected one only with the nginx router: ingress-nginx has one canary Ingress per host, and colors[1].match (green) is the cohort's",
    );
  });
});

describe('AlbRouter with cohorts', () => {
  function alb(routerColors: WeightedColor[]) {
    const stack = awsStack();
    new AlbRouter(stack, 'Router', {
      app: 'shop',
      listenerArn: LISTENER,
      host: 'shop.example.com',
      rulePriority: 100,
      colors: routerColors,
    });
    return synthJson(stack);
  }

  it('adds a listener rule per cohort color, before the weighted rule, with exact cookie values', () => {
    const json = alb([
      { color: 'blue', weight: 100 },
      { color: 'violet', weight: 0, match: { cookies: { cohort: 'beta' } } },
    ]);
    const rule: any = Object.entries(json.resource.aws_lb_listener_rule).find(([k]) => k.includes('CohortRule'))![1];
    expect(rule.priority).toBe(cohortRulePriority(100, 'violet'));
    expect(rule.priority).toBeLessThan(1100);
    expect(rule.priority).not.toBe(colorRulePriority(100, 'violet'));
    expect(rule.condition).toEqual([
      { host_header: { values: ['shop.example.com'] } },
      {
        http_header: {
          http_header_name: 'Cookie',
          values: ['cohort=beta', 'cohort=beta; *', '*; cohort=beta', '*; cohort=beta; *'],
        },
      },
    ]);
    expect(rule.action[0].target_group_arn).toMatch(/data\.aws_lb_target_group\..*violet.*\.arn/);
  });

  it('fails beyond 5 condition values per rule, and on wildcards', () => {
    expect(() =>
      alb([
        { color: 'blue', weight: 100 },
        { color: 'violet', weight: 0, match: BETA },
      ]),
    ).toThrow(
      'colors[1].match: received a match that needs 6 condition values (1 for the host, 1 per header, 4 per cookie: exact wherever it is in the Cookie header); an ALB listener rule allows at most 5',
    );
    expect(() =>
      alb([
        { color: 'blue', weight: 100 },
        { color: 'violet', weight: 0, match: { headers: { 'x-beta': 'a*' } } },
      ]),
    ).toThrow(
      'colors[1].match.headers.x-beta: received "a*"; expected a value without "*" or "?": an ALB http-header condition reads them as wildcards',
    );
  });
});

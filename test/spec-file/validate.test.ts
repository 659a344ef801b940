import { formatProblem } from '../../model/problem';
import { validateSpecText } from '../../spec-file/load';
import { validateSpec } from '../../spec-file/validate';
import { problemLines, rawSpec, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

/** Applies a mutation to a fresh valid spec and returns its problem lines. */
function problemsAfter(mutate: Mutate): string[] {
  const raw = rawSpec();
  mutate(raw);
  return problemLines(raw);
}

describe('validateSpec', () => {
  describe('defaults', () => {
    it('fills in every default of a minimal spec', () => {
      const raw = rawSpec();
      delete raw.kubernetes.namespace;
      delete raw.kubernetes.router;
      delete raw.kubernetes.port;
      const spec = resolvedSpec(raw);
      expect(spec.kubernetes).toEqual({
        namespace: 'shop',
        router: 'gateway-api',
        gateway: { name: 'public', namespace: 'infra' },
        host: 'shop.example.com',
        port: 8080,
        imagePullSecrets: [],
        gatewayApiChannel: 'standard',
        ignoreAnnotations: ['^cloud\\.google\\.com/neg(-status)?$', '^field\\.cattle\\.io/'],
        ignoreLabels: [],
      });
      expect(spec.drainSeconds).toBe(30);
      expect(spec.rollingUpdate.maxSurge?.toString()).toBe('25%');
      expect(spec.rollingUpdate.maxUnavailable?.toString()).toBe('0');
      expect(spec.rollingUpdate.minReadySeconds).toBe(0);
      expect(spec.rollingUpdate.progressDeadlineSeconds).toBe(600);
      expect(spec.healthCheck).toEqual({
        path: '/healthz',
        periodSeconds: 10,
        failureThreshold: 3,
        startupSeconds: 60,
      });
      expect(spec.routing).toEqual({ previewHosts: false });
      expect(spec.backend).toEqual({ type: 'local' });
      expect(spec.colors[1]).toEqual({
        name: 'orange',
        image: 'ghcr.io/acme/shop:1.5.0',
        weight: 10,
        replicas: 2,
        state: 'live',
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: {} },
        env: {},
        secretEnv: {},
        podAnnotations: {},
      });
    });

    it('makes the default S3 key prefix the app and where it deploys', () => {
      const raw = rawSpec();
      raw.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1' } };
      expect(resolvedSpec(raw).backend).toEqual({
        type: 's3',
        s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop/shop' },
      });
    });

    it('merges resources field by field: color over spec over default', () => {
      const raw = rawSpec();
      raw.resources = { requests: { memory: '256Mi' }, limits: { memory: '512Mi' } };
      raw.colors[0].resources = { requests: { cpu: '250m' } };
      const [red, orange] = resolvedSpec(raw).colors;
      expect(red.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } });
      expect(orange.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    });

    it('accepts a retired color at weight 0 and keeps it in the spec', () => {
      const raw = rawSpec();
      raw.colors.push({ name: 'yellow', image: 'ghcr.io/acme/shop:1.3.0', weight: 0, state: 'retired' });
      expect(resolvedSpec(raw).colors.map((c) => `${c.name}:${c.state}`)).toEqual([
        'red:live',
        'orange:live',
        'yellow:retired',
      ]);
    });
  });

  describe('the document', () => {
    it.each([
      [
        [],
        'spec: received a list at the top of the file; expected a spec object with at least app, platform and colors',
      ],
      [
        'shop',
        'spec: received the string "shop" at the top of the file; expected a spec object with at least app, platform and colors',
      ],
      [
        null,
        'spec: received nothing at the top of the file; expected a spec object with at least app, platform and colors',
      ],
      [
        `SECRET=x\u0000${'y'.repeat(200)}`,
        'spec: received the string "SECRET=x\\u0000yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy..." (209 characters) at the top of the file; expected a spec object with at least app, platform and colors',
      ],
    ])('fails for %p at the top', (document, line) => {
      expect(problemLines(document)).toEqual([line]);
    });

    it('fails for an empty object with one line per required field', () => {
      expect(problemLines({})).toEqual([
        'app: received nothing; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
        'platform: received nothing; expected "kubernetes", "ecs", "ec2" or "dns"',
        'colors: received nothing; expected a list of at least one color',
      ]);
    });

    it('reports every problem at once', () => {
      expect(
        problemsAfter((s) => {
          s.app = 'Shop';
          s.colors[0].weight = 150;
          s.colours = [];
        }),
      ).toEqual([
        'app: received "Shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
        'colors[0].weight: received 150; expected a whole number from 0 to 100',
        'colours: unknown field (did you mean "colors"?); allowed here: app, platform, ecs, ec2, dns, kubernetes, rollingUpdate, healthCheck, resources, routing, security, drainSeconds, progression, env, secretEnv, migration, autoscaling, podAnnotations, backend, colors',
      ]);
    });
  });

  describe('unknown fields', () => {
    it('fails for a misspelt color field and suggests the right one', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].wieght = 10;
        }),
      ).toEqual([
        'colors[1].wieght: unknown field (did you mean "weight"?); allowed here: name, image, weight, replicas, state, resources, env, secretEnv, migration, autoscaling, podAnnotations, instanceType, expires, endpoint, match',
      ]);
    });

    it('fails for an unknown field with no close match, without a suggestion', () => {
      expect(
        problemsAfter((s) => {
          s.kubernetes.cluster = 'prod';
        }),
      ).toEqual([
        'kubernetes.cluster: unknown field; allowed here: namespace, router, gateway, ingressClassName, tlsSecretName, istioGateways, host, port, context, serviceAccountName, imagePullSecrets, gatewayApiChannel, ignoreAnnotations, ignoreLabels',
      ]);
    });

    it('fails for unknown fields at every depth', () => {
      expect(
        problemsAfter((s) => {
          s.kubernetes.gateway.port = 443;
          s.rollingUpdate = { maxSurge: 1, surge: 2 };
          s.resources = { requests: { gpu: '1' } };
          s.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1', dynamodbTable: 'locks' } };
        }),
      ).toEqual([
        'kubernetes.gateway.port: unknown field here (did you mean kubernetes.port?); allowed here: name, namespace, sectionName',
        'rollingUpdate.surge: unknown field; allowed here: maxSurge, maxUnavailable, minReadySeconds, progressDeadlineSeconds',
        'resources.requests.gpu: unknown field (did you mean "cpu"?); allowed here: cpu, memory',
        'backend.s3.dynamodbTable: unknown field; allowed here: bucket, region, keyPrefix',
      ]);
    });
  });

  describe('fields', () => {
    it.each<[string, Mutate, string]>([
      [
        'app with an uppercase letter',
        (s) => {
          s.app = 'Shop';
        },
        'app: received "Shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
      ],
      [
        'app starting with a digit',
        (s) => {
          s.app = '1shop';
        },
        'app: received "1shop"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
      ],
      [
        'app of 21 characters',
        (s) => {
          s.app = 'a'.repeat(21);
        },
        `app: received "${'a'.repeat(21)}" (21 characters); expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters`,
      ],
      [
        'platform openshift',
        (s) => {
          s.platform = 'openshift';
        },
        'platform: received "openshift"; expected "kubernetes", "ecs", "ec2" or "dns"',
      ],
      [
        'platform kubernetes without its block',
        (s) => {
          delete s.kubernetes;
        },
        'kubernetes: received nothing; expected the kubernetes settings (platform is kubernetes)',
      ],
      [
        'router traefik',
        (s) => {
          s.kubernetes.router = 'traefik';
        },
        'kubernetes.router: received "traefik"; expected "gateway-api", "nginx" or "istio"',
      ],
      [
        'namespace with an underscore',
        (s) => {
          s.kubernetes.namespace = 'my_shop';
        },
        'kubernetes.namespace: received "my_shop"; expected a Kubernetes namespace: lowercase letters, digits and hyphens, alphanumeric first and last, at most 63 characters',
      ],
      [
        'host with an empty label',
        (s) => {
          s.kubernetes.host = 'shop..example.com';
        },
        'kubernetes.host: received "shop..example.com"; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters',
      ],
      [
        'host that is an IP address',
        (s) => {
          s.kubernetes.host = '10.0.0.1';
        },
        'kubernetes.host: received "10.0.0.1"; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters',
      ],
      [
        'host with a label of 64 characters',
        (s) => {
          s.kubernetes.host = `${'a'.repeat(64)}.example.com`;
        },
        `kubernetes.host: received "${'a'.repeat(57)}..." (76 characters); expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters`,
      ],
      [
        'missing host',
        (s) => {
          delete s.kubernetes.host;
        },
        'kubernetes.host: received nothing; expected a DNS name such as shop.example.com: labels of lowercase letters, digits and hyphens, alphanumeric first and last, separated by dots, at most 253 characters',
      ],
      [
        'port 0',
        (s) => {
          s.kubernetes.port = 0;
        },
        'kubernetes.port: received 0; expected a whole number from 1 to 65535',
      ],
      [
        'port 65536',
        (s) => {
          s.kubernetes.port = 65536;
        },
        'kubernetes.port: received 65536; expected a whole number from 1 to 65535',
      ],
      [
        'port as a string',
        (s) => {
          s.kubernetes.port = '8080';
        },
        'kubernetes.port: received "8080"; expected a whole number from 1 to 65535',
      ],
      [
        'context with a space',
        (s) => {
          s.kubernetes.context = 'my prod';
        },
        'kubernetes.context: received "my prod"; expected a kubeconfig context name: a non-empty string without whitespace',
      ],
      [
        'gateway as a string',
        (s) => {
          s.kubernetes.gateway = 'infra/public';
        },
        'kubernetes.gateway: received "infra/public"; expected an object with the fields name, namespace, sectionName',
      ],
      [
        'gateway without a namespace',
        (s) => {
          delete s.kubernetes.gateway.namespace;
        },
        'kubernetes.gateway.namespace: received nothing; expected a Kubernetes namespace: lowercase letters, digits and hyphens, alphanumeric first and last, at most 63 characters',
      ],
      [
        'gateway name with uppercase',
        (s) => {
          s.kubernetes.gateway.name = 'Public';
        },
        'kubernetes.gateway.name: received "Public"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
      ],
      [
        'gateway sectionName with a slash',
        (s) => {
          s.kubernetes.gateway.sectionName = 'https/443';
        },
        'kubernetes.gateway.sectionName: received "https/443"; expected a listener name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
      ],
      [
        'maxSurge 101%',
        (s) => {
          s.rollingUpdate = { maxSurge: '101%' };
        },
        'rollingUpdate.maxSurge: received "101%"; expected a whole number of at least 0, or a percent "N%" with N a whole number from 0 to 100',
      ],
      [
        'maxUnavailable negative',
        (s) => {
          s.rollingUpdate = { maxUnavailable: -1 };
        },
        'rollingUpdate.maxUnavailable: received -1; expected a whole number of at least 0, or a percent "N%" with N a whole number from 0 to 100',
      ],
      [
        'maxSurge a fraction',
        (s) => {
          s.rollingUpdate = { maxSurge: 0.5 };
        },
        'rollingUpdate.maxSurge: received 0.5; expected a whole number of at least 0, or a percent "N%" with N a whole number from 0 to 100',
      ],
      [
        'minReadySeconds above an hour',
        (s) => {
          s.rollingUpdate = { minReadySeconds: 3601 };
        },
        'rollingUpdate.minReadySeconds: received 3601; expected a whole number of seconds from 0 to 3600',
      ],
      [
        'progressDeadlineSeconds 0',
        (s) => {
          s.rollingUpdate = { progressDeadlineSeconds: 0 };
        },
        'rollingUpdate.progressDeadlineSeconds: received 0; expected a whole number of seconds from 1 to 86400',
      ],
      [
        'health path without a slash',
        (s) => {
          s.healthCheck = { path: 'healthz' };
        },
        'healthCheck.path: received "healthz"; expected a URL path starting with "/", without whitespace',
      ],
      [
        'health period 0',
        (s) => {
          s.healthCheck = { periodSeconds: 0 };
        },
        'healthCheck.periodSeconds: received 0; expected a whole number of seconds from 1 to 3600',
      ],
      [
        'failure threshold 0',
        (s) => {
          s.healthCheck = { failureThreshold: 0 };
        },
        'healthCheck.failureThreshold: received 0; expected a whole number from 1 to 100',
      ],
      [
        'cpu request in cores with a unit typo',
        (s) => {
          s.resources = { requests: { cpu: '100 m' } };
        },
        'resources.requests.cpu: received "100 m"; expected a Kubernetes CPU quantity such as 100m, 0.5 or 2',
      ],
      [
        'memory limit in MB',
        (s) => {
          s.resources = { limits: { memory: '512MB' } };
        },
        'resources.limits.memory: received "512MB"; expected a Kubernetes memory quantity such as 128Mi, 1Gi or 500M',
      ],
      [
        'pin header with a space',
        (s) => {
          s.routing = { pinHeader: 'x rainbow' };
        },
        'routing.pinHeader: received "x rainbow"; expected an HTTP header name: letters, digits and !#$%&\'*+-.^_`|~, at most 256 characters',
      ],
      [
        'bucket with uppercase',
        (s) => {
          s.backend = { s3: { bucket: 'TF-State', region: 'eu-west-1' } };
        },
        'backend.s3.bucket: received "TF-State"; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots or hyphens, alphanumeric first and last',
      ],
      [
        'region not a region',
        (s) => {
          s.backend = { s3: { bucket: 'tf-state', region: 'europe' } };
        },
        'backend.s3.region: received "europe"; expected an AWS region such as eu-west-1',
      ],
      [
        'key prefix with a leading slash',
        (s) => {
          s.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: '/shop' } };
        },
        'backend.s3.keyPrefix: received "/shop"; expected an S3 key prefix: letters, digits and !-_.*\'()/, not starting or ending with "/", at most 200 characters',
      ],
      [
        'colors empty',
        (s) => {
          s.colors = [];
        },
        'colors: received an empty list; expected a list of at least one color',
      ],
      [
        'colors as an object',
        (s) => {
          s.colors = { red: {} };
        },
        'colors: received an object; expected a list of at least one color',
      ],
      [
        'a color that is not an object',
        (s) => {
          s.colors[1] = 'orange';
        },
        'colors[1]: received "orange"; expected an object with the fields name, image, weight, replicas, state, resources, env, secretEnv, migration, autoscaling, podAnnotations, instanceType, expires, endpoint, match',
      ],
      [
        'color name with uppercase',
        (s) => {
          s.colors[0].name = 'Red';
        },
        'colors[0].name: received "Red"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters',
      ],
      [
        'color name ending in a hyphen',
        (s) => {
          s.colors[0].name = 'red-';
        },
        'colors[0].name: received "red-"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters',
      ],
      [
        'color name of 21 characters',
        (s) => {
          s.colors[0].name = 'r'.repeat(21);
        },
        `colors[0].name: received "${'r'.repeat(21)}" (21 characters); expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters`,
      ],
      [
        'image with whitespace',
        (s) => {
          s.colors[0].image = 'shop 1.4';
        },
        'colors[0].image: received "shop 1.4"; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
      ],
      [
        'image missing',
        (s) => {
          delete s.colors[0].image;
        },
        'colors[0].image: received nothing; expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0',
      ],
      [
        'replicas negative',
        (s) => {
          s.colors[0].replicas = -1;
        },
        'colors[0].replicas: received -1; expected a whole number from 0 to 10000',
      ],
      [
        'state unknown',
        (s) => {
          s.colors[0].state = 'draining';
        },
        'colors[0].state: received "draining"; expected "live" or "retired"',
      ],
    ])('fails for %s', (_name, mutate, line) => {
      expect(problemsAfter(mutate)).toEqual([line]);
    });
  });

  describe('rules between fields', () => {
    it('fails when the weights do not add up to 100, showing the sum', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].weight = 5;
        }),
      ).toEqual([
        'colors: the weights of the colors that are not retired add up to 95 (red 90 + orange 5); expected exactly 100',
      ]);
    });

    it('fails when every weight is 0', () => {
      expect(
        problemsAfter((s) => {
          s.colors[0].weight = 0;
          s.colors[1].weight = 0;
        }),
      ).toEqual([
        'colors: the weights of the colors that are not retired add up to 0 (red 0 + orange 0); expected exactly 100',
      ]);
    });

    it('does not count retired colors in the sum', () => {
      const raw = rawSpec();
      raw.colors.push({ name: 'yellow', image: 'x:1', weight: 0, state: 'retired' });
      expect(problemLines(raw)).toEqual([]);
    });

    it('fails when a retired color has a weight', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].state = 'retired';
          s.colors[0].weight = 90;
        }),
      ).toEqual([
        'colors[1].weight: received 10 for a retired color; expected 0: drain a color to weight 0 before retiring it',
        'colors: the weights of the colors that are not retired add up to 90 (red 90); expected exactly 100',
      ]);
    });

    it('fails when every color is retired', () => {
      expect(
        problemsAfter((s) => {
          s.colors = [{ name: 'red', image: 'x:1', weight: 0, state: 'retired' }];
        }),
      ).toEqual(['colors: every color is retired; expected at least one that is not, to receive the traffic']);
    });

    it('fails for two colors with the same name', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].name = 'red';
        }),
      ).toEqual(['colors[1].name: received "red", already the name of colors[0]; expected a unique name']);
    });

    it('fails for the reserved name "router"', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].name = 'router';
        }),
      ).toEqual([
        'colors[1].name: received "router"; expected another name: "router" is reserved for the router stack <app>-router',
      ]);
    });

    it('fails for a color with traffic and no replicas', () => {
      expect(
        problemsAfter((s) => {
          s.colors[1].replicas = 0;
        }),
      ).toEqual([
        'colors[1].replicas: received 0 with weight 10; expected at least 1 replica for a color that receives traffic',
      ]);
    });

    it('accepts a color at weight 0 with no replicas', () => {
      const raw = rawSpec();
      raw.colors[0].weight = 100;
      raw.colors[1].weight = 0;
      raw.colors[1].replicas = 0;
      expect(problemLines(raw)).toEqual([]);
    });

    it('fails without a gateway for the gateway-api router', () => {
      expect(
        problemsAfter((s) => {
          delete s.kubernetes.gateway;
        }),
      ).toEqual([
        'kubernetes.gateway: received nothing; expected an object with the fields name, namespace, sectionName (the gateway-api router attaches its HTTPRoute to it)',
      ]);
    });

    it.each([
      [0, 0],
      [0, '0%'],
      ['0%', 0],
      ['0%', '0%'],
    ])('fails when maxSurge %p and maxUnavailable %p are both zero', (maxSurge, maxUnavailable) => {
      expect(
        problemsAfter((s) => {
          s.rollingUpdate = { maxSurge, maxUnavailable };
        }),
      ).toEqual([
        `rollingUpdate.maxSurge: received ${maxSurge} with maxUnavailable ${maxUnavailable}; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced`,
      ]);
    });

    it('fails when maxSurge alone is zero and maxUnavailable keeps its default of 0', () => {
      expect(
        problemsAfter((s) => {
          s.rollingUpdate = { maxSurge: 0 };
        }),
      ).toEqual([
        'rollingUpdate.maxSurge: received 0 with maxUnavailable 0; maxSurge and maxUnavailable cannot both be zero, or no pod could ever be replaced',
      ]);
    });

    it('fails when progressDeadlineSeconds is not above minReadySeconds', () => {
      expect(
        problemsAfter((s) => {
          s.rollingUpdate = { minReadySeconds: 600 };
        }),
      ).toEqual([
        'rollingUpdate.progressDeadlineSeconds: received 600 with minReadySeconds 600; expected more than minReadySeconds, or every rollout would time out',
      ]);
    });

    it('fails for a limit below its request, where the limit is written', () => {
      expect(
        problemsAfter((s) => {
          s.resources = { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } };
          s.colors[1].resources = { limits: { cpu: '50m' } };
        }),
      ).toEqual([
        'resources.limits.memory: received memory limit 512Mi below the request 1Gi; expected a limit at least as large as the request (Kubernetes refuses it)',
        'colors[1].resources.limits.cpu: received cpu limit 50m below the request 100m; expected a limit at least as large as the request (Kubernetes refuses it)',
      ]);
    });

    it('accepts limits equal to requests in other units', () => {
      const raw = rawSpec();
      raw.resources = { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: '500m', memory: '1Gi' } };
      expect(problemLines(raw)).toEqual([]);
    });
  });

  describe('Gateway API limits', () => {
    const colors = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'x:1', weight: i === 0 ? 100 : 0 }));

    it('accepts 16 colors without a pin header', () => {
      expect(
        problemsAfter((s) => {
          s.colors = colors(16);
        }),
      ).toEqual([]);
    });

    it('fails for 17 colors that are not retired: 16 backendRefs per rule', () => {
      expect(
        problemsAfter((s) => {
          s.colors = colors(17);
        }),
      ).toEqual([
        'colors: received 17 colors that are not retired; a Gateway API HTTPRoute rule holds at most 16 backendRefs',
      ]);
    });

    it('accepts 17 colors when one of them is retired', () => {
      expect(
        problemsAfter((s) => {
          s.colors = colors(17);
          s.colors[16].state = 'retired';
        }),
      ).toEqual([]);
    });

    it('fails for 16 colors with a pin header: 16 rules per route', () => {
      expect(
        problemsAfter((s) => {
          s.colors = colors(16);
          s.routing = { pinHeader: 'x-color' };
        }),
      ).toEqual([
        'routing.pinHeader: received 17 rules (1 weighted rule and 1 pin-header rule per color that is not retired); a Gateway API HTTPRoute holds at most 16 rules, so with pinHeader at most 15 colors',
      ]);
    });

    it('accepts 15 colors with a pin header', () => {
      expect(
        problemsAfter((s) => {
          s.colors = colors(15);
          s.routing = { pinHeader: 'x-color' };
        }),
      ).toEqual([]);
    });
  });

  describe('YAML tags that make a Map, a Set, a date or bytes', () => {
    /** Problems of a YAML spec whose last lines are `tail`, as `rainbow validate` prints them. */
    const yamlProblems = (...tail: string[]) =>
      validateSpecText(
        [
          'app: shop',
          'platform: kubernetes',
          'kubernetes: {gateway: {name: public, namespace: infra}, host: shop.example.com}',
          'colors:',
          '  - {name: red, image: "ghcr.io/acme/shop:1.4.0", weight: 100}',
          ...tail,
          '',
        ].join('\n'),
        'rainbow.yaml',
      ).problems.map(formatProblem);
    const ROLLING = 'an object with the fields maxSurge, maxUnavailable, minReadySeconds, progressDeadlineSeconds';

    it('fails on an ordered map (!!omap) where an object is expected, rather than dropping its fields', () => {
      expect(yamlProblems('rollingUpdate: !!omap [maxSurge: 0, maxUnavailable: 0, bogusField: 1]')).toEqual([
        `rainbow.yaml:6:23: rollingUpdate: received a Map (YAML !!omap); expected ${ROLLING}`,
      ]);
    });

    it('fails on a set (!!set) or a timestamp (!!timestamp) where an object is expected', () => {
      expect(yamlProblems('healthCheck: !!set {path, periodSeconds}')).toEqual([
        'rainbow.yaml:6:20: healthCheck: received a Set (YAML !!set); expected an object with the fields path, periodSeconds, failureThreshold, startupSeconds',
      ]);
      expect(yamlProblems('rollingUpdate: !!timestamp 2024-01-01')).toEqual([
        `rainbow.yaml:6:28: rollingUpdate: received a Date (YAML !!timestamp); expected ${ROLLING}`,
      ]);
    });

    it('fails on bytes (!!binary) where an object is expected once, never listing their methods as fields', () => {
      expect(yamlProblems('rollingUpdate: !!binary aGVsbG8=')).toEqual([
        `rainbow.yaml:6:25: rollingUpdate: received bytes (YAML !!binary); expected ${ROLLING}`,
      ]);
    });

    it("fails on an ordered map in a color's own object", () => {
      expect(
        yamlProblems(
          '  - name: orange',
          '    image: "ghcr.io/acme/shop:1.5.0"',
          '    weight: 0',
          '    resources: !!omap [requests: {cpu: 1}]',
        ),
      ).toEqual([
        'rainbow.yaml:9:23: colors[1].resources: received a Map (YAML !!omap); expected an object with the fields requests, limits',
      ]);
    });

    it('accepts the same fields written as a plain mapping', () => {
      expect(yamlProblems('rollingUpdate: {maxSurge: 0, maxUnavailable: 1}')).toEqual([]);
    });
  });

  it('never throws, whatever the document', () => {
    for (const document of [
      undefined,
      0,
      true,
      [],
      {},
      { colors: [null, 1, []] },
      { kubernetes: [], rollingUpdate: 'fast' },
    ]) {
      expect(() => validateSpec(document)).not.toThrow();
    }
  });
});

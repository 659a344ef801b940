import { problemLines, rawSpec, resolvedSpec } from '../spec-helpers';

type Mutate = (s: Record<string, any>) => void;

function problemsAfter(mutate: Mutate): string[] {
  const raw = rawSpec();
  mutate(raw);
  return problemLines(raw);
}

const nginx: Mutate = (s) => {
  s.kubernetes.router = 'nginx';
  delete s.kubernetes.gateway;
};

const istio: Mutate = (s) => {
  s.kubernetes.router = 'istio';
  delete s.kubernetes.gateway;
  s.kubernetes.istioGateways = ['infra/public'];
};

describe('validateSpec: routers', () => {
  it('defaults the nginx ingress class to nginx', () => {
    const raw = rawSpec();
    nginx(raw);
    expect(resolvedSpec(raw).kubernetes?.ingressClassName).toBe('nginx');
  });

  it('accepts an istio spec with mesh and a namespaced gateway', () => {
    const raw = rawSpec();
    istio(raw);
    raw.kubernetes.istioGateways = ['infra/public', 'mesh'];
    expect(resolvedSpec(raw).kubernetes?.istioGateways).toEqual(['infra/public', 'mesh']);
  });

  it.each<[string, Mutate, string]>([
    [
      'a gateway with the nginx router',
      (s) => {
        nginx(s);
        s.kubernetes.gateway = { name: 'public', namespace: 'infra' };
      },
      'kubernetes.gateway: received an object; expected nothing: only the gateway-api router uses it, and kubernetes.router is nginx',
    ],
    [
      'istioGateways with the gateway-api router',
      (s) => {
        s.kubernetes.istioGateways = ['infra/public'];
      },
      'kubernetes.istioGateways: received a list; expected nothing: only the istio router uses it, and kubernetes.router is gateway-api',
    ],
    [
      'a TLS secret with the istio router',
      (s) => {
        istio(s);
        s.kubernetes.tlsSecretName = 'shop-tls';
      },
      'kubernetes.tlsSecretName: received "shop-tls"; expected nothing: only the nginx router uses it, and kubernetes.router is istio',
    ],
    [
      'an ingress class with the gateway-api router',
      (s) => {
        s.kubernetes.ingressClassName = 'nginx';
      },
      'kubernetes.ingressClassName: received "nginx"; expected nothing: only the nginx router uses it, and kubernetes.router is gateway-api',
    ],
    [
      'the istio router without gateways',
      (s) => {
        istio(s);
        delete s.kubernetes.istioGateways;
      },
      'kubernetes.istioGateways: received nothing; expected a list of at least one Istio gateway, each "namespace/name" or "mesh" (the istio router binds its VirtualService to them)',
    ],
    [
      'an empty istioGateways',
      (s) => {
        istio(s);
        s.kubernetes.istioGateways = [];
      },
      'kubernetes.istioGateways: received an empty list; expected a list of at least one Istio gateway, each "namespace/name" or "mesh"',
    ],
    [
      'an istio gateway without a namespace',
      (s) => {
        istio(s);
        s.kubernetes.istioGateways = ['public'];
      },
      'kubernetes.istioGateways[0]: received "public"; expected an Istio gateway as "namespace/name" (each lowercase letters, digits and hyphens), or "mesh"',
    ],
    [
      'an invalid ingress class',
      (s) => {
        nginx(s);
        s.kubernetes.ingressClassName = 'Nginx';
      },
      'kubernetes.ingressClassName: received "Nginx"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    ],
    [
      'three colors above weight 0 with nginx',
      (s) => {
        nginx(s);
        s.colors = [
          { name: 'red', image: 'x:1', weight: 50 },
          { name: 'orange', image: 'x:1', weight: 30 },
          { name: 'yellow', image: 'x:1', weight: 20 },
        ];
      },
      'colors: received 3 colors above weight 0 (red 50, orange 30, yellow 20); the nginx router allows at most 2, because ingress-nginx supports one canary Ingress per host',
    ],
    [
      'stickySeconds with a pin header on nginx',
      (s) => {
        nginx(s);
        s.routing = { pinHeader: 'x-color', stickySeconds: 60 };
      },
      'routing.stickySeconds: received stickySeconds together with pinHeader; the nginx router cannot have both: ingress-nginx follows its affinity cookie before the canary header, so pinned and drained colors would keep sticky clients',
    ],
    [
      'a pin header with an underscore on nginx',
      (s) => {
        nginx(s);
        s.routing = { pinHeader: 'x_color' };
      },
      'routing.pinHeader: received "x_color"; expected letters, digits and "-" only with the nginx router: ingress-nginx drops other header names by default',
    ],
    [
      'an app name ending in a hyphen',
      (s) => {
        s.app = 'shop-';
      },
      'app: received "shop-"; expected a lowercase letter first, then lowercase letters, digits or hyphens, a letter or digit last, at most 20 characters',
    ],
    [
      'stickySeconds 0',
      (s) => {
        s.routing = { stickySeconds: 0 };
      },
      'routing.stickySeconds: received 0; expected a whole number of seconds from 1 to 604800',
    ],
    [
      'stickySeconds above a week',
      (s) => {
        s.routing = { stickySeconds: 604801 };
      },
      'routing.stickySeconds: received 604801; expected a whole number of seconds from 1 to 604800',
    ],
    [
      'previewHosts as a string',
      (s) => {
        s.routing = { previewHosts: 'yes' };
      },
      'routing.previewHosts: received "yes"; expected true or false',
    ],
    [
      'a preview host that is too long',
      (s) => {
        s.kubernetes.host = `${'a'.repeat(61)}.${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
        s.routing = { previewHosts: true };
        s.colors = [{ name: 'red', image: 'x:1', weight: 100 }];
      },
      `routing.previewHosts: received true, but the preview host "red.${'a'.repeat(53)}..." (255 characters) is too long; expected <color>.<host> to be a DNS name of at most 253 characters`,
    ],
  ])('fails for %s', (_name, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });

  it('accepts two colors above weight 0 and more at 0 with nginx', () => {
    expect(
      problemsAfter((s) => {
        nginx(s);
        s.colors.push(
          { name: 'yellow', image: 'x:1', weight: 0 },
          { name: 'green', image: 'x:1', weight: 0, state: 'retired' },
        );
      }),
    ).toEqual([]);
  });

  it('accepts more than 16 colors with istio, which has no such limit', () => {
    expect(
      problemsAfter((s) => {
        istio(s);
        s.routing = { pinHeader: 'x-color' };
        s.colors = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, image: 'x:1', weight: i < 10 ? 10 : 0 }));
      }),
    ).toEqual([]);
  });
});

describe('validateSpec: odd documents', () => {
  it('reports a color name that is an object instead of throwing', () => {
    const raw = rawSpec();
    nginx(raw);
    raw.colors = [{ name: { toString: 1 }, image: 'x:1', weight: 100 }];
    expect(problemLines(raw)).toEqual([
      'colors[0].name: received an object; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters',
    ]);
  });
});

describe('validateSpec: operations', () => {
  it('resolves env, secretEnv, migration and autoscaling per color, the color winning', () => {
    const raw = rawSpec();
    raw.env = { LOG_LEVEL: 'info', PORT: '8080', FEATURE_X: false, DB_URL: 'postgres://db' };
    raw.secretEnv = { API_KEY: { secret: 'shop-secrets', key: 'api-key' } };
    raw.migration = { command: ['./migrate', 'up'] };
    raw.colors[1].env = { LOG_LEVEL: 'debug' };
    raw.colors[1].secretEnv = { DB_URL: { secret: 'shop-db', key: 'url' } };
    raw.colors[1].migration = {
      command: ['./migrate', 'up', '--v2'],
      image: 'ghcr.io/acme/migrate:2',
      backoffLimit: 0,
    };
    raw.colors[1].autoscaling = { min: 2, max: 6 };
    delete raw.colors[1].replicas;
    const [red, orange] = resolvedSpec(raw).colors;
    expect(red.env).toEqual({ LOG_LEVEL: 'info', PORT: '8080', FEATURE_X: 'false', DB_URL: 'postgres://db' });
    expect(red.secretEnv).toEqual({ API_KEY: { secret: 'shop-secrets', key: 'api-key' } });
    expect(red.migration).toEqual({ command: ['./migrate', 'up'], image: 'ghcr.io/acme/shop:1.4.0', backoffLimit: 2 });
    expect(red.autoscaling).toBeUndefined();
    expect(orange.env).toEqual({ LOG_LEVEL: 'debug', PORT: '8080', FEATURE_X: 'false' });
    expect(orange.secretEnv).toEqual({
      API_KEY: { secret: 'shop-secrets', key: 'api-key' },
      DB_URL: { secret: 'shop-db', key: 'url' },
    });
    expect(orange.migration).toEqual({
      command: ['./migrate', 'up', '--v2'],
      image: 'ghcr.io/acme/migrate:2',
      backoffLimit: 0,
    });
    expect(orange.autoscaling).toEqual({ min: 2, max: 6, cpuPercent: 80 });
    expect(orange.replicas).toBe(2);
  });

  it('accepts a plain secret-like value when security.allowPlainSecretEnv says so', () => {
    const raw = rawSpec();
    raw.env = { TOKEN_TTL: '3600' };
    raw.security = { allowPlainSecretEnv: true };
    expect(resolvedSpec(raw).security).toEqual({
      allowRunAsRoot: false,
      allowWritableRootFilesystem: false,
      allowServiceAccountToken: false,
      allowPublicIp: false,
      allowPlainSecretEnv: true,
      allowMutableTags: false,
    });
  });

  it('takes the replicas of every color from a spec-level autoscaling minimum', () => {
    const raw = rawSpec();
    raw.autoscaling = { min: 3, max: 10, cpuPercent: 60 };
    delete raw.colors[0].replicas;
    expect(resolvedSpec(raw).colors.map((c) => c.replicas)).toEqual([3, 3]);
  });

  it.each<[string, Mutate, string]>([
    [
      'drainSeconds negative',
      (s) => {
        s.drainSeconds = -1;
      },
      'drainSeconds: received -1; expected a whole number of seconds from 0 to 3600',
    ],
    [
      'an env name with a hyphen',
      (s) => {
        s.env = { 'LOG-LEVEL': 'info' };
      },
      'env.LOG-LEVEL: received "LOG-LEVEL"; expected an environment variable name: a letter or "_" first, then letters, digits or "_", at most 256 characters',
    ],
    [
      'an env name starting with a digit in a color',
      (s) => {
        s.colors[0].env = { '1X': 'y' };
      },
      'colors[0].env.1X: received "1X"; expected an environment variable name: a letter or "_" first, then letters, digits or "_", at most 256 characters',
    ],
    [
      'an env value that is an object',
      (s) => {
        s.env = { CONFIG: { a: 1 } };
      },
      'env.CONFIG: received an object; expected a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
    ],
    [
      'an env value that is a number',
      (s) => {
        s.env = { VERSION: 1.1 };
      },
      'env.VERSION: received 1.1; expected a string, or true/false: quote numbers ("8080", "1.10") so that they reach the container exactly as written',
    ],
    [
      'a migration TTL, which would let Terraform run the migration again',
      (s) => {
        s.migration = { command: ['m'], ttlSeconds: 60 };
      },
      'migration.ttlSeconds: received 60; expected nothing: migration Jobs are no longer deleted after a TTL, because Terraform re-creates a deleted Job and so runs the migration again; remove the field',
    ],
    [
      'env as a list',
      (s) => {
        s.env = ['A=1'];
      },
      'env: received a list; expected an object of environment variable names to values',
    ],
    [
      'a secretEnv without a key',
      (s) => {
        s.secretEnv = { API_KEY: { secret: 'shop' } };
      },
      'secretEnv.API_KEY.key: received nothing; expected a Secret key: letters, digits, "-", "_" or ".", not "." or "..", not starting with "..", at most 253 characters',
    ],
    [
      'a secretEnv given a value',
      (s) => {
        s.secretEnv = { API_KEY: 'hunter2' };
      },
      'secretEnv.API_KEY: received a string of 7 characters; expected an object with the fields secret, key',
    ],
    [
      'a variable in env and secretEnv',
      (s) => {
        s.env = { DB_URL: 'x' };
        s.secretEnv = { DB_URL: { secret: 'shop', key: 'k' } };
      },
      'secretEnv.DB_URL: received "DB_URL" in both env and secretEnv; expected each variable in one of them',
    ],
    [
      'a plain value under a secret-like name',
      (s) => {
        s.env = { DB_PASSWORD: 'hunter2' };
      },
      'env.DB_PASSWORD: received a plain value for DB_PASSWORD, which is named like a secret; expected it in secretEnv, as a reference to a Kubernetes Secret, or security.allowPlainSecretEnv: true if it is not secret',
    ],
    [
      'a plain token in a color',
      (s) => {
        s.colors[1].env = { GITHUB_TOKEN: 'ghp_x' };
      },
      'colors[1].env.GITHUB_TOKEN: received a plain value for GITHUB_TOKEN, which is named like a secret; expected it in secretEnv, as a reference to a Kubernetes Secret, or security.allowPlainSecretEnv: true if it is not secret',
    ],
    [
      'an ECS allowance on Kubernetes',
      (s) => {
        s.security = { allowPublicIp: true };
      },
      'security.allowPublicIp: received true; expected nothing: it applies to ecs and ec2 only, and platform is kubernetes',
    ],
    [
      'a migration without a command',
      (s) => {
        s.migration = { command: [] };
      },
      'migration.command: received an empty list; expected a list of at least one non-empty string: the command and its arguments',
    ],
    [
      'a migration command with an empty argument',
      (s) => {
        s.migration = { command: ['migrate', ''] };
      },
      'migration.command[1]: received ""; expected a list of at least one non-empty string: the command and its arguments',
    ],
    [
      'a migration backoffLimit of 11',
      (s) => {
        s.colors[0].migration = { command: ['m'], backoffLimit: 11 };
      },
      'colors[0].migration.backoffLimit: received 11; expected a whole number from 0 to 10',
    ],
    [
      'autoscaling min 0',
      (s) => {
        s.autoscaling = { min: 0, max: 3 };
        delete s.colors[0].replicas;
      },
      'autoscaling.min: received 0; expected a whole number from 1 to 10000',
    ],
    [
      'autoscaling min above max',
      (s) => {
        s.colors[1].autoscaling = { min: 5, max: 3 };
      },
      'colors[1].autoscaling.min: received 5, above max 3; expected min no larger than max',
    ],
    [
      'autoscaling without max',
      (s) => {
        s.autoscaling = { min: 2 };
        delete s.colors[0].replicas;
      },
      'autoscaling.max: received nothing; expected a whole number from 1 to 10000',
    ],
    [
      'replicas together with autoscaling',
      (s) => {
        s.autoscaling = { min: 2, max: 4 };
      },
      'colors[0].replicas: received 3 together with autoscaling; expected one of them: with autoscaling, the replicas come from autoscaling.min',
    ],
    [
      'cpuPercent 0',
      (s) => {
        s.colors[1].autoscaling = { min: 1, max: 2, cpuPercent: 0 };
      },
      'colors[1].autoscaling.cpuPercent: received 0; expected a whole number from 1 to 1000',
    ],
    [
      'a service account name with uppercase',
      (s) => {
        s.kubernetes.serviceAccountName = 'Shop';
      },
      'kubernetes.serviceAccountName: received "Shop"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    ],
    [
      'an image pull secret with a space',
      (s) => {
        s.kubernetes.imagePullSecrets = ['ok', 'not ok'];
      },
      'kubernetes.imagePullSecrets[1]: received "not ok"; expected a Kubernetes object name: lowercase letters, digits and hyphens, alphanumeric first and last, dots between parts, at most 253 characters',
    ],
  ])('fails for %s', (_name, mutate, line) => {
    expect(problemsAfter(mutate)).toEqual([line]);
  });
});

describe('validateSpec: Kubernetes day 2', () => {
  const sticky: Mutate = (s) => {
    s.routing = { stickySeconds: 3600 };
  };

  it('defaults the Gateway API channel to standard, and only for the gateway-api router', () => {
    expect(resolvedSpec().kubernetes?.gatewayApiChannel).toBe('standard');
    const raw = rawSpec();
    nginx(raw);
    expect(resolvedSpec(raw).kubernetes?.gatewayApiChannel).toBeUndefined();
  });

  it('accepts stickiness on gateway-api with the experimental channel', () => {
    const raw = rawSpec();
    sticky(raw);
    raw.kubernetes.gatewayApiChannel = 'experimental';
    expect(resolvedSpec(raw).kubernetes?.gatewayApiChannel).toBe('experimental');
  });

  it('defaults the ignored annotations to the GKE NEG and Rancher keys, and takes a list that replaces them', () => {
    expect(resolvedSpec().kubernetes?.ignoreAnnotations).toEqual([
      '^cloud\\.google\\.com/neg(-status)?$',
      '^field\\.cattle\\.io/',
    ]);
    expect(resolvedSpec().kubernetes?.ignoreLabels).toEqual([]);
    const raw = rawSpec();
    raw.kubernetes.ignoreAnnotations = [];
    raw.kubernetes.ignoreLabels = ['^example\\.com/'];
    expect(resolvedSpec(raw).kubernetes).toEqual(
      expect.objectContaining({ ignoreAnnotations: [], ignoreLabels: ['^example\\.com/'] }),
    );
  });

  it('defaults the start-up allowance to 60 s', () => {
    expect(resolvedSpec().healthCheck.startupSeconds).toBe(60);
  });

  it('merges pod annotations by key, the color winning', () => {
    const raw = rawSpec();
    raw.podAnnotations = { 'prometheus.io/scrape': 'true', 'example.com/team': 'shop' };
    raw.colors[1].podAnnotations = { 'example.com/team': 'checkout' };
    const [red, orange] = resolvedSpec(raw).colors;
    expect(red.podAnnotations).toEqual({ 'prometheus.io/scrape': 'true', 'example.com/team': 'shop' });
    expect(orange.podAnnotations).toEqual({ 'prometheus.io/scrape': 'true', 'example.com/team': 'checkout' });
  });

  it.each<[string, Mutate, string[]]>([
    [
      'stickiness on the standard channel',
      sticky,
      [
        'routing.stickySeconds: received 3600 with the Gateway API standard channel; expected kubernetes.gatewayApiChannel: experimental first: sessionPersistence exists only in the experimental-channel CRDs (v1.1 or later), and the standard CRDs would reject the route',
      ],
    ],
    [
      'stickiness with the channel said to be standard',
      (s) => {
        sticky(s);
        s.kubernetes.gatewayApiChannel = 'standard';
      },
      [
        'routing.stickySeconds: received 3600 with the Gateway API standard channel; expected kubernetes.gatewayApiChannel: experimental first: sessionPersistence exists only in the experimental-channel CRDs (v1.1 or later), and the standard CRDs would reject the route',
      ],
    ],
    [
      'an unknown channel',
      (s) => {
        s.kubernetes.gatewayApiChannel = 'alpha';
      },
      [
        'kubernetes.gatewayApiChannel: received "alpha"; expected "standard" or "experimental": the Gateway API CRD channel installed in the cluster',
      ],
    ],
    [
      'a channel with the nginx router',
      (s) => {
        nginx(s);
        s.kubernetes.gatewayApiChannel = 'experimental';
      },
      [
        'kubernetes.gatewayApiChannel: received "experimental"; expected nothing: only the gateway-api router uses it, and kubernetes.router is nginx',
      ],
    ],
    [
      'a start-up allowance above an hour',
      (s) => {
        s.healthCheck = { startupSeconds: 7200 };
      },
      [
        'healthCheck.startupSeconds: received 7200; expected a whole number of seconds from 0 to 3600: how long a new container may take to start answering its health check',
      ],
    ],
    [
      'an annotation pattern with a lookahead',
      (s) => {
        s.kubernetes.ignoreAnnotations = ['^(?!keep)'];
      },
      [
        'kubernetes.ignoreAnnotations[0]: received "^(?!keep)"; expected a regular expression in Go RE2 syntax (no lookaround, no backreferences), matched anywhere in a key',
      ],
    ],
    [
      'a label pattern that does not compile',
      (s) => {
        s.kubernetes.ignoreLabels = ['example.com/('];
      },
      [
        'kubernetes.ignoreLabels[0]: received "example.com/("; expected a regular expression in Go RE2 syntax (no lookaround, no backreferences), matched anywhere in a key',
      ],
    ],
    [
      'ignoreAnnotations that is not a list',
      (s) => {
        s.kubernetes.ignoreAnnotations = '^example';
      },
      [
        'kubernetes.ignoreAnnotations: received "^example"; expected a list of regular expressions (Go RE2 syntax: no lookaround, no backreferences), each matched anywhere in a key; anchor a prefix with ^, such as \'^example\\.com/\' (single quotes in YAML)',
      ],
    ],
    [
      'a pod annotation key with a space and a number value',
      (s) => {
        s.podAnnotations = { 'my key': 'x', 'example.com/replicas': 3 };
      },
      [
        'podAnnotations["my key"]: received "my key"; expected an annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", alphanumeric first and last',
        'podAnnotations["example.com/replicas"]: received 3; expected a string: quote numbers and true/false',
      ],
    ],
    [
      "a color's pod annotation with an empty name",
      (s) => {
        s.colors[0].podAnnotations = { 'example.com/': 'x' };
      },
      [
        'colors[0].podAnnotations["example.com/"]: received "example.com/"; expected an annotation key: an optional DNS-subdomain prefix and "/", then a name of at most 63 letters, digits, "-", "_" or ".", alphanumeric first and last',
      ],
    ],
    [
      'pod annotations that are a list',
      (s) => {
        s.podAnnotations = ['a'];
      },
      ['podAnnotations: received a list; expected an object of annotation keys to string values'],
    ],
    [
      'the Istio proxy config with the istio router',
      (s) => {
        istio(s);
        s.podAnnotations = { 'proxy.istio.io/config': 'concurrency: 2' };
      },
      [
        'podAnnotations["proxy.istio.io/config"]: received "proxy.istio.io/config" (21 characters); expected another annotation: with the istio router, cdktf-rainbow sets it (terminationDrainDuration from drainSeconds)',
      ],
    ],
    [
      'pod annotations above 256 KiB once merged',
      (s) => {
        s.podAnnotations = { 'example.com/a': 'x'.repeat(200000) };
        s.colors[1].podAnnotations = { 'example.com/b': 'y'.repeat(70000) };
      },
      [
        'colors[1].podAnnotations: received annotations of 270026 bytes in total (keys and values); Kubernetes allows at most 262144 bytes of annotations on one object',
      ],
    ],
    [
      "a color's migration TTL",
      (s) => {
        s.colors[0].migration = { command: ['m'], ttlSeconds: 86400 };
      },
      [
        'colors[0].migration.ttlSeconds: received 86400; expected nothing: migration Jobs are no longer deleted after a TTL, because Terraform re-creates a deleted Job and so runs the migration again; remove the field',
      ],
    ],
  ])('fails for %s', (_name, mutate, lines) => {
    expect(problemsAfter(mutate)).toEqual(lines);
  });

  it('accepts the Istio proxy config as a pod annotation with another router', () => {
    const raw = rawSpec();
    raw.podAnnotations = { 'proxy.istio.io/config': 'concurrency: 2' };
    expect(resolvedSpec(raw).colors[0].podAnnotations).toEqual({ 'proxy.istio.io/config': 'concurrency: 2' });
  });
});

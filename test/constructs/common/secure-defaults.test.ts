import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { TerraformResource } from 'cdktf';
import { EcsColor, EcsColorProps } from '../../../constructs/aws/ecs-color';
import { SecureDefaults } from '../../../constructs/common/secure-defaults';
import { KubernetesColor } from '../../../constructs/kubernetes/kubernetes-color';
import { RainbowStacks } from '../../../stacks/rainbow-app';
import { awsStack, kubernetesStack, onlyResource, rawSpec, resolvedSpec, synthJson, testApp } from '../../helpers';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';
const ecsProps: EcsColorProps = {
  app: 'shop',
  color: 'red',
  image: 'ghcr.io/acme/shop:1',
  region: 'eu-west-1',
  cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/shop',
  vpcId: 'vpc-0abc1234',
  subnetIds: ['subnet-0a1b2c3d'],
  securityGroupIds: ['sg-01234567'],
  listenerRule: { listenerArn: LISTENER, host: 'shop.example.com', priority: 696 },
};

describe('SecureDefaults', () => {
  it('passes the defaults of every construct', () => {
    const k8s = kubernetesStack('k8s');
    new KubernetesColor(k8s, 'Color', {
      app: 'shop',
      color: 'red',
      image: 'shop:1',
      migration: { command: ['m'] },
      secretEnv: { API_KEY: { secret: 's', key: 'k' } },
    });
    SecureDefaults.enforce(k8s);
    expect(() => synthJson(k8s)).not.toThrow();
    const aws = awsStack('aws');
    new EcsColor(aws, 'Color', ecsProps);
    SecureDefaults.enforce(aws, { securityGroupIds: ['sg-01234567'] });
    expect(() => synthJson(aws)).not.toThrow();
  });

  it('fails for what an escape hatch weakened, every problem at once, with the construct path', () => {
    const stack = kubernetesStack('shop-red');
    const color = new KubernetesColor(stack, 'Color', {
      app: 'shop',
      color: 'red',
      image: 'shop:1',
      env: { DB_PASSWORD: 'hunter2' },
      security: { allowPlainSecretEnv: true },
    });
    color.deployment.addOverride('spec.template.spec.host_network', true);
    color.deployment.addOverride('spec.template.spec.automount_service_account_token', true);
    SecureDefaults.enforce(stack);
    expect(() => synthJson(stack)).toThrow(
      'shop-red: the secure defaults are weakened:\n' +
        'shop-red/Color/Resource: the pod mounts its service account token (automount_service_account_token is not false); allowed only with security.allowServiceAccountToken: true in the spec (allowServiceAccountToken in library mode)\n' +
        "shop-red/Color/Resource: the pod shares the node's namespaces (host_network is true); cdktf-rainbow never allows it\n" +
        'shop-red/Color/Resource: container shop has a plain value in DB_PASSWORD, which is named like a secret; allowed only with security.allowPlainSecretEnv: true in the spec (allowPlainSecretEnv in library mode)',
    );
  });

  it('fails for a construct weakened with allowances the stack does not grant', () => {
    const stack = kubernetesStack('s');
    new KubernetesColor(stack, 'Color', {
      app: 'shop',
      color: 'red',
      image: 'shop:1',
      security: { allowRunAsRoot: true, allowWritableRootFilesystem: true },
    });
    SecureDefaults.enforce(stack, { allowWritableRootFilesystem: true });
    expect(() => synthJson(stack)).toThrow(
      's: the secure defaults are weakened:\n' +
        's/Color/Resource: the pod may run as root (security_context.run_as_non_root is not true); allowed only with security.allowRunAsRoot: true in the spec (allowRunAsRoot in library mode)\n' +
        's/Color/Resource: container shop may run as root; allowed only with security.allowRunAsRoot: true in the spec (allowRunAsRoot in library mode)',
    );
  });

  it('fails for a privileged ECS container, a wildcard policy, logs kept forever, a public IP and a security group', () => {
    const stack = awsStack('a');
    const color = new EcsColor(stack, 'Color', { ...ecsProps, security: { allowPublicIp: true } });
    color.taskDefinition.addOverride(
      'container_definitions',
      JSON.stringify([{ name: 'shop', image: 'x', privileged: true, readonlyRootFilesystem: true }]),
    );
    color.logGroup.addOverride('retention_in_days', 0);
    new SecurityGroup(stack, 'Open', { name: 'open' });
    const policy = stack.node.findAll().find((c) => c.node.id === 'ExecutionPolicy') as unknown as {
      addOverride(path: string, value: unknown): void;
    };
    policy.addOverride(
      'policy',
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
    );
    SecureDefaults.enforce(stack, { securityGroupIds: ['sg-01234567'] });
    expect(() => synthJson(stack)).toThrow(
      'a: the secure defaults are weakened:\n' +
        'a/Color/LogGroup: the log group keeps logs forever (no retention_in_days); cdktf-rainbow never allows it\n' +
        'a/Color/ExecutionPolicy: the policy allows every action of a service (s3:*); cdktf-rainbow never allows it\n' +
        'a/Color/TaskDefinition: container shop is privileged; cdktf-rainbow never allows it\n' +
        'a/Color/Resource: the service gives its tasks public IPs; allowed only with security.allowPublicIp: true in the spec (allowPublicIp in library mode)\n' +
        'a/Open: the stack creates security group rules; tasks use only the security groups of the spec; cdktf-rainbow never allows it',
    );
  });

  it('lets a spec weaken what it says, and nothing else', () => {
    const raw = rawSpec();
    raw.security = { allowRunAsRoot: true, allowServiceAccountToken: true };
    const stacks = new RainbowStacks(testApp(), resolvedSpec(raw));
    const pod = onlyResource(synthJson(stacks.colorStacks[0]), 'kubernetes_deployment_v1').spec.template.spec;
    expect(pod.security_context.run_as_non_root).toBe(false);
    expect(pod.automount_service_account_token).toBe(true);
    expect(pod.container[0].security_context).toEqual(
      expect.objectContaining({ run_as_non_root: false, read_only_root_filesystem: true, privileged: false }),
    );
  });

  it('lets an ECS spec give tasks a public IP only when it says so', () => {
    const { rawEcsSpec } = jest.requireActual('../../helpers') as typeof import('../../helpers');
    const raw = rawEcsSpec();
    raw.security = { allowPublicIp: true, allowWritableRootFilesystem: true };
    const stacks = new RainbowStacks(testApp(), resolvedSpec(raw));
    const json = synthJson(stacks.colorStacks[0]);
    expect(onlyResource(json, 'aws_ecs_service').network_configuration.assign_public_ip).toBe(true);
    expect(
      JSON.parse(onlyResource(json, 'aws_ecs_task_definition').container_definitions.replace(/\$\{[^}]+\}/g, 'T'))[0]
        .readonlyRootFilesystem,
    ).toBe(false);
  });
});

describe('SecureDefaults, more ways to weaken', () => {
  it('checks ECS task definitions although their JSON holds tokens', () => {
    const stack = awsStack('e');
    new EcsColor(stack, 'Color', {
      ...ecsProps,
      env: { DB_PASSWORD: 'x' },
      security: { allowWritableRootFilesystem: true },
    });
    SecureDefaults.enforce(stack);
    expect(() => synthJson(stack)).toThrow(
      'e: the secure defaults are weakened:\n' +
        'e/Color/TaskDefinition: container shop has a writable root filesystem; allowed only with security.allowWritableRootFilesystem: true in the spec (allowWritableRootFilesystem in library mode)\n' +
        'e/Color/TaskDefinition: container shop has a plain value in DB_PASSWORD, which is named like a secret; allowed only with security.allowPlainSecretEnv: true in the spec (allowPlainSecretEnv in library mode)',
    );
  });

  it('reads a block written as a one-element list, and sees what an aspect added after it did', () => {
    const stack = kubernetesStack('k');
    const color = new KubernetesColor(stack, 'Color', { app: 'shop', color: 'red', image: 'shop:1' });
    SecureDefaults.enforce(stack);
    color.deployment.addOverride('spec.template.spec.security_context', [
      { run_as_non_root: false, seccomp_profile: { type: 'RuntimeDefault' } },
    ]);
    const { Aspects } = jest.requireActual('cdktf') as typeof import('cdktf');
    Aspects.of(color).add({
      visit: (n) => {
        if (n === color.deployment) color.deployment.addOverride('spec.template.spec.host_pid', true);
      },
    });
    expect(() => synthJson(stack)).toThrow(
      'k: the secure defaults are weakened:\n' +
        'k/Color/Resource: the pod may run as root (security_context.run_as_non_root is not true); allowed only with security.allowRunAsRoot: true in the spec (allowRunAsRoot in library mode)\n' +
        "k/Color/Resource: the pod shares the node's namespaces (host_pid is true); cdktf-rainbow never allows it",
    );
  });

  it('fails for NotAction, a managed admin policy, and a privileged plain pod', () => {
    const { IamRolePolicy } = jest.requireActual(
      '@cdktf/provider-aws/lib/iam-role-policy',
    ) as typeof import('@cdktf/provider-aws/lib/iam-role-policy');
    const { IamRolePolicyAttachment } = jest.requireActual(
      '@cdktf/provider-aws/lib/iam-role-policy-attachment',
    ) as typeof import('@cdktf/provider-aws/lib/iam-role-policy-attachment');
    const aws = awsStack('p');
    new IamRolePolicy(aws, 'Not', {
      role: 'r',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
      }),
    });
    new IamRolePolicyAttachment(aws, 'Admin', { role: 'r', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    SecureDefaults.enforce(aws);
    expect(() => synthJson(aws)).toThrow(
      'p: the secure defaults are weakened:\n' +
        'p/Not: the policy allows everything but a list (NotAction or NotResource); cdktf-rainbow never allows it\n' +
        'p/Admin: the role gets the managed policy arn:aws:iam::aws:policy/AdministratorAccess; cdktf-rainbow never allows it',
    );
    const { PodV1 } = jest.requireActual(
      '@cdktf/provider-kubernetes/lib/pod-v1',
    ) as typeof import('@cdktf/provider-kubernetes/lib/pod-v1');
    const k8s = kubernetesStack('q');
    new PodV1(k8s, 'Pod', {
      metadata: { name: 'x' },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        container: [
          {
            name: 'x',
            image: 'x',
            securityContext: {
              privileged: true,
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            },
          },
        ],
      },
    });
    SecureDefaults.enforce(k8s);
    expect(() => synthJson(k8s)).toThrow('q/Pod: container x is privileged; cdktf-rainbow never allows it');
  });
});

describe('SecureDefaults: secrets and ECR repositories', () => {
  const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

  it('fails for a pull policy on a wildcard of ECR repositories, however it was written', () => {
    const stack = awsStack('w');
    new EcsColor(stack, 'Color', { ...ecsProps, image: `${ECR}/shop:1.4.0` });
    const pull = ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'];
    (
      stack.node.findAll().find((c) => c.node.id === 'ExecutionPolicy') as unknown as {
        addOverride(path: string, value: unknown): void;
      }
    ).addOverride(
      'policy',
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: pull, Resource: 'arn:aws:ecr:eu-west-1:123456789012:repository/*' }],
      }),
    );
    const { IamRolePolicy } = jest.requireActual(
      '@cdktf/provider-aws/lib/iam-role-policy',
    ) as typeof import('@cdktf/provider-aws/lib/iam-role-policy');
    new IamRolePolicy(stack, 'Team', {
      role: 'r',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'ecr:BatchGetImage',
            Resource: [
              'arn:aws:ecr:eu-west-1:123456789012:repository/team-?',
              'arn:aws:ecr:*:123456789012:repository/shop',
            ],
          },
        ],
      }),
    });
    SecureDefaults.enforce(stack);
    expect(() => synthJson(stack)).toThrow(
      'w: the secure defaults are weakened:\n' +
        'w/Color/ExecutionPolicy: the policy allows ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer, ecr:BatchGetImage on every ECR repository matching "arn:aws:ecr:eu-west-1:123456789012:repository/*", not only the image\'s own; cdktf-rainbow never allows it\n' +
        'w/Team: the policy allows ecr:BatchGetImage on every ECR repository matching "arn:aws:ecr:eu-west-1:123456789012:repository/team-?", not only the image\'s own; cdktf-rainbow never allows it\n' +
        'w/Team: the policy allows ecr:BatchGetImage on every ECR repository matching "arn:aws:ecr:*:123456789012:repository/shop", not only the image\'s own; cdktf-rainbow never allows it',
    );
  });

  it('passes the pull policy of an image in ECR: its own repository only', () => {
    const stack = awsStack('o');
    new EcsColor(stack, 'Color', { ...ecsProps, image: `${ECR}/team/shop:1.4.0` });
    SecureDefaults.enforce(stack);
    const policy = JSON.parse(onlyResource(synthJson(stack), 'aws_iam_role_policy').policy);
    expect(policy.Statement[2].Resource).toBe('arn:aws:ecr:eu-west-1:123456789012:repository/team/shop');
  });

  it('refuses an ECS image with a wildcard before any policy is made', () => {
    expect(() => new EcsColor(awsStack('i'), 'Color', { ...ecsProps, image: `${ECR}/*:1.4.0` })).toThrow(
      `image: received "${ECR}/*:1.4.0" (52 characters); expected a container image reference: printable ASCII without whitespace, "*" or "?", such as ghcr.io/acme/shop:1.4.0`,
    );
  });

  it("fails for a URL with credentials in a container's env, and for the wider secret-like names", () => {
    const stack = kubernetesStack('u');
    new KubernetesColor(stack, 'Color', {
      app: 'shop',
      color: 'red',
      image: 'shop:1',
      env: { DATABASE_URL: 'postgres://shop:S3cr3t@db/shop', DB_PWD: 'x', LOG_LEVEL: 'info' },
    });
    SecureDefaults.enforce(stack);
    expect(() => synthJson(stack)).toThrow(
      'u: the secure defaults are weakened:\n' +
        'u/Color/Resource: container shop has a plain value in DATABASE_URL, a URL with credentials; allowed only with security.allowPlainSecretEnv: true in the spec (allowPlainSecretEnv in library mode)\n' +
        'u/Color/Resource: container shop has a plain value in DB_PWD, which is named like a secret; allowed only with security.allowPlainSecretEnv: true in the spec (allowPlainSecretEnv in library mode)',
    );
  });
});

describe('SecureDefaults with two copies of cdktf loaded', () => {
  // A user's project can end up with a second copy of cdktf (a nested install): its stacks,
  // resources and aspects are not this copy's. The check must still run, never pass silently.
  function secondCopy(): typeof import('cdktf') {
    let copy: typeof import('cdktf') | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module instance is the point
      copy = require('cdktf');
    });
    return copy!;
  }

  it('checks the resources of a stack made with another copy of cdktf', () => {
    const other = secondCopy();
    expect(other.TerraformResource).not.toBe(TerraformResource);
    const stack = new other.TerraformStack(other.Testing.app(), 'shop-red');
    class Pod extends other.TerraformResource {
      constructor() {
        super(stack, 'Pod', { terraformResourceType: 'kubernetes_pod_v1' });
      }
      protected synthesizeAttributes() {
        return {
          spec: [
            {
              host_network: true,
              security_context: [{ run_as_non_root: true }],
              automount_service_account_token: false,
            },
          ],
        };
      }
    }
    new Pod();
    SecureDefaults.enforce(stack);
    expect(() => other.Testing.synth(stack, true)).toThrow(
      "shop-red/Pod: the pod shares the node's namespaces (host_network is true); cdktf-rainbow never allows it",
    );
  });
});

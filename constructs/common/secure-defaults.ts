import { IAspect, TerraformResource, TerraformStack, Token } from '../core';
import { IConstruct } from 'constructs';
import { Problem, throwIfProblems } from '../../model/problem';
import { isPlainSecret, resolveSecurity, SECRET_LIKE_NAME, SecurityOptions } from '../../model/types';
import { CONSTRUCT_MESSAGES } from '../messages';

// The allowances are part of the one model: their type, defaults and platforms live in model/types.ts.
export type { SecurityOptions } from '../../model/types';

/** What `SecureDefaults.enforce` allows: the allowances, and the only security groups ECS services may use. */
export interface SecureDefaultsProps extends SecurityOptions {
  /**
   * The only security groups ECS services and EC2 launch templates may use.
   * @default - not checked
   */
  readonly securityGroupIds?: string[];
}

type Attrs = Record<string, unknown>;

/** A block as an object; Terraform JSON also accepts a single block written as a one-element list. */
const asObject = (v: unknown): Attrs | undefined => {
  const block = Array.isArray(v) && v.length === 1 ? v[0] : v;
  return typeof block === 'object' && block !== null && !Array.isArray(block) ? (block as Attrs) : undefined;
};
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
/** A literal value: tokens (known only at apply time) are not judged. */
const literal = (v: unknown): unknown => (Token.isUnresolved(v) ? undefined : v);

/**
 * Fails synthesis when a resource of the stack is weaker than the secure defaults, whatever made
 * it so (a prop, an escape hatch, an override): privileged or root containers, privilege
 * escalation, added capabilities, host namespaces, writable root filesystems, mounted service
 * account tokens, plain secrets in env (by name, or URLs with credentials), public IPs, EC2
 * launch templates without IMDSv2 or with unencrypted volumes, IAM
 * wildcards (ECR repository ARNs included), logs kept forever, security groups created or not
 * from the spec. What the allowances permit passes; the rest never does.
 * Every problem of the stack is reported at once, as `<construct path>: <what and why>`.
 */
export class SecureDefaults implements IAspect {
  /** Adds the check to a stack (or any scope's stack). */
  public static enforce(scope: IConstruct, props: SecureDefaultsProps = {}): void {
    // A validation of the stack's own construct node, not an aspect: aspects are kept per copy of
    // cdktf, so with a second copy in a user's tree an aspect of this copy would never run and the
    // check would pass without looking. Validations run whichever copy synthesizes.
    new SecureDefaults(props).addTo(TerraformStack.of(scope));
  }

  private readonly allow: Required<SecurityOptions>;
  private readonly securityGroupIds?: string[];

  constructor(props: SecureDefaultsProps = {}) {
    this.allow = resolveSecurity(props);
    this.securityGroupIds = props.securityGroupIds;
  }

  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this.addTo(node);
  }

  private addTo(stack: TerraformStack): void {
    // Checked as the stack's validation, which runs after every aspect: one added below this one
    // cannot weaken a resource behind the check's back.
    stack.node.addValidation({ validate: () => this.checkStack(stack) });
  }

  private checkStack(node: TerraformStack): string[] {
    const problems: Problem[] = [];
    for (const child of node.node.findAll()) {
      // By cdktf's own marker, not instanceof: a resource of another copy of cdktf is one too.
      if (!TerraformResource.isTerraformResource(child)) continue;
      const body = (child.toTerraform() as { resource?: Record<string, Record<string, Attrs>> }).resource;
      if (body === undefined) continue;
      const [type, byId] = Object.entries(body)[0];
      const attrs = Object.values(byId)[0];
      for (const message of this.check(type, attrs)) problems.push({ path: child.node.path, message });
    }
    throwIfProblems(problems, `${node.node.id}: the secure defaults are weakened`);
    return [];
  }

  private check(type: string, attrs: Attrs): string[] {
    if (type.startsWith('kubernetes_')) {
      const pod = podSpec(type, attrs);
      return pod === undefined ? [] : this.checkPod(pod);
    }
    switch (type) {
      case 'aws_ecs_task_definition':
        return this.checkTaskDefinition(attrs);
      case 'aws_ecs_service':
        return this.checkService(attrs);
      case 'aws_launch_template':
        return this.checkLaunchTemplate(attrs);
      case 'aws_iam_role_policy':
      case 'aws_iam_policy':
      case 'aws_iam_user_policy':
      case 'aws_iam_group_policy':
        return checkPolicy(attrs.policy);
      case 'aws_iam_role_policy_attachment':
      case 'aws_iam_policy_attachment':
        return typeof attrs.policy_arn === 'string' &&
          /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|\w*FullAccess)$/.test(attrs.policy_arn)
          ? [CONSTRUCT_MESSAGES.insecure(`the role gets the managed policy ${attrs.policy_arn}`, undefined)]
          : [];
      case 'aws_cloudwatch_log_group': {
        const days = attrs.retention_in_days;
        if (Token.isUnresolved(days)) return [];
        return typeof days === 'number' && days > 0
          ? []
          : [CONSTRUCT_MESSAGES.insecure('the log group keeps logs forever (no retention_in_days)', undefined)];
      }
      case 'aws_security_group':
      case 'aws_security_group_rule':
      case 'aws_vpc_security_group_ingress_rule':
      case 'aws_vpc_security_group_egress_rule':
        return [
          CONSTRUCT_MESSAGES.insecure(
            'the stack creates security group rules; tasks use only the security groups of the spec',
            undefined,
          ),
        ];
      default:
        return [];
    }
  }

  private checkPod(pod: Attrs): string[] {
    const found: string[] = [];
    const podSecurity = asObject(pod.security_context) ?? {};
    if (literal(podSecurity.run_as_non_root) !== true && !this.allow.allowRunAsRoot)
      found.push(
        CONSTRUCT_MESSAGES.insecure(
          'the pod may run as root (security_context.run_as_non_root is not true)',
          'allowRunAsRoot',
        ),
      );
    if (literal(pod.automount_service_account_token) !== false && !this.allow.allowServiceAccountToken) {
      found.push(
        CONSTRUCT_MESSAGES.insecure(
          'the pod mounts its service account token (automount_service_account_token is not false)',
          'allowServiceAccountToken',
        ),
      );
    }
    for (const host of ['host_network', 'host_pid', 'host_ipc']) {
      if (literal(pod[host]) === true)
        found.push(CONSTRUCT_MESSAGES.insecure(`the pod shares the node's namespaces (${host} is true)`, undefined));
    }
    const seccomp = asObject(podSecurity.seccomp_profile)?.type;
    if (literal(seccomp) !== 'RuntimeDefault' && literal(seccomp) !== 'Localhost')
      found.push(
        CONSTRUCT_MESSAGES.insecure(
          'the pod has no seccomp profile (security_context.seccomp_profile.type is not RuntimeDefault)',
          undefined,
        ),
      );
    for (const container of [...asList(pod.container), ...asList(pod.init_container)].map(asObject)) {
      if (container === undefined) continue;
      const name = String(container.name);
      const sc = asObject(container.security_context) ?? {};
      if (literal(sc.privileged) === true)
        found.push(CONSTRUCT_MESSAGES.insecure(`container ${name} is privileged`, undefined));
      if (literal(sc.allow_privilege_escalation) !== false)
        found.push(
          CONSTRUCT_MESSAGES.insecure(
            `container ${name} may escalate privileges (allow_privilege_escalation is not false)`,
            undefined,
          ),
        );
      if (literal(sc.read_only_root_filesystem) !== true && !this.allow.allowWritableRootFilesystem) {
        found.push(
          CONSTRUCT_MESSAGES.insecure(
            `container ${name} has a writable root filesystem`,
            'allowWritableRootFilesystem',
          ),
        );
      }
      if (literal(sc.run_as_non_root) === false && !this.allow.allowRunAsRoot)
        found.push(CONSTRUCT_MESSAGES.insecure(`container ${name} may run as root`, 'allowRunAsRoot'));
      const capabilities = asObject(sc.capabilities) ?? {};
      if (!asList(capabilities.drop).includes('ALL'))
        found.push(
          CONSTRUCT_MESSAGES.insecure(
            `container ${name} keeps Linux capabilities (capabilities.drop is not ["ALL"])`,
            undefined,
          ),
        );
      if (asList(capabilities.add).length > 0)
        found.push(CONSTRUCT_MESSAGES.insecure(`container ${name} adds Linux capabilities`, undefined));
      found.push(...this.plainSecrets(asList(container.env).map(asObject), name));
    }
    return found;
  }

  private plainSecrets(env: Array<Attrs | undefined>, container: string): string[] {
    if (this.allow.allowPlainSecretEnv) return [];
    return env.flatMap((e) => {
      const name = typeof e?.name === 'string' ? e.name : '';
      if (!isPlainSecret(name, literal(e?.value))) return [];
      const what = SECRET_LIKE_NAME.test(name) ? 'which is named like a secret' : 'a URL with credentials';
      return [
        CONSTRUCT_MESSAGES.insecure(
          `container ${container} has a plain value in ${name}, ${what}`,
          'allowPlainSecretEnv',
        ),
      ];
    });
  }

  private checkTaskDefinition(attrs: Attrs): string[] {
    // Tokens (the log group's name, say) sit inside JSON strings: the document still parses.
    const text = attrs.container_definitions;
    if (typeof text !== 'string') return [];
    let containers: unknown;
    try {
      containers = JSON.parse(text);
    } catch {
      return [];
    }
    return asList(containers)
      .map(asObject)
      .flatMap((c) => {
        if (c === undefined) return [];
        const name = String(c.name);
        const found: string[] = [];
        if (c.privileged === true)
          found.push(CONSTRUCT_MESSAGES.insecure(`container ${name} is privileged`, undefined));
        if (c.readonlyRootFilesystem !== true && !this.allow.allowWritableRootFilesystem)
          found.push(
            CONSTRUCT_MESSAGES.insecure(
              `container ${name} has a writable root filesystem`,
              'allowWritableRootFilesystem',
            ),
          );
        if (asList(asObject(asObject(c.linuxParameters)?.capabilities)?.add).length > 0)
          found.push(CONSTRUCT_MESSAGES.insecure(`container ${name} adds Linux capabilities`, undefined));
        found.push(...this.plainSecrets(asList(c.environment).map(asObject), name));
        return found;
      });
  }

  /** EC2 instances: IMDSv2 only, encrypted EBS volumes, no public IP, only the spec's security groups. */
  private checkLaunchTemplate(attrs: Attrs): string[] {
    const found: string[] = [];
    if (literal(asObject(attrs.metadata_options)?.http_tokens) !== 'required') {
      found.push(
        CONSTRUCT_MESSAGES.insecure(
          'the launch template lets instances use IMDSv1 (metadata_options.http_tokens is not "required")',
          undefined,
        ),
      );
    }
    for (const mapping of asList(attrs.block_device_mappings).map(asObject)) {
      const ebs = asObject(mapping?.ebs);
      if (ebs === undefined || String(literal(ebs.encrypted)) === 'true') continue;
      const device = literal(mapping?.device_name);
      found.push(
        CONSTRUCT_MESSAGES.insecure(
          `the launch template's volume${typeof device === 'string' ? ` ${device}` : ''} is not encrypted (ebs.encrypted is not true)`,
          undefined,
        ),
      );
    }
    const interfaces = asList(attrs.network_interfaces).map(asObject);
    if (
      interfaces.some((i) => String(literal(i?.associate_public_ip_address)) === 'true') &&
      !this.allow.allowPublicIp
    ) {
      found.push(CONSTRUCT_MESSAGES.insecure('the launch template gives its instances public IPs', 'allowPublicIp'));
    }
    if (this.securityGroupIds !== undefined) {
      const groups = [
        ...asList(attrs.vpc_security_group_ids),
        ...interfaces.flatMap((i) => asList(i?.security_groups)),
      ];
      const extra = groups.filter(
        (g) => typeof g === 'string' && !Token.isUnresolved(g) && !this.securityGroupIds!.includes(g),
      );
      if (extra.length > 0)
        found.push(
          CONSTRUCT_MESSAGES.insecure(
            `the launch template uses security groups that are not in the spec: ${extra.join(', ')}`,
            undefined,
          ),
        );
    }
    return found;
  }

  private checkService(attrs: Attrs): string[] {
    const network = asObject(attrs.network_configuration) ?? {};
    const found: string[] = [];
    if (literal(network.assign_public_ip) === true && !this.allow.allowPublicIp)
      found.push(CONSTRUCT_MESSAGES.insecure('the service gives its tasks public IPs', 'allowPublicIp'));
    if (this.securityGroupIds !== undefined) {
      const extra = asList(network.security_groups).filter(
        (g) => typeof g === 'string' && !Token.isUnresolved(g) && !this.securityGroupIds!.includes(g),
      );
      if (extra.length > 0)
        found.push(
          CONSTRUCT_MESSAGES.insecure(
            `the service uses security groups that are not in the spec: ${extra.join(', ')}`,
            undefined,
          ),
        );
    }
    return found;
  }
}

/** Where a Kubernetes workload resource keeps its pod spec. */
function podSpec(type: string, attrs: Attrs): Attrs | undefined {
  const spec = asObject(attrs.spec);
  if (type === 'kubernetes_pod' || type === 'kubernetes_pod_v1') return spec;
  const template = asObject(spec?.template) ?? asObject(asObject(asObject(spec?.job_template)?.spec)?.template);
  return asObject(template?.spec);
}

/**
 * An ECR ARN with a wildcard (`*` or `?`) in it, in the repository part or before it: an image pull
 * policy that reaches more than the image's own repository.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
function isEcrWildcard(arn: string): boolean {
  return /^arn:[^:]*:ecr:/.test(arn) && /[*?]/.test(arn);
}

/**
 * An IAM policy with a wildcard action, NotAction, a wildcard resource for anything but the ECR token, or a wildcard
 * over ECR repositories.
 */
function checkPolicy(policy: unknown): string[] {
  if (typeof policy !== 'string' || (Token.isUnresolved(policy) && !policy.trim().startsWith('{'))) return [];
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  return asList(asObject(document)?.Statement)
    .map(asObject)
    .flatMap((statement) => {
      if (statement === undefined || statement.Effect !== 'Allow') return [];
      if (statement.NotAction !== undefined || statement.NotResource !== undefined) {
        return [
          CONSTRUCT_MESSAGES.insecure('the policy allows everything but a list (NotAction or NotResource)', undefined),
        ];
      }
      const actions = asList(statement.Action).map(String);
      const resources = asList(statement.Resource).map(String);
      if (actions.some((a) => a === '*' || a.endsWith(':*')))
        return [
          CONSTRUCT_MESSAGES.insecure(`the policy allows every action of a service (${actions.join(', ')})`, undefined),
        ];
      if (resources.includes('*') && actions.some((a) => a !== 'ecr:GetAuthorizationToken')) {
        return [CONSTRUCT_MESSAGES.insecure(`the policy allows ${actions.join(', ')} on every resource`, undefined)];
      }
      return resources
        .filter(isEcrWildcard)
        .map((arn) => CONSTRUCT_MESSAGES.insecure(CONSTRUCT_MESSAGES.ecrWildcard(actions.join(', '), arn), undefined));
    });
}

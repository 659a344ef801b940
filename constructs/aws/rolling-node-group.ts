import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Construct } from 'constructs';
import { withTextProblems } from '../../model/document-text';
import { launchTemplateVersionProblems } from '../../model/ec2';
import { FIELDS } from '../../model/fields';
import { EXPECTED, received } from '../../model/messages';
import { prefixProblems, Problem, throwIfProblems } from '../../model/problem';
import { eksUpdateProblems, EksUpdateConfigValues } from '../../model/rolling';
import { MANAGED_BY } from '../../model/types';
import { CONSTRUCT_MESSAGES } from '../messages';
import { RollingUpdatePolicy } from '../rolling/rolling-update-policy';
import { unlessToken } from '../tokens';
import { checkField } from './alb-color';

/** The launch template a node group's nodes start from, at one version. */
export interface NodeGroupLaunchTemplate {
  /** The launch template's id, `lt-` and 8 or 17 hexadecimal digits (or the `id` of an `aws_launch_template`). */
  readonly id: string;
  /**
   * A version number: the template's `latest_version` (`Token.asString(template.latestVersion)`),
   * so that a new version of the template rolls the nodes. `$Latest` and `$Default` are refused:
   * with them a new version changes nothing Terraform sees.
   */
  readonly version: string;
}

/** An EKS managed node group and the rolling policy its node updates follow. */
export interface RollingNodeGroupProps {
  /** The EKS cluster the nodes join. */
  readonly clusterName: string;
  /** The node group's name: a letter or digit first, then letters, digits, `-` and `_`, at most 63 characters. */
  readonly nodeGroupName: string;
  /** The IAM role of the nodes (with the EKS worker node, CNI and ECR read policies). */
  readonly nodeRoleArn: string;
  /** The subnets of the nodes. */
  readonly subnetIds: string[];
  /**
   * How many nodes the group starts with. Once it exists, the group's size is the Cluster
   * Autoscaler's (or a person's) to change: Terraform ignores changes of `desired_size` unless
   * `manageDesiredSize` is true.
   */
  readonly desiredSize: number;
  /**
   * Whether Terraform keeps the node count at `desiredSize` after the group is created. Leave it
   * false with the Cluster Autoscaler (or anyone who scales the group by hand): every apply
   * would otherwise set the count back to `desiredSize`, removing the nodes the autoscaler added.
   * @default false - `desired_size` is set on create only (`lifecycle.ignore_changes`)
   */
  readonly manageDesiredSize?: boolean;
  /**
   * The fewest nodes the group may scale to.
   * @default - the desired size
   */
  readonly minSize?: number;
  /**
   * The most nodes the group may scale to.
   * @default - the desired size
   */
  readonly maxSize?: number;
  /**
   * How the nodes are replaced when the launch template version, the AMI release or the Kubernetes
   * version changes: `maxUnavailable` nodes (or percent) at a time, 1 to 100. The surge is EKS's
   * own, so only the default `maxSurge` is taken. A new maxUnavailable changed in the same apply
   * as a new version takes effect from the next rollout: the provider updates the version
   * (UpdateNodegroupVersion, waiting for it) before the configuration (UpdateNodegroupConfig).
   * @default RollingUpdatePolicy.zeroDowntime() - one node at a time, after EKS's new nodes are up
   */
  readonly rollingUpdate?: RollingUpdatePolicy;
  /**
   * The launch template the nodes start from.
   * @default - EKS's own launch template with the EKS-optimized AMI of the cluster's version
   */
  readonly launchTemplate?: NodeGroupLaunchTemplate;
  /**
   * EC2 instance types of the nodes.
   * @default - the launch template's, or EKS's default
   */
  readonly instanceTypes?: string[];
  /**
   * Kubernetes labels of the nodes.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * An EKS managed node group that rolls its nodes by the one rolling policy: its `update_config`
 * comes from the policy's maxUnavailable, and a new version of its launch template (or a new AMI
 * release or Kubernetes version) makes EKS launch new nodes, then drain and terminate the old
 * ones, `maxUnavailable` at a time. Terraform waits for the update to succeed (the provider
 * follows it to `Successful`, within 60 minutes by default). The node count is set on create and
 * then left to the Cluster Autoscaler, unless `manageDesiredSize` is true.
 *
 * In one apply the provider runs a version update (new launch template version, AMI release or
 * Kubernetes version) before a configuration update (`update_config`, `scaling_config`, labels,
 * taints): a rollout started by that apply still follows the previous `maxUnavailable`
 * (resourceNodeGroupUpdate in hashicorp/terraform-provider-aws, internal/service/eks/node_group.go).
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-update-behavior.html
 */
export class RollingNodeGroup extends Construct {
  /** The rolling policy the node group's `update_config` comes from. */
  public readonly rollingUpdate: RollingUpdatePolicy;
  /** The `update_config` of the node group. */
  public readonly updateConfig: EksUpdateConfigValues;
  /** Whether Terraform keeps `desired_size` at the given count after create (false: the autoscaler's). */
  public readonly manageDesiredSize: boolean;
  /** The `aws_eks_node_group`. */
  public readonly nodeGroup: EksNodeGroup;

  constructor(scope: Construct, id: string, props: RollingNodeGroupProps) {
    super(scope, id);
    throwIfProblems(validateProps(props), `RollingNodeGroup ${this.node.path}`);
    this.rollingUpdate = props.rollingUpdate ?? RollingUpdatePolicy.zeroDowntime();
    this.updateConfig = this.rollingUpdate.eksUpdateConfig();
    this.manageDesiredSize = props.manageDesiredSize ?? false;
    this.nodeGroup = new EksNodeGroup(this, 'Resource', {
      clusterName: props.clusterName,
      nodeGroupName: props.nodeGroupName,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      scalingConfig: {
        desiredSize: props.desiredSize,
        minSize: props.minSize ?? props.desiredSize,
        maxSize: props.maxSize ?? props.desiredSize,
      },
      updateConfig: { ...this.updateConfig },
      ...(props.launchTemplate === undefined
        ? {}
        : { launchTemplate: { id: props.launchTemplate.id, version: props.launchTemplate.version } }),
      ...(props.instanceTypes === undefined ? {} : { instanceTypes: [...props.instanceTypes] }),
      ...(props.labels === undefined ? {} : { labels: { ...props.labels } }),
      tags: { 'managed-by': MANAGED_BY },
      ...(this.manageDesiredSize ? {} : { lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] } }),
    });
  }
}

function validateProps(props: RollingNodeGroupProps): Problem[] {
  const problems: Problem[] = [];
  checkField(problems, 'clusterName', props.clusterName, FIELDS.eksClusterName);
  checkField(problems, 'nodeGroupName', props.nodeGroupName, FIELDS.nodeGroupName);
  checkField(problems, 'nodeRoleArn', props.nodeRoleArn, FIELDS.roleArn);
  if (props.subnetIds.length === 0)
    problems.push({ path: 'subnetIds', message: received(props.subnetIds, EXPECTED.subnetIds) });
  props.subnetIds.forEach((subnet, i) => checkField(problems, `subnetIds[${i}]`, subnet, FIELDS.subnetId));
  const desired = unlessToken(props.desiredSize);
  const min = unlessToken(props.minSize ?? props.desiredSize);
  const max = unlessToken(props.maxSize ?? props.desiredSize);
  checkField(problems, 'desiredSize', desired, FIELDS.nodeGroupMinSize);
  if (props.minSize !== undefined) checkField(problems, 'minSize', props.minSize, FIELDS.nodeGroupMinSize);
  if (props.maxSize !== undefined) checkField(problems, 'maxSize', props.maxSize, FIELDS.nodeGroupMaxSize);
  const sizes = [min, desired, max];
  if (sizes.every((v) => FIELDS.nodeGroupMinSize.test(v)) && (min! > desired! || desired! > max! || max! < 1)) {
    problems.push({ path: 'desiredSize', message: CONSTRUCT_MESSAGES.nodeGroupSizes(min!, desired!, max!) });
  }
  if (props.launchTemplate !== undefined) {
    checkField(problems, 'launchTemplate.id', props.launchTemplate.id, FIELDS.launchTemplateId);
    problems.push(
      ...prefixProblems('launchTemplate', launchTemplateVersionProblems(unlessToken(props.launchTemplate.version))),
    );
  }
  (props.instanceTypes ?? []).forEach((type, i) =>
    checkField(problems, `instanceTypes[${i}]`, type, FIELDS.instanceType),
  );
  if (props.rollingUpdate !== undefined)
    problems.push(...prefixProblems('rollingUpdate', eksUpdateProblems(props.rollingUpdate)));
  const { rollingUpdate: _policy, manageDesiredSize: _manage, ...text } = props;
  return withTextProblems(text, problems);
}

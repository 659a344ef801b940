import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { RollingNodeGroup, RollingNodeGroupProps } from '../../../constructs/aws/rolling-node-group';
import { Token } from '../../../constructs/core';
import { RollingUpdatePolicy } from '../../../constructs/rolling/rolling-update-policy';
import { Quantity } from '../../../model/quantity';
import { awsStack, onlyResource, synthJson } from '../../helpers';

const base: RollingNodeGroupProps = {
  clusterName: 'shop',
  nodeGroupName: 'shop-general',
  nodeRoleArn: 'arn:aws:iam::123456789012:role/shop-eks-nodes',
  subnetIds: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
  desiredSize: 3,
};

function nodes(props: Partial<RollingNodeGroupProps> = {}) {
  const stack = awsStack();
  const construct = new RollingNodeGroup(stack, 'Nodes', { ...base, ...props });
  return { stack, construct, json: synthJson(stack) };
}

const EKS_SURGE =
  'an EKS managed node group chooses its own surge (up to twice its Availability Zones, or maxUnavailable nodes, launched before any node is drained), so no other maxSurge can be honoured';

describe('RollingNodeGroup', () => {
  it('updates one node at a time with the zero-downtime default, EKS launching the new nodes first', () => {
    const { construct, json } = nodes();
    expect(construct.updateConfig).toEqual({ maxUnavailable: 1 });
    expect(construct.nodeGroup.node.id).toBe('Resource');
    const group = onlyResource(json, 'aws_eks_node_group');
    expect(group).toEqual(
      expect.objectContaining({
        cluster_name: 'shop',
        node_group_name: 'shop-general',
        node_role_arn: 'arn:aws:iam::123456789012:role/shop-eks-nodes',
        subnet_ids: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
        scaling_config: { desired_size: 3, min_size: 3, max_size: 3 },
        update_config: { max_unavailable: 1 },
        tags: { 'managed-by': 'cdktf-rainbow' },
      }),
    );
    expect(group.launch_template).toBeUndefined();
  });

  it('sets the node count on create only, leaving it to the Cluster Autoscaler afterwards', () => {
    const { construct, json } = nodes({ minSize: 2, maxSize: 10 });
    expect(construct.manageDesiredSize).toBe(false);
    const group = onlyResource(json, 'aws_eks_node_group');
    expect(group.scaling_config).toEqual({ desired_size: 3, min_size: 2, max_size: 10 });
    expect(group.lifecycle).toEqual({ ignore_changes: ['scaling_config[0].desired_size'] });
  });

  it('keeps the node count at desiredSize on every apply with manageDesiredSize', () => {
    const { construct, json } = nodes({ manageDesiredSize: true });
    expect(construct.manageDesiredSize).toBe(true);
    expect(onlyResource(json, 'aws_eks_node_group').lifecycle).toBeUndefined();
  });

  it.each([
    [Quantity.count(2), { max_unavailable: 2 }],
    [Quantity.count(100), { max_unavailable: 100 }],
    [Quantity.percent(33), { max_unavailable_percentage: 33 }],
    [Quantity.percent(100), { max_unavailable_percentage: 100 }],
  ])('takes maxUnavailable %s as update_config %j', (maxUnavailable, updateConfig) => {
    const group = onlyResource(
      nodes({ rollingUpdate: RollingUpdatePolicy.of({ maxUnavailable }) }).json,
      'aws_eks_node_group',
    );
    expect(group.update_config).toEqual(updateConfig);
  });

  it('rolls the nodes with each new version of its launch template: the version is latest_version, never $Latest', () => {
    const stack = awsStack();
    const template = new LaunchTemplate(stack, 'Template', {
      name: 'shop-nodes',
      metadataOptions: { httpTokens: 'required' },
    });
    new RollingNodeGroup(stack, 'Nodes', {
      ...base,
      minSize: 2,
      maxSize: 6,
      instanceTypes: ['m7i.large'],
      labels: { workload: 'general' },
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
    });
    const group = onlyResource(synthJson(stack), 'aws_eks_node_group');
    expect(group.launch_template).toEqual({
      id: '${aws_launch_template.Template.id}',
      version: '${aws_launch_template.Template.latest_version}',
    });
    expect([group.scaling_config, group.instance_types, group.labels]).toEqual([
      { desired_size: 3, min_size: 2, max_size: 6 },
      ['m7i.large'],
      { workload: 'general' },
    ]);
  });

  it.each(['$Latest', '$Default'])('refuses the launch template version %s, which would roll nothing', (version) => {
    expect(() => nodes({ launchTemplate: { id: 'lt-0123456789abcdef0', version } })).toThrow(
      `RollingNodeGroup test/Nodes:\nlaunchTemplate.version: received "${version}"; expected a version number, such as the launch template's latest_version: with ${version} a new version of the template changes nothing Terraform sees, so no rollout starts (and AWS cannot roll back to it)`,
    );
  });

  it('refuses a surge other than the default, and more than 100 nodes at once', () => {
    expect(() =>
      nodes({
        rollingUpdate: RollingUpdatePolicy.of({ maxSurge: Quantity.count(1), maxUnavailable: Quantity.count(101) }),
      }),
    ).toThrow(
      'RollingNodeGroup test/Nodes:\n' +
        `rollingUpdate.maxSurge: received 1; expected the default 25%: ${EKS_SURGE}\n` +
        'rollingUpdate.maxUnavailable: received 101; expected at most 100: an EKS managed node group updates at most 100 nodes in parallel (update_config.max_unavailable is 1 to 100)',
    );
  });

  it('refuses sizes out of order', () => {
    expect(() => nodes({ desiredSize: 5, minSize: 6, maxSize: 4 })).toThrow(
      'RollingNodeGroup test/Nodes:\ndesiredSize: received minSize 6, desiredSize 5 and maxSize 4; expected minSize <= desiredSize <= maxSize, and maxSize at least 1',
    );
    expect(() => nodes({ desiredSize: 0 })).toThrow(
      /\ndesiredSize: received minSize 0, desiredSize 0 and maxSize 0; expected minSize <= desiredSize <= maxSize, and maxSize at least 1$/,
    );
  });

  it('refuses invalid props, listing every problem', () => {
    expect(() =>
      nodes({
        clusterName: '-shop',
        nodeGroupName: 'x'.repeat(64),
        nodeRoleArn: 'shop-nodes',
        subnetIds: ['subnet-1'],
        desiredSize: -1,
        maxSize: 0,
        instanceTypes: ['large'],
        launchTemplate: { id: 'shop-nodes', version: '1' },
      }),
    ).toThrow(
      'RollingNodeGroup test/Nodes:\n' +
        'clusterName: received "-shop"; expected an EKS cluster name: a letter or digit first, then letters, digits, "-" and "_", at most 100 characters\n' +
        `nodeGroupName: received "${'x'.repeat(57)}..." (64 characters); expected an EKS node group name: a letter or digit first, then letters, digits, "-" and "_", at most 63 characters\n` +
        'nodeRoleArn: received "shop-nodes"; expected an IAM role ARN: arn:aws:iam::<account>:role/<name>\n' +
        'subnetIds[0]: received "subnet-1"; expected a subnet id: "subnet-" and 8 or 17 hexadecimal digits\n' +
        'desiredSize: received -1; expected a whole number from 0 to 10000\n' +
        'maxSize: received 0; expected a whole number from 1 to 10000\n' +
        'launchTemplate.id: received "shop-nodes"; expected a launch template id: "lt-" and 8 or 17 hexadecimal digits\n' +
        'instanceTypes[0]: received "large"; expected an EC2 instance type such as t3.small or m7g.2xlarge: a family with a digit, a dot and a size, in lowercase letters, digits and hyphens, at most 64 characters',
    );
  });
});

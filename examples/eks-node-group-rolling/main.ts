/**
 * Library mode: an EKS cluster's own nodes rolled by the same policy as the colors.
 *
 * The node group starts its nodes from a launch template of this stack (IMDSv2 only, an encrypted
 * root volume) with the EKS-optimized AMI. The node group names the template's latest_version, so
 * editing the template creates a new version and makes EKS replace the nodes: it launches new
 * nodes first, then drains and terminates the old ones, maxUnavailable at a time. (A template that
 * names its own AMI must also carry the node bootstrap user data: EKS adds it only to its own AMIs.)
 * In your own project, import from "cdktf-rainbow/aws" instead of "../../aws".
 *
 *   npm run build && cd examples/eks-node-group-rolling && npx cdktf synth
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { App, LocalBackend, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Quantity, RollingNodeGroup, RollingUpdatePolicy, SecureDefaults } from '../../aws';

export class NodesStack extends TerraformStack {
  public readonly launchTemplate: LaunchTemplate;
  public readonly nodes: RollingNodeGroup;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });

    this.launchTemplate = new LaunchTemplate(this, 'NodeTemplate', {
      name: 'shop-nodes',
      updateDefaultVersion: true,
      // Two hops: pods on the node reach the instance metadata through the container network.
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 2 },
      blockDeviceMappings: [
        {
          deviceName: '/dev/xvda',
          ebs: { encrypted: 'true', volumeSize: 50, volumeType: 'gp3', deleteOnTermination: 'true' },
        },
      ],
    });

    // Two nodes at a time; EKS launches their replacements before it drains them.
    const rollingUpdate = RollingUpdatePolicy.of({ maxUnavailable: Quantity.count(2) });

    this.nodes = new RollingNodeGroup(this, 'Nodes', {
      clusterName: 'shop',
      nodeGroupName: 'shop-general',
      nodeRoleArn: 'arn:aws:iam::123456789012:role/shop-eks-nodes',
      subnetIds: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'],
      // 6 nodes on create; then the Cluster Autoscaler's count between 3 and 9, which applies keep
      // (manageDesiredSize: true would set it back to 6 on every apply).
      desiredSize: 6,
      minSize: 3,
      maxSize: 9,
      instanceTypes: ['m7i.large'],
      rollingUpdate,
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      labels: { workload: 'general' },
    });
    // Fail synth if anything in this stack weakens the secure defaults (IMDSv1, an unencrypted volume, ...).
    SecureDefaults.enforce(this);
  }
}

if (require.main === module) {
  const app = new App();
  new NodesStack(app, 'shop-nodes');
  app.synth();
}

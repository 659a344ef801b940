// A user's cdktf program on AWS (copied as main.ts beside the same tsconfig.json as main.ts) that
// composes the installed package in library mode. Only the AWS provider is installed: the program
// imports `cdktf-rainbow/aws`, whose declarations name no Kubernetes provider type.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlbRouter, EcsColor, IEcsColor, Quantity, RollingUpdatePolicy, SecureDefaults } from 'cdktf-rainbow/aws';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

class ShopStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: `terraform.${id}.tfstate` });
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const rollingUpdate = RollingUpdatePolicy.of({ maxSurge: Quantity.percent(50), maxUnavailable: Quantity.count(0) });
    const network = {
      app: 'shop',
      region: 'eu-west-1',
      cluster: 'shop',
      vpcId: 'vpc-0a1b2c3d4e5f6a7b8',
      subnetIds: ['subnet-0a1b2c3d4e5f6a7b8', 'subnet-0a1b2c3d4e5f6a7b9'],
      securityGroupIds: ['sg-0a1b2c3d4e5f6a7b8'],
      rollingUpdate,
    };
    const blue = new EcsColor(this, 'blue', {
      ...network,
      color: 'blue',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:2.0.0',
      replicas: 3,
      listenerRule: { listenerArn: LISTENER, host: 'shop.example.com', priority: 101 },
    });
    const green = new EcsColor(this, 'green', {
      ...network,
      color: 'green',
      image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:2.1.0',
      listenerRule: { listenerArn: LISTENER, host: 'shop.example.com', priority: 102 },
    });
    const router: AlbRouter = new AlbRouter(this, 'router', {
      app: 'shop',
      listenerArn: LISTENER,
      host: 'shop.example.com',
      rulePriority: 100,
    });
    router.addColor(blue, 90);
    router.addColor(green, 10);
    // A color of another stack, by name, as spec mode's router stack gets it; and an escape hatch
    // typed with the AWS provider's own class.
    const colors: IEcsColor[] = [blue, green, EcsColor.fromName(this, 'red', { app: 'shop', color: 'red' })];
    const service: EcsService = blue.service;
    SecureDefaults.enforce(this, { securityGroupIds: network.securityGroupIds });
    if (colors.length !== 3 || blue.name !== 'shop-blue' || !(service instanceof EcsService))
      throw new Error('unexpected construct fields');
  }
}

const app = new App({ outdir: process.env.OUTDIR ?? 'cdktf.out' });
new ShopStack(app, 'shop');
app.synth();

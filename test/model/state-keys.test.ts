import { defaultKeyPrefix, stateKey } from '../../model/state-keys';
import { rawEcsSpec, rawSpec, resolvedSpec } from '../spec-helpers';

const LISTENER =
  'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2';

describe('defaultKeyPrefix', () => {
  it('names the kubeconfig context and the namespace', () => {
    expect(defaultKeyPrefix({ app: 'shop', kubernetes: { namespace: 'shop', context: 'prod' } })).toBe(
      'shop/prod/shop',
    );
    expect(defaultKeyPrefix({ app: 'shop', kubernetes: { namespace: 'shop-staging' } })).toBe('shop/shop-staging');
  });

  it('keeps a context such as an EKS ARN as one readable segment', () => {
    expect(
      defaultKeyPrefix({
        app: 'shop',
        kubernetes: { namespace: 'shop', context: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' },
      }),
    ).toBe('shop/arn-aws-eks-eu-west-1-123456789012-cluster-prod/shop');
    expect(defaultKeyPrefix({ app: 'shop', kubernetes: { namespace: 'shop', context: '..' } })).toBe('shop/-/shop');
  });

  it('names the account, region, load balancer and listener of an ALB', () => {
    expect(defaultKeyPrefix({ app: 'shop', ecs: { listenerArn: LISTENER } })).toBe(
      'shop/123456789012-eu-west-1/shop-f2f7dc8efc522ab2',
    );
  });

  it('tells staging and production apart, for each platform', () => {
    const k8s = (context: string) => defaultKeyPrefix({ app: 'shop', kubernetes: { namespace: 'shop', context } });
    expect(k8s('staging')).not.toBe(k8s('prod'));
    const ecs = (account: string) =>
      defaultKeyPrefix({ app: 'shop', ecs: { listenerArn: LISTENER.replace('123456789012', account) } });
    expect(ecs('111111111111')).not.toBe(ecs('222222222222'));
  });
});

describe('the resolved backend', () => {
  const s3 = (raw: Record<string, any>, keyPrefix?: string) => {
    raw.backend = {
      s3: { bucket: 'tf-state', region: 'eu-west-1', ...(keyPrefix === undefined ? {} : { keyPrefix }) },
    };
    return resolvedSpec(raw).backend;
  };

  it('keeps an explicit keyPrefix exactly, as before', () => {
    const raw = rawSpec();
    raw.kubernetes.context = 'prod';
    expect(s3(raw, 'shop')).toEqual({ type: 's3', s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' } });
  });

  it('derives the default from the context and namespace, or from the listener', () => {
    const raw = rawSpec();
    raw.kubernetes.context = 'prod';
    expect(s3(raw)).toEqual({
      type: 's3',
      s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop/prod/shop' },
    });
    expect(s3(rawEcsSpec())).toEqual({
      type: 's3',
      s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop/123456789012-eu-west-1/shop-f2f7dc8efc522ab2' },
    });
  });

  it("puts each stack's state at <keyPrefix>/<stack>.tfstate", () => {
    expect(stateKey('shop/prod/shop', 'shop-red')).toBe('shop/prod/shop/shop-red.tfstate');
  });
});

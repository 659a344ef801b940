import { App } from 'cdktf';
import { Construct } from 'constructs';
import { RainbowStacks } from '../../stacks/rainbow-app';
import { Backend, BackendType } from '../../model/types';
import { rawSpec, resolvedSpec, synthJson, testApp } from '../helpers';

/** Two specs of one app, staging and production, in one cdktf app. */
function twoTargets(staging: Record<string, unknown>, production: Record<string, unknown>) {
  const app: App = testApp();
  const spec = (s3: Record<string, unknown>, context: string) => {
    const raw = rawSpec();
    raw.kubernetes.context = context;
    raw.backend = { s3: { bucket: 'tf-state', region: 'eu-west-1', ...s3 } };
    return resolvedSpec(raw);
  };
  const a = new RainbowStacks(new Construct(app, 'staging'), spec(staging, 'staging'));
  const b = () => new RainbowStacks(new Construct(app, 'production'), spec(production, 'prod'));
  return { a, b };
}

describe('state keys', () => {
  it('gives two specs of one app for different clusters their own state by default', () => {
    const { a, b } = twoTargets({}, {});
    const key = (stacks: RainbowStacks) => synthJson(stacks.colorStacks[0]).terraform.backend.s3.key;
    expect([key(a), key(b())]).toEqual(['shop/staging/shop/shop-red.tfstate', 'shop/prod/shop/shop-red.tfstate']);
  });

  it('refuses a second stack with the same bucket and key, naming both', () => {
    const { b } = twoTargets({ keyPrefix: 'shop' }, { keyPrefix: 'shop' });
    expect(b).toThrow(
      'stack shop-red:\nbackend.s3: received the state location s3://tf-state/shop/shop-red.tfstate for production/shop-red, already that of staging/shop-red; ' +
        'expected a state of its own for every stack: give each spec its own backend.s3.keyPrefix, or leave keyPrefix out so that the key names the cluster or listener',
    );
  });

  it('lets the same key live in another bucket', () => {
    const { b } = twoTargets({ keyPrefix: 'shop' }, { keyPrefix: 'shop', bucket: 'tf-state-prod' });
    expect(b).not.toThrow();
  });
});

describe('Backend', () => {
  it('makes the settings a resolved spec holds', () => {
    expect(Backend.local()).toEqual({ type: BackendType.LOCAL });
    expect(Backend.s3({ bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' })).toEqual({
      type: 's3',
      s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' },
    });
  });

  it('puts a spec built with Backend.s3 in its bucket, by stack', () => {
    const stacks = new RainbowStacks(testApp(), {
      ...resolvedSpec(),
      backend: Backend.s3({ bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'team/shop' }),
    });
    expect(synthJson(stacks.routerStack).terraform.backend.s3).toEqual({
      bucket: 'tf-state',
      region: 'eu-west-1',
      key: 'team/shop/shop-router.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('refuses type S3 without its settings instead of keeping the state locally', () => {
    const spec = { ...resolvedSpec(), backend: { type: BackendType.S3 } };
    expect(() => new RainbowStacks(testApp(), spec)).toThrow(
      'stack shop-red:\nbackend: received type S3 without s3 settings; expected Backend.s3({ bucket, region, keyPrefix }) (or Backend.local())',
    );
  });
});

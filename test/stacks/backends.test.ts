import { Construct } from 'constructs';
import { Backend, BackendSettings, BackendType } from '../../model/types';
import { RainbowStacks } from '../../stacks/rainbow-app';
import { rawSpec, resolvedSpec, synthJson, testApp } from '../helpers';

/** The `terraform` block of the first color's stack (shop-red) and of the router's (shop-router). */
function terraformBlocks(backend: Record<string, unknown>, edit: (raw: Record<string, any>) => void = () => undefined) {
  const raw = rawSpec();
  raw.backend = backend;
  edit(raw);
  const stacks = new RainbowStacks(testApp(), resolvedSpec(raw));
  return { color: synthJson(stacks.colorStacks[0]).terraform, router: synthJson(stacks.routerStack).terraform };
}

/** Two specs of one app, staging and production, in one cdktf app, the second built when called. */
function twoSpecs(staging: Record<string, unknown>, production: Record<string, unknown>) {
  const app = testApp();
  const spec = (backend: Record<string, unknown>, context: string) => {
    const raw = rawSpec();
    raw.kubernetes.context = context;
    raw.backend = backend;
    return resolvedSpec(raw);
  };
  new RainbowStacks(new Construct(app, 'staging'), spec(staging, 'staging'));
  return () => new RainbowStacks(new Construct(app, 'production'), spec(production, 'prod'));
}

describe('backend.gcs', () => {
  it('keeps each stack in its own folder <prefix>/<stack>/ of the bucket', () => {
    const { color, router } = terraformBlocks({ gcs: { bucket: 'acme-tf-state', prefix: 'shop' } });
    expect(color.backend).toEqual({ gcs: { bucket: 'acme-tf-state', prefix: 'shop/shop-red' } });
    expect(router.backend).toEqual({ gcs: { bucket: 'acme-tf-state', prefix: 'shop/shop-router' } });
    expect(color.cloud).toBeUndefined();
  });

  it('names the cluster and namespace without a prefix, as S3 does', () => {
    const { color } = terraformBlocks({ gcs: { bucket: 'acme-tf-state' } }, (raw) => {
      raw.kubernetes.context = 'gke_acme_europe-west1_prod';
    });
    expect(color.backend.gcs.prefix).toBe('shop/gke_acme_europe-west1_prod/shop/shop-red');
  });

  it('refuses a second stack with the same bucket and prefix, naming both', () => {
    const second = twoSpecs(
      { gcs: { bucket: 'acme-tf-state', prefix: 'shop' } },
      { gcs: { bucket: 'acme-tf-state', prefix: 'shop' } },
    );
    expect(second).toThrow(
      'stack shop-red:\nbackend.gcs: received the state location gs://acme-tf-state/shop/shop-red/default.tfstate for production/shop-red, ' +
        'already that of staging/shop-red; expected a state of its own for every stack: give each spec its own backend.gcs.prefix, or leave prefix out so that it names the cluster or listener',
    );
  });

  it('lets two specs without a prefix deploy to two clusters', () => {
    expect(twoSpecs({ gcs: { bucket: 'acme-tf-state' } }, { gcs: { bucket: 'acme-tf-state' } })).not.toThrow();
  });
});

describe('backend.azurerm', () => {
  const azurerm = {
    resourceGroupName: 'tf',
    storageAccountName: 'acmetfstate',
    containerName: 'state',
    keyPrefix: 'shop',
  };

  it('keeps each stack in the blob <keyPrefix>/<stack>.tfstate', () => {
    const { color, router } = terraformBlocks({ azurerm });
    expect(color.backend).toEqual({
      azurerm: {
        resource_group_name: 'tf',
        storage_account_name: 'acmetfstate',
        container_name: 'state',
        key: 'shop/shop-red.tfstate',
      },
    });
    expect(router.backend.azurerm.key).toBe('shop/shop-router.tfstate');
  });

  it('refuses a second stack with the same account, container and key', () => {
    expect(twoSpecs({ azurerm }, { azurerm })).toThrow(
      'backend.azurerm: received the state location azurerm://acmetfstate/state/shop/shop-red.tfstate for production/shop-red, already that of staging/shop-red',
    );
  });

  it('lets the same key live in another container', () => {
    expect(twoSpecs({ azurerm }, { azurerm: { ...azurerm, containerName: 'state-prod' } })).not.toThrow();
  });
});

describe('backend.cloud', () => {
  it('gives each stack its own HCP Terraform workspace <workspacePrefix>-<stack>, in the project', () => {
    const { color, router } = terraformBlocks({
      cloud: { organization: 'acme', workspacePrefix: 'shop', hostname: 'app.terraform.io', project: 'platform' },
    });
    expect(color.cloud).toEqual({
      organization: 'acme',
      hostname: 'app.terraform.io',
      workspaces: { name: 'shop-shop-red', project: 'platform' },
    });
    expect(router.cloud).toEqual({
      organization: 'acme',
      hostname: 'app.terraform.io',
      workspaces: { name: 'shop-shop-router', project: 'platform' },
    });
    expect(color.backend).toBeUndefined();
  });

  it('leaves the host and the project to Terraform when the spec does', () => {
    const { color } = terraformBlocks({ cloud: { organization: 'acme', workspacePrefix: 'shop' } });
    expect(color.cloud).toEqual({ organization: 'acme', workspaces: { name: 'shop-shop-red' } });
  });

  it('refuses a second stack with the same workspace, naming both', () => {
    const cloud = { organization: 'acme', workspacePrefix: 'shop' };
    expect(twoSpecs({ cloud }, { cloud })).toThrow(
      'backend.cloud: received the state location https://app.terraform.io/app/acme/workspaces/shop-shop-red for production/shop-red, ' +
        'already that of staging/shop-red; expected a state of its own for every stack: give each spec its own backend.cloud.workspacePrefix',
    );
  });

  it('lets the same workspace name live in another organization', () => {
    expect(
      twoSpecs(
        { cloud: { organization: 'acme', workspacePrefix: 'shop' } },
        { cloud: { organization: 'acme-prod', workspacePrefix: 'shop' } },
      ),
    ).not.toThrow();
  });
});

describe('backend.kubernetes', () => {
  it('keeps each stack in the Secret tfstate-default-<secretSuffixPrefix>-<stack>, in the cluster of the colors', () => {
    const { color, router } = terraformBlocks(
      { kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } },
      (raw) => {
        raw.kubernetes.context = 'prod';
      },
    );
    expect(color.backend).toEqual({
      kubernetes: { secret_suffix: 'shop-shop-red', namespace: 'tf-state', config_context: 'prod' },
    });
    expect(router.backend).toEqual({
      kubernetes: { secret_suffix: 'shop-shop-router', namespace: 'tf-state', config_context: 'prod' },
    });
  });

  it("uses the context of backend.kubernetes over the platform's, and none without either", () => {
    expect(
      terraformBlocks({ kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop', context: 'ops' } }, (raw) => {
        raw.kubernetes.context = 'prod';
      }).color.backend.kubernetes.config_context,
    ).toBe('ops');
    expect(
      terraformBlocks({ kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } }).color.backend,
    ).toEqual({ kubernetes: { secret_suffix: 'shop-shop-red', namespace: 'tf-state' } });
  });

  it('refuses a second stack with the same Secret in the same cluster, and allows another cluster', () => {
    const kubernetes = { namespace: 'tf-state', secretSuffixPrefix: 'shop' };
    expect(
      twoSpecs({ kubernetes: { ...kubernetes, context: 'ops' } }, { kubernetes: { ...kubernetes, context: 'ops' } }),
    ).toThrow(
      'backend.kubernetes: received the state location kubernetes://ops/tf-state/secrets/tfstate-default-shop-shop-red for production/shop-red, already that of staging/shop-red; ' +
        'expected a state of its own for every stack: give each spec its own backend.kubernetes.secretSuffixPrefix, or its own namespace or context',
    );
    expect(twoSpecs({ kubernetes }, { kubernetes })).not.toThrow();
  });
});

describe('Backend, in library mode', () => {
  const build = (backend: BackendSettings) => () => new RainbowStacks(testApp(), { ...resolvedSpec(), backend });

  it('makes the settings a resolved spec holds', () => {
    expect(Backend.gcs({ bucket: 'acme-tf-state', prefix: 'shop' })).toEqual({
      type: 'gcs',
      gcs: { bucket: 'acme-tf-state', prefix: 'shop' },
    });
    expect(
      Backend.azurerm({
        resourceGroupName: 'tf',
        storageAccountName: 'acmetfstate',
        containerName: 'state',
        keyPrefix: 'shop',
      }),
    ).toEqual({
      type: 'azurerm',
      azurerm: {
        resourceGroupName: 'tf',
        storageAccountName: 'acmetfstate',
        containerName: 'state',
        keyPrefix: 'shop',
      },
    });
    expect(Backend.cloud({ organization: 'acme', workspacePrefix: 'shop' })).toEqual({
      type: 'cloud',
      cloud: { organization: 'acme', workspacePrefix: 'shop' },
    });
    expect(Backend.kubernetes({ namespace: 'tf-state', secretSuffixPrefix: 'shop' })).toEqual({
      type: 'kubernetes',
      kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' },
    });
  });

  it('synthesizes the same terraform block as the spec file', () => {
    const stacks = new RainbowStacks(testApp(), {
      ...resolvedSpec(),
      backend: Backend.gcs({ bucket: 'acme-tf-state', prefix: 'team/shop' }),
    });
    expect(synthJson(stacks.routerStack).terraform.backend).toEqual({
      gcs: { bucket: 'acme-tf-state', prefix: 'team/shop/shop-router' },
    });
  });

  it("refuses each field as the spec file does, with the spec's path and text", () => {
    expect(build(Backend.gcs({ bucket: 'google-state', prefix: '/shop' }))).toThrow(
      'stack shop-red:\n' +
        'backend.gcs.bucket: received "google-state"; expected a GCS bucket name: 3 to 63 lowercase letters, digits, "-", "_" or "." (up to 222 with dots, at most 63 between two), ' +
        'alphanumeric first and last, not an IP address, not starting with "goog" nor containing "google"\n' +
        'backend.gcs.prefix: received "/shop"; expected a GCS object prefix: letters, digits and !-_.*\'()/, not starting or ending with "/", at most 200 characters',
    );
    expect(
      build(
        Backend.azurerm({
          resourceGroupName: 'tf',
          storageAccountName: 'acme-tf-state',
          containerName: 'state',
          keyPrefix: 'shop',
        }),
      ),
    ).toThrow(
      'backend.azurerm.storageAccountName: received "acme-tf-state"; expected an Azure storage account name: 3 to 24 lowercase letters and digits',
    );
    expect(build(Backend.s3({ bucket: 'TF-State', region: 'eu-west-1', keyPrefix: 'shop' }))).toThrow(
      'backend.s3.bucket: received "TF-State"; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots or hyphens, alphanumeric first and last',
    );
  });

  it('refuses a workspace name above the 90 characters of HCP Terraform, naming the longest stack', () => {
    expect(build(Backend.cloud({ organization: 'acme', workspacePrefix: 'w'.repeat(78) }))).not.toThrow();
    expect(build(Backend.cloud({ organization: 'acme', workspacePrefix: 'w'.repeat(79) }))).toThrow(
      `stack shop-orange:\nbackend.cloud.workspacePrefix: received "${'w'.repeat(57)}..." (79 characters), which makes the workspace of the stack shop-orange ` +
        `${'w'.repeat(79)}-shop-orange (91 characters); HCP Terraform allows at most 90, so at most 78 characters here`,
    );
  });

  it("refuses a type without its settings, or with another type's, instead of keeping the state locally", () => {
    expect(build({ type: BackendType.GCS })).toThrow(
      'stack shop-red:\nbackend: received type GCS without gcs settings; expected Backend.gcs({ bucket, prefix }) (or Backend.local())',
    );
    expect(build({ type: BackendType.S3 })).toThrow(
      'stack shop-red:\nbackend: received type S3 without s3 settings; expected Backend.s3({ bucket, region, keyPrefix }) (or Backend.local())',
    );
    expect(
      build({
        ...Backend.gcs({ bucket: 'acme-tf-state', prefix: 'shop' }),
        s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' },
      }),
    ).toThrow(
      "stack shop-red:\nbackend.s3: received s3 settings with type GCS; expected only the settings of its own type, as Backend's factories make them",
    );
  });

  it('refuses a Secret suffix ending in -<number>, which the Kubernetes backend refuses', () => {
    const raw = rawSpec();
    raw.colors[0].name = 'v1-4-0';
    expect(
      () =>
        new RainbowStacks(testApp(), {
          ...resolvedSpec(raw),
          backend: Backend.kubernetes({ namespace: 'tf-state', secretSuffixPrefix: 'shop' }),
        }),
    ).toThrow(
      'stack shop-v1-4-0:\nbackend.kubernetes: received the Secret suffix shop-shop-v1-4-0 for the stack shop-v1-4-0, which ends in "-<number>"; ' +
        'the Kubernetes backend refuses such a suffix (it numbers the Secrets of a large state so): give the color a name that does not end in "-<digits>", or use another backend',
    );
  });
});

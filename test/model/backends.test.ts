import { KUBERNETES_BACKEND_LIMITS } from '../../model/backends';
import { FIELDS } from '../../model/fields';
import { stateLocation, stateSecretName } from '../../model/state-keys';
import { Backend } from '../../model/types';
import { problemLines, rawEcsSpec, rawSpec, resolvedSpec } from '../spec-helpers';

const accepts = (field: keyof typeof FIELDS, values: unknown[]) => values.filter((v) => !FIELDS[field].test(v));
const refuses = (field: keyof typeof FIELDS, values: unknown[]) => values.filter((v) => FIELDS[field].test(v));

describe('the names of the state backends', () => {
  it('takes GCS bucket names as Cloud Storage does', () => {
    expect(
      accepts('gcsBucket', [
        'acme-tf-state',
        'acme_tf_state',
        'a1b',
        'x'.repeat(63),
        `${'a'.repeat(63)}.${'b'.repeat(63)}.example.com`,
      ]),
    ).toEqual([]);
    expect(
      refuses('gcsBucket', [
        'ab',
        'x'.repeat(64),
        `${'a'.repeat(64)}.example.com`,
        `${'a.'.repeat(111)}b`,
        'Acme',
        '-acme',
        'acme-',
        'a..b',
        '192.168.5.4',
        'goog-state',
        'acme-google-state',
        'acme-g00gle',
        'acme-go0gle',
        'acme tf',
      ]),
    ).toEqual([]);
  });

  it('takes Azure names as Azure Resource Manager and Blob Storage do', () => {
    expect(accepts('storageAccount', ['acmetfstate', 'abc', 'a'.repeat(24)])).toEqual([]);
    expect(refuses('storageAccount', ['ab', 'a'.repeat(25), 'acme-tf-state', 'AcmeState'])).toEqual([]);
    expect(accepts('blobContainer', ['state', 'tf-state-prod', 'abc', 'a'.repeat(63)])).toEqual([]);
    expect(refuses('blobContainer', ['ab', 'a'.repeat(64), 'state--prod', '-state', 'state-', 'State'])).toEqual([]);
    expect(accepts('resourceGroup', ['tf', 'rg-tf_state.(prod)', 'a'.repeat(90), 'Terraform'])).toEqual([]);
    expect(refuses('resourceGroup', ['', 'tf.', 'a'.repeat(91), 'tf state', 'tf/state'])).toEqual([]);
  });

  it('takes HCP Terraform names as its API does', () => {
    expect(accepts('organization', ['acme', 'acme-corp_2', 'acme.io'])).toEqual([]);
    expect(refuses('organization', ['', 'acme corp', 'acme/corp'])).toEqual([]);
    expect(accepts('workspacePrefix', ['shop', 'Shop_Prod-1', 'x'.repeat(90)])).toEqual([]);
    expect(refuses('workspacePrefix', ['', 'shop.prod', 'shop prod', 'x'.repeat(91)])).toEqual([]);
    expect(accepts('project', ['platform', 'Platform Team', 'abc', 'x'.repeat(40)])).toEqual([]);
    expect(refuses('project', ['ab', 'x'.repeat(41), ' platform', 'platform ', 'platform.team'])).toEqual([]);
  });

  it('takes Secret suffix prefixes that keep the Secret a DNS subdomain name and the suffix a label value', () => {
    expect(accepts('secretSuffixPrefix', ['shop', 'team.shop', 'shop-2', 'x'.repeat(63)])).toEqual([]);
    expect(
      refuses('secretSuffixPrefix', [
        '',
        'Shop',
        'shop_',
        '-shop',
        'shop-',
        'team..shop',
        'team.-shop',
        'x'.repeat(64),
      ]),
    ).toEqual([]);
  });

  it('keeps every Secret and Lease name within the 253 characters of a Kubernetes name when the suffix fits a label value', () => {
    const longest = stateSecretName('x'.repeat(KUBERNETES_BACKEND_LIMITS.labelValueLength - 11), 'a'.repeat(10));
    expect(longest).toHaveLength(16 + KUBERNETES_BACKEND_LIMITS.labelValueLength);
    const lease = `${KUBERNETES_BACKEND_LIMITS.leasePrefix}${longest}`;
    expect(lease).toHaveLength(84);
    expect(lease.length).toBeLessThanOrEqual(KUBERNETES_BACKEND_LIMITS.objectNameLength);
  });
});

describe('the resolved backend of a spec', () => {
  const backend = (block: Record<string, unknown>, raw = rawSpec()) => resolvedSpec({ ...raw, backend: block }).backend;

  it('names the app and where it deploys without a GCS prefix or an Azure key prefix, as for S3', () => {
    const raw = rawSpec();
    raw.kubernetes.context = 'prod';
    expect(backend({ gcs: { bucket: 'acme-tf-state' } }, raw)).toEqual({
      type: 'gcs',
      gcs: { bucket: 'acme-tf-state', prefix: 'shop/prod/shop' },
    });
    expect(
      backend(
        { azurerm: { resourceGroupName: 'tf', storageAccountName: 'acmetfstate', containerName: 'state' } },
        rawEcsSpec(),
      ).azurerm!.keyPrefix,
    ).toBe('shop/123456789012-eu-west-1/shop-f2f7dc8efc522ab2');
  });

  it('keeps explicit prefixes exactly', () => {
    expect(backend({ gcs: { bucket: 'acme-tf-state', prefix: 'shop' } })).toEqual(
      Backend.gcs({ bucket: 'acme-tf-state', prefix: 'shop' }),
    );
    expect(backend({ cloud: { organization: 'acme', workspacePrefix: 'shop', project: 'platform' } })).toEqual(
      Backend.cloud({ organization: 'acme', workspacePrefix: 'shop', project: 'platform' }),
    );
  });

  it("keeps the Kubernetes backend's Secrets in the cluster of the colors unless it names another context", () => {
    const raw = rawSpec();
    raw.kubernetes.context = 'prod';
    expect(
      backend({ kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } }, raw).kubernetes!.context,
    ).toBe('prod');
    expect(
      backend({ kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop', context: 'ops' } }, raw).kubernetes!
        .context,
    ).toBe('ops');
    expect(
      backend({ kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } }, rawEcsSpec()).kubernetes,
    ).toEqual({ namespace: 'tf-state', secretSuffixPrefix: 'shop' });
  });

  it('moves no state of a spec with the local or the S3 backend', () => {
    expect(resolvedSpec(rawSpec()).backend).toEqual(Backend.local());
    expect(
      stateLocation(backend({ s3: { bucket: 'tf-state', region: 'eu-west-1', keyPrefix: 'shop' } }), 'shop-red'),
    ).toBe('s3://tf-state/shop/shop-red.tfstate');
  });
});

describe('the backend rules of a spec', () => {
  const lines = (block: unknown, edit: (raw: Record<string, any>) => void = () => undefined) => {
    const raw = rawSpec();
    raw.backend = block;
    edit(raw);
    return problemLines(raw);
  };

  it('checks the names a stack gets only once the app and the color names are valid', () => {
    const long = { kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'x'.repeat(60) } };
    expect(
      lines(long, (raw) => {
        raw.colors[1].name = 'Orange';
      }),
    ).toEqual([
      'colors[1].name: received "Orange"; expected lowercase letters, digits and hyphens, alphanumeric first and last, at most 20 characters',
    ]);
    expect(lines(long)).toHaveLength(1);
  });

  it('reports a numbered Secret suffix at each color whose stack has one, and never for the router', () => {
    const block = { kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } };
    expect(
      lines(block, (raw) => {
        raw.colors[0].name = 'v2';
        raw.colors[1].name = '7';
      }).map((l) => l.split(':')[0]),
    ).toEqual(['colors[1].name']);
    expect(
      lines(block, (raw) => {
        raw.colors[0].name = 'blue-2';
        raw.colors[1].name = 'green-10';
      }).map((l) => l.split(':')[0]),
    ).toEqual(['colors[0].name', 'colors[1].name']);
  });

  it("accepts each backend of the issue's example", () => {
    for (const block of [
      { gcs: { bucket: 'acme-tf-state', prefix: 'shop' } },
      {
        azurerm: {
          resourceGroupName: 'tf',
          storageAccountName: 'acmetfstate',
          containerName: 'state',
          keyPrefix: 'shop',
        },
      },
      { cloud: { organization: 'acme', workspacePrefix: 'shop', hostname: 'app.terraform.io', project: 'platform' } },
      { kubernetes: { namespace: 'tf-state', secretSuffixPrefix: 'shop' } },
    ])
      expect(lines(block)).toEqual([]);
  });
});

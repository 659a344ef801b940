import { mkdtempSync, readdirSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rainbow } from '../../stacks/rainbow';
import { rawSpec, resolvedSpec } from '../helpers';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'kubernetes-gateway', 'rainbow.yaml');

describe('Rainbow, spec mode as static calls', () => {
  it('loads a spec file with its defaults', () => {
    const { spec, problems } = Rainbow.loadSpec(EXAMPLE);
    expect(problems).toEqual([]);
    expect(spec?.colors.map((c) => c.name)).toEqual(['red', 'orange', 'yellow']);
  });

  it('returns the problems of a spec text at their line, formatted as the command prints them', () => {
    const { spec, problems } = Rainbow.validateSpecText(
      'app: shop\nplatform: kubernetes\ncolors: []\n',
      'rainbow.yaml',
    );
    expect(spec).toBeUndefined();
    expect(problems.map(Rainbow.formatProblem)).toContain(
      'rainbow.yaml:3:9: colors: received an empty list; expected a list of at least one color',
    );
  });

  it('validates a parsed document', () => {
    expect(Rainbow.validateSpec(rawSpec()).spec).toEqual(resolvedSpec());
    expect(Rainbow.validateSpec('app: shop').problems).toEqual([
      {
        path: 'spec',
        message:
          'received the string "app: shop" at the top of the file; expected a spec object with at least app, platform and colors',
      },
    ]);
  });

  it('synthesizes every stack and returns the deploy order', () => {
    const out = join(realpathSync(mkdtempSync(join(tmpdir(), 'rainbow-api-'))), 'cdktf.out');
    const result = Rainbow.synthesize(resolvedSpec(), out);
    expect(result.stackNames).toEqual(['shop-red', 'shop-orange', 'shop-router']);
    expect(readdirSync(join(out, 'stacks')).sort()).toEqual(['shop-orange', 'shop-red', 'shop-router']);
    expect(result.notes).toEqual([]);
    expect(result.phases.map((p) => p.stacks)).toEqual([['shop-red', 'shop-orange'], ['shop-router']]);
  });
});

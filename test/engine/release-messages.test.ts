import { spawnSync } from 'node:child_process';
import { shellWord } from '../../engine/messages';
import { RELEASE_TEXT, ROLLBACK_TEXT } from '../../engine/release-messages';

describe("the hints' RAINBOW_SPEC=<file> cdktf deploy line", () => {
  it('leaves a path as it is when no shell reads a character of it specially', () => {
    for (const path of [
      'rainbow.yaml',
      './rainbow.yaml',
      'deploy/rainbow.yaml',
      '/srv/app_1/rainbow-v2.yaml',
      'a+b@c%d,e:f=g.json',
    ])
      expect(shellWord(path)).toBe(path);
  });

  it('puts a path in single quotes when a shell would split, expand or glob it', () => {
    expect(shellWord('my specs/rainbow.yaml')).toBe("'my specs/rainbow.yaml'");
    expect(shellWord('$HOME/rainbow.yaml')).toBe("'$HOME/rainbow.yaml'");
    expect(shellWord('~/rainbow.yaml')).toBe("'~/rainbow.yaml'");
    expect(shellWord('specs/*.yaml')).toBe("'specs/*.yaml'");
    expect(shellWord('a;rm -rf x')).toBe("'a;rm -rf x'");
    expect(shellWord("bob's/rainbow.yaml")).toBe("'bob'\\''s/rainbow.yaml'");
    expect(shellWord('')).toBe("''");
  });

  it('gives the path back exactly when a real shell reads the word', () => {
    for (const path of ['rainbow.yaml', 'my specs/rainbow.yaml', 'bob\'s "x" $HOME `id` *.yaml; ~ \\ !', 'tab\there']) {
      const r = spawnSync('sh', ['-c', `RAINBOW_SPEC=${shellWord(path)} printenv RAINBOW_SPEC`], { encoding: 'utf8' });
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: `${path}\n` });
    }
  });

  it("writes the path of a rollback not deployed as a word a shell reads whole, and a common one as it is, in the release's hint", () => {
    expect(
      RELEASE_TEXT.rollbackNotDeployed(
        'my specs/rainbow.yaml',
        'blue 50%, green 50%',
        'blue 100%, green 0%',
        'green',
        ['shop-router'],
        'npx cdktf',
      ),
    ).toBe(
      'the rollback (blue 100%, green 0%) is written to my specs/rainbow.yaml but NOT deployed: deployed is blue 50%, green 50%. ' +
        "Run rainbow release green again to deploy it, or deploy it yourself: RAINBOW_SPEC='my specs/rainbow.yaml' npx cdktf deploy shop-router",
    );
    expect(
      RELEASE_TEXT.rollbackNotDeployed(
        './rainbow.yaml',
        'blue 50%, green 50%',
        'blue 100%, green 0%',
        'green',
        ['shop-router'],
        'cdktf',
      ),
    ).toBe(
      'the rollback (blue 100%, green 0%) is written to ./rainbow.yaml but NOT deployed: deployed is blue 50%, green 50%. ' +
        'Run rainbow release green again to deploy it, or deploy it yourself: RAINBOW_SPEC=./rainbow.yaml cdktf deploy shop-router',
    );
  });

  it("writes the path as a word a shell reads whole in rainbow rollback's hint", () => {
    expect(
      ROLLBACK_TEXT.notDeployed(
        "bob's/rainbow.yaml",
        'blue 0%, green 100%',
        'blue 100%, green 0%',
        ['shop-router'],
        'cdktf',
      ),
    ).toBe(
      "the rollback (blue 100%, green 0%) is written to bob's/rainbow.yaml but NOT deployed: deployed is blue 0%, green 100%. " +
        "Run rainbow rollback again to deploy it, or deploy it yourself: RAINBOW_SPEC='bob'\\''s/rainbow.yaml' cdktf deploy shop-router",
    );
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fences';

/** The cdktf projects of the checkout: the root's, and each example's that has its own cdktf.json. */
function cdktfProjects(): string[] {
  const examples = readdirSync(join(ROOT, 'examples'))
    .sort()
    .map((name) => `examples/${name}/cdktf.json`)
    .filter((file) => existsSync(join(ROOT, file)));
  return ['cdktf.json', ...examples];
}

describe("the examples' cdktf.json", () => {
  const projects = cdktfProjects().map((file) => ({
    file,
    projectId: (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { projectId?: unknown }).projectId,
  }));

  it('are the root one and those of the library-mode examples', () => {
    expect(projects.map((p) => p.file)).toEqual([
      'cdktf.json',
      'examples/compose-in-existing-stack/cdktf.json',
      'examples/eks-node-group-rolling/cdktf.json',
    ]);
  });

  // Without one, `cdktf synth` writes a new projectId into the file, and the checkout is dirty.
  it('each have a projectId of their own, a random UUID', () => {
    for (const { file, projectId } of projects)
      expect([file, projectId]).toEqual([
        file,
        expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      ]);
    expect(new Set(projects.map((p) => p.projectId)).size).toBe(projects.length);
  });
});

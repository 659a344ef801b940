/**
 * The cdktf app that `cdktf.json` runs (`npx cdktf synth`): the stacks of the spec named by
 * RAINBOW_SPEC, by default the Gateway API example. `rainbow synth` does the same without cdktf-cli.
 */
import { App } from 'cdktf';
import { loadSpec } from './spec/load';
import { formatProblem } from './spec/problem';
import { RainbowStacks } from './stacks/rainbow-app';

export const DEFAULT_SPEC = 'examples/kubernetes-gateway/rainbow.yaml';

const specFile = process.env.RAINBOW_SPEC ?? DEFAULT_SPEC;
const { spec, problems } = loadSpec(specFile);
if (spec === undefined) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
const app = new App();
new RainbowStacks(app, spec);
app.synth();

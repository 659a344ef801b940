/**
 * The cdktf app that `cdktf.json` runs (`npx cdktf synth`): the stacks of the spec named by
 * RAINBOW_SPEC, by default `./rainbow.yaml` in the folder cdktf runs in, as for every `rainbow`
 * command. A project made by `rainbow init` runs it from the installed package
 * (`node node_modules/cdktf-rainbow/dist/main.js`); this repository's cdktf.json names its example.
 * `rainbow synth` does the same without cdktf-cli.
 * Local state goes to the same `rainbow-state/` folder beside the spec as with `rainbow synth`;
 * state that earlier versions kept in the stack directories is moved there first.
 */
// First, as in the rainbow binary: Node's compile cache, before the modules below are compiled.
import './cli/compile-cache';
import { exitWhenFlushed } from './cli/output';
import { App, withoutTokenCreationStacks } from './constructs/core';
import { loadSpec } from './spec-file/load';
import { formatProblem, RainbowValidationError } from './model/problem';
import { defaultSpecFile } from './spec-file/spec-location';
import { LOCAL_STATE_CONTEXT } from './stacks/backend';
import { moveLegacyState, stateDirectory, stateDirectoryFromStack } from './stacks/local-state';
import { RainbowStacks } from './stacks/rainbow-app';
import { writeOutputMarker } from './stacks/synth-output';

const specFile = defaultSpecFile();
const { spec, problems } = loadSpec(specFile);
if (spec === undefined) {
  for (const problem of problems) process.stderr.write(`${formatProblem(problem)}\n`);
  process.exit(1);
}
const app = new App();
const stateDir = stateDirectory(specFile, app.outdir);
if (spec.backend.type === 'local') {
  try {
    moveLegacyState(app.outdir, stateDir, (note) => process.stderr.write(`${formatProblem(note)}\n`));
  } catch (error) {
    if (!(error instanceof RainbowValidationError)) throw error;
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.exit(1);
  }
}
app.node.setContext(LOCAL_STATE_CONTEXT, stateDirectoryFromStack(app.outdir, stateDir));
// Nothing reads the tokens' creation stacks in a synth that succeeds, and the output is the same.
withoutTokenCreationStacks(() => {
  new RainbowStacks(app, spec);
  app.synth();
});
writeOutputMarker(app.outdir);
exitWhenFlushed();

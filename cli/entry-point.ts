import { join } from 'node:path';

/**
 * Whether this process is the `rainbow` binary (dist/cli/main.js) or the cdktf app that
 * `cdktf synth` and `cdktf deploy` run (dist/main.js): those turn on Node's compile cache before
 * they load anything else, and end their process once their output is flushed. The tests and the
 * programs that import the library do neither.
 */
export function isRainbowEntryPoint(): boolean {
  const main = require.main?.filename;
  return main === join(__dirname, 'main.js') || main === join(__dirname, '..', 'main.js');
}

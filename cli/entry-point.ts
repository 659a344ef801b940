import { join } from 'node:path';

/**
 * Whether this process is the `rainbow` binary (dist/cli/main.js) or the cdktf app that
 * `cdktf synth` and `cdktf deploy` run (dist/main.js): those install the code cache and the
 * modules loaded on first use before they load anything else. The tests and the programs that
 * import the library do not.
 */
export function isRainbowEntryPoint(): boolean {
  const main = require.main?.filename;
  return main === join(__dirname, 'main.js') || main === join(__dirname, '..', 'main.js');
}

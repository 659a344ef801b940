/** Where the spec is when no `--spec` names it: RAINBOW_SPEC, then `./rainbow.yaml` in the current folder. */
export const DEFAULT_SPEC_FILE = './rainbow.yaml';

/**
 * The spec file every command and the cdktf app read by default. One rule for both, so that
 * `rainbow plan`, `rainbow apply` and the `cdktf deploy` it runs always read the same file.
 */
export function defaultSpecFile(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.RAINBOW_SPEC;
  return named === undefined || named === '' ? DEFAULT_SPEC_FILE : named;
}

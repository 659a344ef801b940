/**
 * The one module of this library that imports the CDK for Terraform core: every other module
 * takes these names from here, so moving to CDK Terrain (`cdktn`, the same API under another
 * package name) changes this file and the provider imports only (docs/library.md).
 */
export {
  App,
  AzurermBackend,
  CloudBackend,
  dependable,
  Fn,
  GcsBackend,
  Lazy,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformBackend,
  TerraformOutput,
  TerraformRemoteState,
  TerraformResource,
  TerraformStack,
  Token,
} from 'cdktf';
export type { DataTerraformRemoteStateConfig } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** V8's own text of a stack: the error's first line, then one `    at <frame>` line per frame. */
function defaultStackText(error: Error, frames: NodeJS.CallSite[]): string {
  // A V8 CallSite has a toString of its own (its `at` text); Node's types do not declare it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return `${Error.prototype.toString.call(error)}${frames.map((frame) => `\n    at ${String(frame)}`).join('')}`;
}

/**
 * Runs `build` (the building and synthesis of a construct tree) without the stack traces cdktf
 * 0.21 records for every token it creates: each reference and nested block of each resource.
 * cdktf keeps such a trace only as the token's `creationStack`, for the text of some token
 * errors, never in the output; formatting them is a tenth of a 16-color synth (bench/README.md,
 * "Start-up"). cdktf has no setting for it.
 *
 * This uses V8's documented stack trace API for the duration of `build` only, and changes no
 * code of cdktf's: cdktf captures its traces on a plain object, never on an Error, and a stack
 * captured on anything but an Error is formatted as empty text, which cdktf reads as no frames.
 * Every Error gets its stack from the formatter in place before (Node's, jest's source maps), and
 * that formatter is back when `build` returns or throws. The `rainbow` command and the cdktf app
 * (`dist/main.js`) call it; a library user's program keeps cdktf's behaviour.
 */
export function withoutTokenCreationStacks<T>(build: () => T): T {
  const errors = Error as { prepareStackTrace?: PrepareStackTrace };
  const previous = errors.prepareStackTrace;
  errors.prepareStackTrace = (error, frames) => {
    if (!(error instanceof Error)) return '';
    return previous === undefined ? defaultStackText(error, frames) : previous(error, frames);
  };
  try {
    return build();
  } finally {
    errors.prepareStackTrace = previous;
  }
}

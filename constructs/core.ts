/**
 * The one module of this library that imports the CDK for Terraform core: every other module
 * takes these names from here, so moving to CDK Terrain (`cdktn`, the same API under another
 * package name) changes this file and the provider imports only (docs/library.md).
 */
export { App, dependable, Fn, Lazy, LocalBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';

/**
 * Stops cdktf 0.21 from capturing a full stack trace (`Error.stackTraceLimit` unlimited) for every
 * token it creates: every reference and nested block of every resource. cdktf keeps it only as
 * the token's `creationStack`, which appears in the text of some token errors and never in the
 * output; it is a third of a synth's time per color (bench/README.md, "Profile"). cdktf has no
 * setting for it, so this replaces the function on its private module, and does nothing (false)
 * where that module or function is missing. The `rainbow` command calls it; a library user's
 * program keeps cdktf's behaviour.
 */
export function skipTokenCreationStacks(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof stackTrace.captureStackTrace !== 'function') return false;
    stackTrace.captureStackTrace = () => [];
    return true;
  } catch {
    return false;
  }
}

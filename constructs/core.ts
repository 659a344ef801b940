/**
 * The one module of this library that imports the CDK for Terraform core: every other module
 * takes these names from here, so moving to CDK Terrain (`cdktn`, the same API under another
 * package name) changes this file and the provider imports only (docs/library.md).
 */
export { App, dependable, Fn, Lazy, LocalBackend, S3Backend, TerraformResource, TerraformStack, Token } from 'cdktf';
export type { IAspect, ITerraformDependable } from 'cdktf';

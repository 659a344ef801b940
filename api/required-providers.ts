// The provider packages are optional peers, and each entry point loads the constructs of its
// platforms, which import their provider at load time. Without it, Node would fail deep inside a
// construct's module with a trace (`Cannot find module '@cdktf/provider-aws/lib/...'`): each entry
// point checks first, and says in one line what to import or install instead.
import { ENTRY_MESSAGES, type EntryProvider } from './messages';

/** The platform entry points and their provider packages, in the order the package root loads them. */
export const PLATFORM_ENTRIES: readonly EntryProvider[] = [
  { entry: 'cdktf-rainbow/kubernetes', provider: '@cdktf/provider-kubernetes' },
  { entry: 'cdktf-rainbow/aws', provider: '@cdktf/provider-aws' },
];

/**
 * Whether a provider's `lib/provider` module loads. Each request is written out, inside the try,
 * so that a bundler packing the user's app with its providers (esbuild, webpack) packs the one
 * installed and only warns about the other.
 */
function loads(provider: string): boolean {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    if (provider === '@cdktf/provider-kubernetes') require('@cdktf/provider-kubernetes/lib/provider');
    else if (provider === '@cdktf/provider-aws') require('@cdktf/provider-aws/lib/provider');
    /* eslint-enable @typescript-eslint/no-require-imports */
    else return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the program has `provider`: the module every stack of its platform loads resolves from
 * here. Resolving it is enough and loads nothing; where resolving fails but loading works (an app
 * bundled with its providers, a test's module mock), loading it decides.
 */
export function installed(
  provider: string,
  resolve: (request: string) => string = require.resolve,
  load: (provider: string) => boolean = loads,
): boolean {
  try {
    resolve(`${provider}/lib/provider`);
    return true;
  } catch {
    return load(provider);
  }
}

/**
 * What is wrong with loading `entry` (the package root, or one of PLATFORM_ENTRIES) in this
 * program: the line to print, or undefined when every provider it loads is installed.
 */
export function missingProviders(entry: string, has: (provider: string) => boolean = installed): string | undefined {
  const needed = entry === 'cdktf-rainbow' ? PLATFORM_ENTRIES : PLATFORM_ENTRIES.filter((p) => p.entry === entry);
  const present = needed.filter((p) => has(p.provider));
  if (present.length === needed.length) return undefined;
  if (needed.length === 1) return ENTRY_MESSAGES.entryWithoutProvider(needed[0]);
  return present.length === 0
    ? ENTRY_MESSAGES.rootWithoutProviders(needed)
    : ENTRY_MESSAGES.rootWithOneProvider(present[0], needed);
}

/**
 * Exits 1 with one line on stderr when a provider package that `entry` loads is not installed:
 * nothing of the entry point can work then, and the line is all the user needs to read.
 */
export function requireProviders(entry: string): void {
  const problem = missingProviders(entry);
  if (problem === undefined) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}

// The texts the entry points print when a provider package they load is not installed: one line,
// naming what to import or install instead of Node's trace from deep inside a construct's module.

/** An entry point's name, as a program imports it, and the provider package it loads. */
export interface EntryProvider {
  readonly entry: string;
  readonly provider: string;
}

/** The texts of the entry points (index.ts, kubernetes.ts, aws.ts), printed on stderr before they exit 1. */
export const ENTRY_MESSAGES = {
  rootWithOneProvider: (installed: EntryProvider, all: readonly EntryProvider[]) =>
    `cdktf-rainbow: the package root needs both ${all.map((p) => p.provider).join(' and ')}; with only ${installed.provider} installed, import from '${installed.entry}'`,
  rootWithoutProviders: (all: readonly EntryProvider[]) =>
    `cdktf-rainbow: the package root needs both ${all.map((p) => p.provider).join(' and ')}, and neither is installed; install the one of your platform and import from ${all.map((p) => `'${p.entry}'`).join(' or ')}`,
  entryWithoutProvider: (missing: EntryProvider) =>
    `cdktf-rainbow: '${missing.entry}' needs ${missing.provider}, which is not installed; install it in your program beside cdktf and constructs`,
};

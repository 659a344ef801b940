/** What makes a spec's state locations its own, by backend type: the prefix, or where the state lives. */
const SHARED_STATE_FIX: Record<string, string> = {
  s3: 'backend.s3.keyPrefix, or leave keyPrefix out so that the key names the cluster or listener',
  gcs: 'backend.gcs.prefix, or leave prefix out so that it names the cluster or listener',
  azurerm: 'backend.azurerm.keyPrefix, or leave keyPrefix out so that the key names the cluster or listener',
  cloud: 'backend.cloud.workspacePrefix',
  kubernetes: 'backend.kubernetes.secretSuffixPrefix, or its own namespace or context',
};

/** The texts of spec mode's stacks: backends and state keys, synth's output directory, the local state folder. */
export const STACK_MESSAGES = {
  stateKeyTaken: (location: string, stack: string, other: string, type: string) =>
    `received the state location ${location} for ${stack}, already that of ${other}; expected a state of its own for every stack: give each spec its own ${SHARED_STATE_FIX[type] ?? 'backend'}`,
  outEmpty:
    'received an empty path (an unset variable?); expected the directory to write the stacks to, such as cdktf.out. Nothing was written',
  outNotDirectory: (kind: string) =>
    `is ${kind}, not a directory; synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out; nothing was written`,
  outHolds: (relation: 'is' | 'holds', what: string) =>
    `${relation} ${what}; synth replaces its output directory whole, so it would delete it. Pass a directory of its own, such as cdktf.out; nothing was written`,
  outInsideState: (stateDir: string) =>
    `is inside the state folder ${stateDir}, which synth never replaces. Pass another --out, such as cdktf.out; nothing was written`,
  outForeign: (entries: string) =>
    `is not empty and not an earlier output of rainbow synth (it has no .rainbow-synth marker and holds ${entries}); synth replaces only a directory that is absent, empty or its own earlier output. Pass another --out, or empty the directory; nothing was written`,
  outDanglingLink: (target: string) =>
    `is a symbolic link to ${target}, which does not exist; point it at a directory, or pass another --out. Nothing was written`,
  outLinkFollowed: (target: string) => `is a symbolic link; writing the stacks to its target ${target}`,
  outRestored: (leftover: string, pid: string) =>
    `was missing after an interrupted synth (${pid}); restored it from ${leftover}`,
  outLeftoverRemoved: (leftover: string, pid: string) => `removed ${leftover}, left by an interrupted synth (${pid})`,
  outLeftoverKept: (leftover: string, file: string) =>
    `kept ${leftover}, left by an interrupted synth: it holds ${file}, and the output already has a different one. Compare them, keep the right state, then delete ${leftover}`,
  stateMoved: (to: string) =>
    `moved to ${to}: local state now lives in a folder beside the spec, outside the output that synth replaces`,
  stateConflict: (existing: string) =>
    `a different state for this stack already exists at ${existing}; expected one of them only. Keep the right one (terraform show), move the other away, then run synth again; nothing was moved`,
} as const;

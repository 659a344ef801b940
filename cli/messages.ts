import { describeValue, shortText } from '../model/messages';

/**
 * The texts only the command prints: the previous spec (`--from`, git refs), the edit lock,
 * apply's prerequisites, plan's verdicts, expire and preview. Those of `rainbow init` are in
 * commands/init.ts.
 */
export const CLI_MESSAGES = {
  gitFailed: (from: string, file: string, reason: string) =>
    `received "${from}"; git could not read ${file} there: ${reason}. Pass --from FILE to compare with a file instead`,
  forcedRemoval: (color: string, stack: string, destroy: string) =>
    `${color}'s resources are left running and unmanaged: the spec no longer has the stack ${stack}, so no deploy updates or destroys them. Destroy them with the previous spec, which still has it: ${destroy} (or put ${color} back with state: retired and deploy, which empties ${stack})`,
  verdictNotChecked: (why: string) => `safety: not checked: ${why}`,
  editUnsafe: 'the change is written, but plan and apply refuse it as it stands: each rule above says what to do (or edit again)',
  gitRefInvalid: (from: string, why: string) => `received ${describeValue(from)}; expected git:<ref> with ${why}, such as git:HEAD or git:main`,
  gitSpecTooLarge: (from: string, file: string, size: number, max: number) =>
    `received ${describeValue(from)}; ${file} there is ${size} bytes; expected a spec file of at most ${max} bytes`,
  gitSpecNotFile: (from: string, file: string, what: string) => `received ${describeValue(from)}; ${file} there is ${what}, not a file; expected a spec file`,
  renamedSpecNotFollowed: (file: string, old: string) =>
    `no previous spec at this path: ${file} is not at git HEAD, and ${shortText(old, 100)} (a spec at HEAD) is gone from the working tree; if ${file} replaces it, pass --from FILE with its old content (git show HEAD:${shortText(old, 100)} > old.yaml) or git add ${file} so that git sees the rename`,
  locked: (holder: { pid: number; host?: string; startedAt?: string; purpose?: string }, lock: string, otherHost: boolean) =>
    `locked by ${holder.purpose ?? 'another rainbow command'} (pid ${holder.pid}${holder.host === undefined ? '' : ` on ${holder.host}`}`
    + `${holder.startedAt === undefined ? '' : `, since ${holder.startedAt}`}${otherHost ? '; another host, so rainbow cannot check that it still runs' : ''}); `
    + `try again when it has finished, or remove ${lock} if that process is gone`,
  lockFailed: (reason: string) => `cannot create the edit lock beside the spec: ${reason}; nothing written`,
  cdktfJsonMissing: (dir: string, app: string) =>
    `no cdktf.json in ${dir}; cdktf deploy reads it to synthesize the stacks. Run rainbow apply in the folder that holds it, or create it: rainbow init writes one (in a folder without a rainbow.yaml), or write {"language": "typescript", "app": "${app}"}; nothing deployed`,
  fromNotFile: (from: string) =>
    /\.(ya?ml|json)$/i.test(from)
      ? `received ${describeValue(from)}, which is not a file; expected a previous spec file, or git:<ref> for the spec at a git commit, such as git:HEAD~1`
      : `received ${describeValue(from)}, which is not a file; expected a previous spec file, or git:${shortText(from, 60)} for the spec at that git ref`,
  expiredWithTraffic: (color: string, expires: string, weight: number) =>
    `${color} expired at ${expires} but still gets ${weight}% of the traffic; expire never moves traffic: drain it first (rainbow drain ${color}) and run expire again, or set a later expires if it should keep serving`,
  expireNothing: (now: string) => `no live color has expired at ${now}; nothing to do`,
  expireRetired: (color: string, expires: string) => `retired ${color}: it expired at ${expires}`,
  svgUnwritable: (reason: string) => `could not be written: ${reason}; nothing else changed`,
  commandChecks: (summaries: readonly string[]) => `checks that run commands: ${summaries.join(', ')}`,
} as const;

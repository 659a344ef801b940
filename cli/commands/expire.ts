import { ExpirePlan, expireColors, formatInstant, parseInstant } from '../../model/expiry';
import { EXPECTED, received } from '../../model/messages';
import { CLI_MESSAGES } from '../messages';
import { EXIT, Io, reportProblems } from '../output';
import { editCommand } from './edit';

/**
 * `rainbow expire [--now ISO] [--dry-run] [--force]`: retires every live color that has expired
 * and is at weight 0, as one edit of the spec (like the other editing commands: locked, atomic,
 * validated and checked against the safety rules first; `--dry-run` writes nothing). An expired
 * color that still carries traffic is named and left as it is, and the exit code is 1: moving
 * traffic is a decision this command never makes. Nothing to do: says so, exit 0.
 */
export function expireCommand(
  io: Io,
  specFile: string,
  nowText?: string,
  flags: { readonly dryRun?: boolean; readonly force?: boolean } = {},
): number {
  const now = nowText === undefined ? Date.now() : parseInstant(nowText);
  if (now === undefined) return reportProblems(io, [{ path: '--now', message: received(nowText, EXPECTED.expires) }]);
  let plan: ExpirePlan = { edits: [], retired: [], withTraffic: [] };
  const unchanged = () =>
    plan.withTraffic.length > 0 ? 'nothing to retire' : CLI_MESSAGES.expireNothing(formatInstant(now));
  const code = editCommand(
    io,
    specFile,
    (spec) => {
      plan = expireColors(spec, now);
      return { edits: plan.edits };
    },
    {},
    { unchanged, purpose: 'rainbow expire', dryRun: flags.dryRun, force: flags.force },
  );
  if (code !== EXIT.ok) return code;
  for (const r of plan.retired) io.out(CLI_MESSAGES.expireRetired(r.color, r.expires, flags.dryRun === true));
  if (plan.withTraffic.length === 0) return EXIT.ok;
  return reportProblems(
    io,
    plan.withTraffic.map((c) => ({
      path: `colors[${c.index}].expires`,
      message: CLI_MESSAGES.expiredWithTraffic(c.color, c.expires, c.weight),
    })),
  );
}

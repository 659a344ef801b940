import { commandCheckSummaries } from '../../model/release';
import { CLI_MESSAGES } from '../messages';
import { EXIT, Io, reportProblems } from '../output';
import { readLastRelease, readRecord } from '../../engine/release-record';
import { readSpec } from '../../engine/spec-store';
import { trafficJson, trafficTable, useColor } from '../table';

/**
 * `rainbow status [--json]`: the traffic table, or the same as JSON, as the spec file says (a line
 * says so: rainbow does not ask the platform what runs); then the checks that would
 * run commands on this machine during a release, so that a reviewer sees them. Loads no cdktf.
 */
export function statusCommand(io: Io, specFile: string, json: boolean): number {
  const loaded = readSpec(specFile);
  if ('problems' in loaded) return reportProblems(io, loaded.problems);
  if (json) io.out(JSON.stringify(trafficJson(loaded.spec), null, 2));
  else {
    for (const line of trafficTable(loaded.spec, useColor(process.stdout))) io.out(line);
    io.out(CLI_MESSAGES.statusSource(specFile));
    const commands = commandCheckSummaries(loaded.spec.progression.checks);
    if (commands.length > 0) io.out(CLI_MESSAGES.commandChecks(commands));
    for (const line of releaseLines(specFile)) io.out(line);
  }
  return EXIT.ok;
}

/** A release that has not ended, and how the last one ended, from the record beside the spec. */
function releaseLines(specFile: string): string[] {
  const lines: string[] = [];
  const open = readRecord(specFile);
  if (open !== undefined && !('problems' in open)) {
    const state =
      open.rollback !== undefined
        ? open.rollbackWritten === false
          ? 'its rollback is decided but not yet written or deployed'
          : 'its rollback is written but not deployed'
        : open.paused !== undefined
          ? `paused at ${open.paused.weight}%`
          : 'in progress, or interrupted';
    lines.push(CLI_MESSAGES.releaseOpen(open.color, state, open.startedAt));
  }
  const last = readLastRelease(specFile);
  if (last !== undefined && !('problems' in last))
    lines.push(CLI_MESSAGES.releaseLast(last.color, last.outcome, last.endedAt, last.to));
  return lines;
}

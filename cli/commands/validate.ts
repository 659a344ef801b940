import { liveColors, RainbowSpec } from '../../model/types';
import { loadSpec } from '../../spec-file/load';
import { EXIT, Io, reportProblems } from '../output';

/** `rainbow validate`: exit 0 with a one-line summary, or exit 1 with every problem. Loads no cdktf. */
export function validateCommand(io: Io, specFile: string): number {
  const { spec, problems } = loadSpec(specFile);
  if (spec === undefined) return reportProblems(io, problems);
  io.out(`${specFile}: valid: ${summary(spec)}`);
  return EXIT.ok;
}

export function summary(spec: RainbowSpec): string {
  const live = liveColors(spec);
  const retired = spec.colors.filter((c) => c.state === 'retired');
  const traffic = live.map((c) => `${c.name} ${c.weight}%`).join(', ');
  const retiredText =
    retired.length === 0 ? '' : `, ${retired.length} retired (${retired.map((c) => c.name).join(', ')})`;
  const colors = `${live.length} live ${live.length === 1 ? 'color' : 'colors'} (${traffic})${retiredText}`;
  const router = spec.kubernetes?.router ?? 'an ALB';
  return `app ${spec.app} on ${spec.platform} with ${router}, ${colors}, ${spec.colors.length + 1} stacks`;
}

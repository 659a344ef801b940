import { formatProblem, Problem } from '../model/problem';
import { ValidationResult } from '../model/spec-rules';
import { RainbowSpec } from '../model/types';
import { loadSpec, validateSpecText } from '../spec-file/load';
import { validateSpec } from '../spec-file/validate';
import { SynthesisOptions, SynthesisResult, synthesizeSpec } from './synthesize';

/**
 * Spec mode as calls: read and check a spec, and synthesize its stacks. The same functions the
 * `rainbow` command runs, as static methods so that every jsii language has them.
 */
export class Rainbow {
  /**
   * Reads, parses and validates a spec file (YAML or JSON). Never throws for bad input: every
   * problem is in the result, placed at its line and column.
   */
  public static loadSpec(file: string): ValidationResult {
    return loadSpec(file);
  }

  /**
   * Parses and validates the text of a spec file. `source` names it in the problems
   * (`<source>:<line>:<column>: <path>: <message>`).
   */
  public static validateSpecText(text: string, source: string): ValidationResult {
    return validateSpecText(text, source);
  }

  /** Checks a parsed spec document (plain objects, as read from YAML or JSON) and fills in its defaults. */
  public static validateSpec(document: unknown): ValidationResult {
    return validateSpec(document);
  }

  /** The line the command prints for a problem: `<file>:<line>:<column>: <path>: <message>`. */
  public static formatProblem(problem: Problem): string {
    return formatProblem(problem);
  }

  /**
   * Synthesizes a valid spec into `outdir` (`outdir/stacks/<stack>/cdk.tf.json`), all or nothing:
   * what `rainbow synth` does. `outdir` is replaced only when it is absent, empty or an earlier
   * output of synth; anything else is refused before anything moves.
   */
  public static synthesize(spec: RainbowSpec, outdir: string, options: SynthesisOptions = {}): SynthesisResult {
    return synthesizeSpec(spec, outdir, options);
  }

  private constructor() {}
}

import { MESSAGES } from './messages';
import { MAX_PERCENT } from './types';

/**
 * A number of pods (or tasks, or nodes), either absolute or a percent of the desired count.
 *
 * Used by the rolling update policy for maxSurge and maxUnavailable.
 */
export class Quantity {
  /** An absolute number, at least 0. */
  public static count(value: number): Quantity {
    if (!Number.isInteger(value) || value < 0) throw new Error(MESSAGES.quantityFactory('count', value));
    return new Quantity(value, false);
  }

  /** A percent of the desired count, a whole number from 0 to 100. */
  public static percent(value: number): Quantity {
    if (!Number.isInteger(value) || value < 0 || value > MAX_PERCENT)
      throw new Error(MESSAGES.quantityFactory('percent', value));
    return new Quantity(value, true);
  }

  /**
   * Reads the spec file form: a whole number, or a string "N%".
   * @returns undefined when the value is neither
   */
  public static parse(value: unknown): Quantity | undefined {
    if (typeof value === 'number')
      return Number.isInteger(value) && value >= 0 ? new Quantity(value, false) : undefined;
    if (typeof value !== 'string') return undefined;
    const match = /^(\d{1,3})%$/.exec(value);
    if (match === null) return undefined;
    const percent = Number(match[1]);
    return percent <= MAX_PERCENT ? new Quantity(percent, true) : undefined;
  }

  private constructor(
    /** The number, or the percent when `isPercent`. */
    public readonly value: number,
    /** True for a percent of the desired count, false for an absolute number. */
    public readonly isPercent: boolean,
  ) {}

  /** True for 0 and 0%: nothing may be added (maxSurge) or taken away (maxUnavailable). */
  public get isZero(): boolean {
    return this.value === 0;
  }

  /**
   * The absolute number for a desired count: percents round up when `roundUp`, down otherwise,
   * the way Kubernetes resolves maxSurge (up) and maxUnavailable (down).
   */
  public resolve(total: number, roundUp: boolean): number {
    if (!this.isPercent) return this.value;
    const exact = (this.value * total) / MAX_PERCENT;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }

  /** The Kubernetes IntOrString form: "25%" or "1". */
  public toString(): string {
    return this.isPercent ? `${this.value}%` : String(this.value);
  }
}

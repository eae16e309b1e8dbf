/**
 * @module A one-sided cumulative sum over time with an alarm that has
 * hysteresis: normalised deviations beyond a slack add up per second, so a
 * small persistent fault and a large brief one both reach the threshold,
 * while healthy noise within the slack never does.
 */

/** Share of the threshold below which a raised alarm clears. */
export const CLEAR_SHARE = 0.4;
/** Seconds over which evidence fades while the residual cannot be compared. */
const FORGET_TAU_S = 900;
/** Cap, in thresholds, so that a cleared fault does not hold the alarm for long. */
const MAX_THRESHOLDS = 4;

/** One side of one residual. */
export class Cusum {
  sum = 0;
  isAlarm = false;

  constructor(public threshold: number) {}

  /** Adds `excess` (normalised deviation minus slack) over `dtS` seconds. */
  add(excess: number, dtS: number): void {
    this.sum = Math.min(Math.max(0, this.sum + excess * dtS), MAX_THRESHOLDS * this.threshold);
    this.updateAlarm();
  }

  /** Lets the evidence fade while the residual is not compared. */
  fade(dtS: number): void {
    this.sum *= Math.exp(-dtS / FORGET_TAU_S);
    this.updateAlarm();
  }

  /** Returns the sum in thresholds: 1 is the alarm level. */
  level(): number {
    return this.sum / this.threshold;
  }

  reset(): void {
    this.sum = 0;
    this.isAlarm = false;
  }

  private updateAlarm(): void {
    if (this.sum >= this.threshold) this.isAlarm = true;
    else if (this.sum <= CLEAR_SHARE * this.threshold) this.isAlarm = false;
  }
}

/**
 * @module The slope of a slowly changing channel (a temperature) over the
 * last half minute: a least-squares fit through one point per second.
 */

const POINTS = 30;
const SPACING_S = 1;

/** Tracks the recent slope of one channel, in units per second. */
export class Trend {
  private readonly times = new Float64Array(POINTS);
  private readonly values = new Float64Array(POINTS);
  private count = 0;
  private next = 0;
  private lastTimeS = -Infinity;

  /** Adds a reading; readings closer than one second to the last kept one are skipped. */
  add(timeS: number, value: number): void {
    if (!Number.isFinite(value) || timeS - this.lastTimeS < SPACING_S) return;
    this.times[this.next] = timeS;
    this.values[this.next] = value;
    this.next = (this.next + 1) % POINTS;
    this.count = Math.min(this.count + 1, POINTS);
    this.lastTimeS = timeS;
  }

  /** Returns the seconds between the oldest and the newest kept reading (0 when empty). */
  spanS(): number {
    if (this.count === 0) return 0;
    const oldest = this.count < POINTS ? 0 : this.next;
    const newest = (this.next + POINTS - 1) % POINTS;
    return this.times[newest] - this.times[oldest];
  }

  /** Returns the slope per second, or NaN with fewer than 10 points. */
  slope(): number {
    if (this.count < 10) return NaN;
    let meanT = 0;
    let meanV = 0;
    for (let i = 0; i < this.count; i++) {
      meanT += this.times[i];
      meanV += this.values[i];
    }
    meanT /= this.count;
    meanV /= this.count;
    let covariance = 0;
    let variance = 0;
    for (let i = 0; i < this.count; i++) {
      covariance += (this.times[i] - meanT) * (this.values[i] - meanV);
      variance += (this.times[i] - meanT) ** 2;
    }
    return variance > 0 ? covariance / variance : NaN;
  }

  reset(): void {
    this.count = 0;
    this.next = 0;
    this.lastTimeS = -Infinity;
  }
}

/**
 * @module A decaying histogram of non-negative surprise values that returns
 * how rare a new value is: the weighted share of past values at or above it.
 * Bins are a quarter octave wide from 2^-10 to 2^10, so heavy-tailed and
 * light-tailed series are both ranked by their own history.
 */

const BIN_COUNT = 80;
const BINS_PER_OCTAVE = 4;
const LOWEST_OCTAVE = -10;
const LOG_OFFSET = 1e-3;

/** Weight above which all bins are rescaled, far below the float64 limit. */
const RESCALE_WEIGHT = 1e100;

/** Exponentially forgetting histogram of surprise values. */
export class TailHistogram {
  private readonly bins = new Float64Array(BIN_COUNT);
  /** Fenwick tree over `bins`, so the tail sum costs O(log bins) instead of a scan. */
  private readonly prefixTree = new Float64Array(BIN_COUNT + 1);
  private readonly growth: number;
  private weight = 1;
  private total = 0;

  /** Keeps a memory of about `memorySamples` values. */
  constructor(memorySamples: number) {
    if (!(memorySamples > 1)) {
      throw new Error(`Histogram memory must exceed 1 sample, got ${memorySamples}.`);
    }
    // Growing the weight of new values is the same as shrinking the old ones, with one multiply.
    this.growth = 1 / (1 - 1 / memorySamples);
  }

  /**
   * Returns the share of past values at or above `value` (half of its own
   * bin counts), with one pseudo-value above everything so the result is
   * never 0 and a first value gets 1.
   */
  tailProbability(value: number): number {
    const bin = binOf(value);
    const above = Math.max(0, this.total - this.prefixSum(bin + 1)) + 0.5 * this.bins[bin];
    return (above + this.weight) / (this.total + this.weight);
  }

  /** Adds a value to the history. */
  push(value: number): void {
    const bin = binOf(value);
    this.bins[bin] += this.weight;
    this.addToTree(bin, this.weight);
    this.total += this.weight;
    this.weight *= this.growth;
    if (this.weight > RESCALE_WEIGHT) this.rescale();
  }

  /** Returns the summed weight of the first `count` bins. */
  private prefixSum(count: number): number {
    let sum = 0;
    for (let i = count; i > 0; i -= i & -i) sum += this.prefixTree[i];
    return sum;
  }

  private addToTree(bin: number, weight: number): void {
    for (let i = bin + 1; i <= BIN_COUNT; i += i & -i) this.prefixTree[i] += weight;
  }

  /** Divides every weight by the current one and rebuilds the tree, which also clears its rounding. */
  private rescale(): void {
    this.prefixTree.fill(0);
    this.total = 0;
    for (let i = 0; i < BIN_COUNT; i++) {
      this.bins[i] /= this.weight;
      this.addToTree(i, this.bins[i]);
      this.total += this.bins[i];
    }
    this.weight = 1;
  }
}

function binOf(value: number): number {
  const bin = Math.floor((Math.log2(value + LOG_OFFSET) - LOWEST_OCTAVE) * BINS_PER_OCTAVE);
  return Math.max(0, Math.min(BIN_COUNT - 1, bin));
}

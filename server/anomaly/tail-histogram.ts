/**
 * @module A decaying histogram of non-negative surprise values that returns
 * how rare a new value is: the weighted share of past values at or above it.
 * Bins are a quarter octave wide from 2^-10 to 2^10, so heavy-tailed and
 * light-tailed series are both ranked by their own history.
 *
 * The share alone cannot fall below about 1/memory, so a value just above
 * every past one would rank like a value far above them all. Beyond the top
 * of the history the tail can therefore be extrapolated: each octave further
 * divides the probability by 10^`extrapolationDecadesPerOctave`, once the
 * history contains enough values for its top to mean something.
 */

const BIN_COUNT = 80;
const BINS_PER_OCTAVE = 4;
const LOWEST_OCTAVE = -10;
const LOG_OFFSET = 1e-3;

/**
 * Effective number of past values needed before the tail is extrapolated,
 * so the top of a short history is not taken for the top of the distribution.
 */
const MIN_HISTORY_FOR_EXTRAPOLATION = 1000;

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
  constructor(
    memorySamples: number,
    private readonly extrapolationDecadesPerOctave = 0,
  ) {
    if (!(memorySamples > 1)) {
      throw new Error(`Histogram memory must exceed 1 sample, got ${memorySamples}.`);
    }
    if (!(extrapolationDecadesPerOctave >= 0)) {
      throw new Error(
        `Extrapolation must be zero or more decades per octave, got ${extrapolationDecadesPerOctave}.`,
      );
    }
    // Growing the weight of new values is the same as shrinking the old ones, with one multiply.
    this.growth = 1 / (1 - 1 / memorySamples);
  }

  /**
   * Returns the share of past values at or above `value` (half of its own
   * bin counts), with one pseudo-value above everything so the result is
   * never 0 and a first value gets 1. Above every past value the share is
   * lowered further by the extrapolation.
   */
  tailProbability(value: number): number {
    const bin = binOf(value);
    const above = Math.max(0, this.total - this.prefixSum(bin + 1)) + 0.5 * this.bins[bin];
    const share = (above + this.weight) / (this.total + this.weight);
    const hasHistory = this.total >= MIN_HISTORY_FOR_EXTRAPOLATION * this.weight;
    if (this.extrapolationDecadesPerOctave === 0 || above >= this.weight || !hasHistory) {
      return share;
    }
    const decades = this.extrapolationDecadesPerOctave * this.octavesAboveHistory(bin);
    return share * 10 ** -decades;
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

  /**
   * Returns how many octaves `bin` lies above the top of the history: the
   * highest bin at which the weight from the top down reaches one newest
   * sample. Old outliers that have decayed below that weight do not count.
   */
  private octavesAboveHistory(bin: number): number {
    let weightAbove = 0;
    for (let top = BIN_COUNT - 1; top >= 0; top--) {
      weightAbove += this.bins[top];
      if (weightAbove >= this.weight) return Math.max(0, bin - top) / BINS_PER_OCTAVE;
    }
    return 0;
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

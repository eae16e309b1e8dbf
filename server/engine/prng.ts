/**
 * @module A small seeded pseudo-random generator (mulberry32) with a
 * Gaussian draw, so every simulated drive is reproducible from its seed.
 * `Math.random` is never used by the engine model.
 */

/** Seeded uniform and Gaussian random numbers; the same seed gives the same sequence. */
export class Prng {
  private state: number;
  private spareGaussian: number | null = null;

  constructor(seed: number) {
    this.state = hashSeed(seed);
  }

  /** Returns a uniform number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns a standard normal number (Box-Muller, one spare kept). */
  gaussian(): number {
    if (this.spareGaussian !== null) {
      const spare = this.spareGaussian;
      this.spareGaussian = null;
      return spare;
    }
    const u = Math.max(this.next(), 1e-12);
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }
}

/** Derives an independent stream seed from a drive seed and a stream number. */
export function deriveSeed(seed: number, stream: number): number {
  return hashSeed(seed * 1000003 + stream * 7919);
}

function hashSeed(seed: number): number {
  let h = Math.floor(seed) ^ 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

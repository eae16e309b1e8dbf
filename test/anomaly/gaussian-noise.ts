/**
 * @module Seeded standard normal noise for the anomaly tests and benchmark,
 * so every run sees the same values: xorshift32 for uniforms, then Box-Muller.
 */

/** Returns `count` standard normal values generated from `seed` (any non-zero integer). */
export function gaussianNoise(seed: number, count: number): Float64Array {
  let state = seed | 0 || 1;
  const uniform = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 4294967296;
  };
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  }
  return values;
}

/**
 * @module Small statistics for baseline fitting: ordinary least squares by
 * the normal equations (a handful of columns) and a robust spread.
 */

/** Solves the least-squares fit of `y` on the columns of `rows`; returns NaNs when singular. */
export function leastSquares(rows: readonly number[][], y: readonly number[]): number[] {
  const width = rows[0]?.length ?? 0;
  const a = Array.from({ length: width }, () => new Array<number>(width + 1).fill(0));
  rows.forEach((row, k) => {
    for (let i = 0; i < width; i++) {
      for (let j = 0; j < width; j++) a[i][j] += row[i] * row[j];
      a[i][width] += row[i] * y[k];
    }
  });
  return solve(a, width);
}

/** Gaussian elimination with partial pivoting on an augmented matrix. */
function solve(a: number[][], n: number): number[] {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-12) return new Array<number>(n).fill(NaN);
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const factor = a[r][col] / a[col][col];
      for (let c = col; c <= n; c++) a[r][c] -= factor * a[col][c];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

/** Returns the median of `values` (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Returns the spread as 1.4826 × median absolute deviation, a standard deviation for normal data. */
export function robustSigma(values: readonly number[]): number {
  const center = median(values);
  return 1.4826 * median(values.map((v) => Math.abs(v - center)));
}

/** Returns the `share` quantile (0-1) of `values`, nearest rank. */
export function quantile(values: readonly number[], share: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))];
}

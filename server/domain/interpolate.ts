/**
 * @module Table lookups for engine profiles: 1-D curves and 2-D maps with
 * linear interpolation, clamped at the table edges as ECU tables are.
 */
import type { Map2D, RpmCurve } from './profile-types.ts';

/**
 * Returns the position of `x` on an ascending axis as a lower index and the
 * fraction towards the next point, clamped to the axis ends.
 */
function locate(axis: readonly number[], x: number): [number, number] {
  const last = axis.length - 1;
  if (last <= 0 || x <= axis[0]) return [0, 0];
  if (x >= axis[last]) return [last, 0];

  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (axis[mid] <= x) lo = mid;
    else hi = mid;
  }
  return [lo, (x - axis[lo]) / (axis[hi] - axis[lo])];
}

/** Interpolates `ys` over the ascending `xs` at `x`, clamped at the ends. */
export function interpolate1D(
  xs: readonly number[],
  ys: readonly number[],
  x: number,
): number {
  const [i, f] = locate(xs, x);
  if (f === 0) return ys[i];
  return ys[i] + (ys[i + 1] - ys[i]) * f;
}

/** Looks up an rpm curve at `rpm`. */
export function lookupCurve(curve: RpmCurve, rpm: number): number {
  return interpolate1D(curve.rpm, curve.value, rpm);
}

/** Looks up a 2-D map bilinearly at (`row`, `column`), clamped at the edges. */
export function lookupMap2D(map: Map2D, row: number, column: number): number {
  const [i, fi] = locate(map.rows, row);
  const [j, fj] = locate(map.columns, column);
  const i1 = fi === 0 ? i : i + 1;
  const j1 = fj === 0 ? j : j + 1;

  const top = map.values[i][j] + (map.values[i][j1] - map.values[i][j]) * fj;
  const bottom =
    map.values[i1][j] + (map.values[i1][j1] - map.values[i1][j]) * fj;
  return top + (bottom - top) * fi;
}

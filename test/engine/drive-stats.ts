/**
 * @module Helpers for engine tests: pick the steps of a simulated drive
 * that match an operating condition and summarise a channel over them.
 */
import type { ChannelId } from '../../server/domain/channels.ts';
import type { DriveResult } from '../../server/engine/index.ts';

/** Returns a channel's column, failing loudly when the drive lacks it. */
export function column(result: DriveResult, id: ChannelId): Float64Array {
  const values = result.channels[id];
  if (values === undefined) throw new Error(`simulated drive has no ${id} channel`);
  return values;
}

/** Returns the indices of the steps where `predicate` holds. */
export function stepsWhere(result: DriveResult, predicate: (i: number) => boolean): number[] {
  const steps: number[] = [];
  for (let i = 0; i < result.timeS.length; i++) if (predicate(i)) steps.push(i);
  return steps;
}

/** Returns the values of `id` at `steps`. */
export function valuesAt(result: DriveResult, id: ChannelId, steps: readonly number[]): number[] {
  const values = column(result, id);
  return steps.map((i) => values[i]);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of no values: the condition matched no step');
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function max(values: readonly number[]): number {
  if (values.length === 0) throw new Error('max of no values: the condition matched no step');
  return values.reduce((m, v) => Math.max(m, v), -Infinity);
}

export function min(values: readonly number[]): number {
  if (values.length === 0) throw new Error('min of no values: the condition matched no step');
  return values.reduce((m, v) => Math.min(m, v), Infinity);
}

/** Returns the `q` quantile (0-1) of `values`. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values: the condition matched no step');
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Steps at wide-open throttle with rpm in [loRpm, hiRpm). */
export function wotSteps(result: DriveResult, loRpm: number, hiRpm: number): number[] {
  const throttle = column(result, 'throttlePct');
  const rpm = column(result, 'rpm');
  return stepsWhere(result, (i) => throttle[i] > 95 && rpm[i] >= loRpm && rpm[i] < hiRpm);
}

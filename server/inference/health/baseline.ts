/**
 * @module One engine's normal behaviour: the expected-value models that the
 * residuals compare against (its boost curve, oil pressure over rpm and oil
 * temperature, warm coolant band and warm-up time, coolant pressure, knock
 * level). A default comes with the model; `train --baseline` fits one from
 * this engine's own healthy drives.
 */
import { interpolate1D, lookupMap2D } from '../../domain/interpolate.ts';

/** Value of `format` in a baseline file. */
export const BASELINE_FORMAT = '2jz-engine-baseline';

/**
 * A curve over one operating variable (rpm or °C): the expected value and
 * the healthy spread at each point, interpolated linearly and clamped.
 */
export interface CurveModel {
  readonly x: readonly number[];
  readonly value: readonly number[];
  readonly sigma: readonly number[];
}

/** Expected-value models of one engine, in canonical units. */
export interface EngineBaseline {
  readonly format: typeof BASELINE_FORMAT;
  /** Origin of the baseline, such as the log files it was fitted on. */
  readonly source: string;
  /** Boost in kPa gauge over rpm on a held pull (60 % throttle or more); null to use the profile. */
  readonly boost: CurveModel | null;
  /** Spread of boost around the profile's map when `boost` is null, kPa. */
  readonly boostSigmaKpa: number;
  /** Spread of lambda around its target on load. */
  readonly lambdaSigma: number;
  /** This engine's usual lambda minus target on load (its tune's bias). */
  readonly lambdaOffset: number;
  /** Oil pressure in kPa gauge over rpm and oil temperature; null when the engine logs no oil pressure. */
  readonly oilPressure: GridModel | null;
  readonly coolant: {
    /** Highest coolant temperature of healthy warm running, °C. */
    readonly warmMaxC: number;
    /**
     * Lowest coolant temperature of healthy running once warm, °C; absent
     * in baselines fitted before it was recorded, or when no drive got warm.
     */
    readonly warmMinC?: number;
    /**
     * Engine revolutions-seconds (rpm × s) of running after which a healthy
     * engine is past its thermostat opening point: warm-up heat grows with
     * engine speed, so an idling engine takes longer than a driven one.
     */
    readonly warmUpRpmS: number;
  };
  /** Coolant pressure in kPa gauge over coolant temperature; null without the channel. */
  readonly coolantPressure: CurveModel | null;
  /** Knock level counts over rpm; null without the channel. */
  readonly knockLevel: CurveModel | null;
  /** Alarm thresholds calibrated on this engine's healthy drives; they override the model's. */
  readonly thresholds?: Readonly<Record<string, number>>;
}

/** Returns the expected value and spread of a curve model at `x`. */
export function evaluateCurve(curve: CurveModel, x: number): { value: number; sigma: number } {
  return { value: interpolate1D(curve.x, curve.value, x), sigma: interpolate1D(curve.x, curve.sigma, x) };
}

/**
 * A table over two operating variables (rows, columns ascending): the
 * expected value and healthy spread per cell, interpolated bilinearly.
 */
export interface GridModel {
  readonly rows: readonly number[];
  readonly columns: readonly number[];
  readonly value: readonly (readonly number[])[];
  readonly sigma: readonly (readonly number[])[];
}

/** Returns the expected value and spread of a grid model at (`row`, `column`). */
export function evaluateGrid(grid: GridModel, row: number, column: number): { value: number; sigma: number } {
  return {
    value: lookupMap2D({ rows: grid.rows, columns: grid.columns, values: grid.value }, row, column),
    sigma: lookupMap2D({ rows: grid.rows, columns: grid.columns, values: grid.sigma }, row, column),
  };
}

/** A baseline file that cannot be used; the message names the field. */
export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Parses and checks a baseline JSON value; throws a `BaselineError` naming the field. */
export function parseBaseline(value: unknown, fileName: string): EngineBaseline {
  const fail = (field: string, problem: string): never => {
    throw new BaselineError(`Invalid baseline ${fileName}: ${field} ${problem}. Refit it with "2jz-monitor train --baseline LOG...".`);
  };
  if (typeof value !== 'object' || value === null) fail('(root)', 'must be a JSON object');
  const json = value as Record<string, any>;
  if (json.format !== BASELINE_FORMAT) fail('format', `must be "${BASELINE_FORMAT}"`);

  const positive = (field: string, v: unknown): void => {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) fail(field, 'must be a positive number');
  };
  positive('boostSigmaKpa', json.boostSigmaKpa);
  positive('lambdaSigma', json.lambdaSigma);
  if (typeof json.lambdaOffset !== 'number' || !Number.isFinite(json.lambdaOffset)) fail('lambdaOffset', 'must be a number');
  positive('coolant.warmMaxC', json.coolant?.warmMaxC);
  positive('coolant.warmUpRpmS', json.coolant?.warmUpRpmS);
  if (json.coolant.warmMinC !== undefined) positive('coolant.warmMinC', json.coolant.warmMinC);

  for (const field of ['boost', 'coolantPressure', 'knockLevel']) {
    if (json[field] !== null) checkCurve(json[field], field, fail);
  }
  if (json.oilPressure !== null) checkGrid(json.oilPressure, 'oilPressure', fail);
  return json as EngineBaseline;
}

function checkCurve(curve: any, field: string, fail: (field: string, problem: string) => never): void {
  const x = curve?.x;
  const isAscending = Array.isArray(x) && x.length > 0 && x.every((v: unknown, i: number) => typeof v === 'number' && (i === 0 || v > x[i - 1]));
  if (!isAscending) fail(`${field}.x`, 'must be a non-empty list of ascending numbers');
  for (const key of ['value', 'sigma']) {
    const list = curve[key];
    const isValid = Array.isArray(list) && list.length === x.length && list.every((v: unknown) => typeof v === 'number' && Number.isFinite(v));
    if (!isValid) fail(`${field}.${key}`, `must hold one number per point of ${field}.x`);
  }
  if (!curve.sigma.every((v: number) => v > 0)) fail(`${field}.sigma`, 'must be positive');
}

function checkGrid(grid: any, field: string, fail: (field: string, problem: string) => never): void {
  for (const axis of ['rows', 'columns']) {
    const values = grid?.[axis];
    const isAscending = Array.isArray(values) && values.length > 0 && values.every((v: unknown, i: number) => typeof v === 'number' && (i === 0 || v > values[i - 1]));
    if (!isAscending) fail(`${field}.${axis}`, 'must be a non-empty list of ascending numbers');
  }
  for (const key of ['value', 'sigma']) {
    const table = grid[key];
    const isValid =
      Array.isArray(table) && table.length === grid.rows.length &&
      table.every((row: unknown) => Array.isArray(row) && row.length === grid.columns.length && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
    if (!isValid) fail(`${field}.${key}`, `must be a table of ${grid.rows.length} rows by ${grid.columns.length} numbers`);
  }
}

/**
 * @module Fits one engine's baseline from its healthy drives on the tick
 * grid: its full-throttle boost curve, lambda bias and spread on load, oil
 * pressure over rpm and oil temperature, warm coolant maximum and warm-up
 * time, coolant pressure over temperature and knock level over rpm. Curves
 * are medians per bin with a robust spread per bin; a part whose channels
 * the drives lack is left out (null).
 */
import { lookupMap2D } from '../domain/interpolate.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { BASELINE_FORMAT, type CurveModel, type EngineBaseline } from '../inference/health/baseline.ts';
import { OperatingTimers } from '../inference/health/operating-timers.ts';
import { boostOf, emptySnapshot } from '../inference/health/snapshot.ts';
import { readSnapshot, type TickFrames } from './frames.ts';
import { median, quantile, robustSigma } from './statistics.ts';

/** Points (x, y) collected for one curve. */
type Points = { x: number[]; y: number[] };

interface Collected {
  boost: Points;
  lambdaResiduals: number[];
  oil: Points & { oilTempC: number[] };
  warmCoolant: number[];
  /** Coolant readings once the drive has been warm. */
  warmedCoolant: number[];
  /** Rpm × s from a cold start to the thermostat opening point, per drive. */
  warmUpTimes: number[];
  coolantPressure: Points;
  knock: Points;
}

const MIN_POINTS_PER_BIN = 30;
/** Warm-up used when no drive started cold: 15 minutes at 2,000 rpm. */
const DEFAULT_WARM_UP_RPM_S = 900 * 2000;
/**
 * Margin below the lowest warm reading, °C: many ECUs log coolant in whole
 * degrees, so one degree is resolution and one is spread.
 */
const WARM_MIN_MARGIN_C = 2;

const points = (): Points => ({ x: [], y: [] });

/** Fits a baseline from healthy frames; ticks labelled with a fault are skipped. */
export function fitBaseline(drives: readonly TickFrames[], profile: EngineProfile, source: string): EngineBaseline {
  const collected: Collected = {
    boost: points(),
    lambdaResiduals: [],
    oil: { ...points(), oilTempC: [] },
    warmCoolant: [],
    warmedCoolant: [],
    warmUpTimes: [],
    coolantPressure: points(),
    knock: points(),
  };
  for (const drive of drives) collect(drive, profile, collected);

  return {
    format: BASELINE_FORMAT,
    source,
    boost: fitCurve(collected.boost, 500, 2),
    boostSigmaKpa: 6,
    lambdaSigma: round(Math.max(0.02, robustSigma(collected.lambdaResiduals) || 0), 4),
    lambdaOffset: collected.lambdaResiduals.length > 0 ? round(median(collected.lambdaResiduals), 4) : 0,
    oilPressure: fitOilPressure(collected.oil),
    coolant: {
      warmMaxC: round(warmCoolantMax(collected.warmCoolant, profile), 2),
      ...warmCoolantMin(collected.warmedCoolant),
      warmUpRpmS: Math.round(collected.warmUpTimes.length > 0 ? Math.max(...collected.warmUpTimes) : DEFAULT_WARM_UP_RPM_S),
    },
    coolantPressure: fitCurve(collected.coolantPressure, 5, 3),
    knockLevel: fitCurve(collected.knock, 500, 1),
  };
}

function collect(drive: TickFrames, profile: EngineProfile, out: Collected): void {
  const snapshot = emptySnapshot();
  const timers = new OperatingTimers(profile.cooling.thermostatOpenC);
  let isWarmUpOpen = true;
  let startedCold = false;

  for (let i = 0; i < drive.timeS.length; i++) {
    const dtS = i > 0 ? drive.timeS[i] - drive.timeS[i - 1] : 0;
    const s = readSnapshot(drive, i, snapshot);
    timers.advance(s, dtS);
    const { runningS, runningRpmS, fullThrottleS, onLoadS, hasBeenWarm } = timers;
    if (i === 0) startedCold = s.coolantC < profile.cooling.thermostatOpenC - 20;
    if (drive.labels[i] !== 'healthy') continue;

    const boost = boostOf(s);
    if (fullThrottleS >= 1.5 && s.rpm >= 2500 && Number.isFinite(boost)) push(out.boost, s.rpm, boost);
    if (onLoadS >= 1 && Number.isFinite(s.lambda)) {
      const mapKpa = Number.isFinite(s.mapKpa) ? s.mapKpa : boost + 101.3;
      const target = Number.isFinite(s.lambdaTarget) ? s.lambdaTarget : lookupMap2D(profile.lambdaTarget, s.rpm, mapKpa);
      out.lambdaResiduals.push(s.lambda - target);
    }
    if (runningS >= 10 && s.rpm >= 600 && s.oilTempC >= 50 && Number.isFinite(s.oilPressureKpa)) {
      push(out.oil, s.rpm, s.oilPressureKpa);
      out.oil.oilTempC.push(s.oilTempC);
    }
    if (Number.isFinite(s.coolantC) && runningS > 0) {
      if (s.coolantC >= profile.cooling.thermostatOpenC) out.warmCoolant.push(s.coolantC);
      if (hasBeenWarm) out.warmedCoolant.push(s.coolantC);
      if (isWarmUpOpen && startedCold && s.coolantC >= profile.cooling.thermostatOpenC) {
        out.warmUpTimes.push(runningRpmS);
        isWarmUpOpen = false;
      }
    }
    if (Number.isFinite(s.coolantPressureKpa) && Number.isFinite(s.coolantC)) push(out.coolantPressure, s.coolantC, s.coolantPressureKpa);
    if (runningS >= 5 && Number.isFinite(s.knockLevel)) push(out.knock, s.rpm, s.knockLevel);
  }
}

/**
 * Returns the highest normal warm coolant temperature: the drives' 99.9th
 * percentile plus 1 °C. It is never below the fan switch-on point plus 1 °C,
 * because a healthy system regulates up to that point and short drives may
 * not have reached it.
 */
function warmCoolantMax(warmCoolant: readonly number[], profile: EngineProfile): number {
  const regulated = profile.cooling.fanOnC + 1;
  return warmCoolant.length > 0 ? Math.max(quantile(warmCoolant, 0.999) + 1, regulated) : regulated + 1;
}

/**
 * Returns the lowest normal coolant temperature once warm: the drives' 0.1th
 * percentile minus a margin, or nothing when no drive got warm.
 */
function warmCoolantMin(warmedCoolant: readonly number[]): { warmMinC?: number } {
  if (warmedCoolant.length < MIN_POINTS_PER_BIN) return {};
  return { warmMinC: round(quantile(warmedCoolant, 0.001) - WARM_MIN_MARGIN_C, 2) };
}

function push(target: Points, x: number, y: number): void {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  target.x.push(x);
  target.y.push(y);
}

/** Fits a median-per-bin curve; returns null with fewer than two bins of enough points. */
function fitCurve(data: Points, binWidth: number, minSigma: number): CurveModel | null {
  const bins = new Map<number, number[]>();
  data.x.forEach((x, k) => {
    const bin = Math.round(x / binWidth) * binWidth;
    const list = bins.get(bin) ?? [];
    list.push(data.y[k]);
    bins.set(bin, list);
  });
  const kept = [...bins.entries()].filter(([, v]) => v.length >= MIN_POINTS_PER_BIN).sort((a, b) => a[0] - b[0]);
  if (kept.length < 2) return null;
  return {
    x: kept.map(([x]) => x),
    value: kept.map(([, v]) => round(median(v), 3)),
    sigma: kept.map(([, v]) => round(Math.max(minSigma, robustSigma(v)), 3)),
  };
}

/** Fits oil pressure as medians per 500 rpm by 10 °C cell; empty cells take the nearest filled cell of their rpm row. */
function fitOilPressure(data: Collected['oil']): EngineBaseline['oilPressure'] {
  if (data.x.length < 200) return null;
  const cells = new Map<string, number[]>();
  const rowSet = new Set<number>();
  const columnSet = new Set<number>();
  data.x.forEach((rpm, k) => {
    const row = Math.round(rpm / 500) * 500;
    const column = Math.round(data.oilTempC[k] / 10) * 10;
    const key = `${row}/${column}`;
    const list = cells.get(key) ?? [];
    list.push(data.y[k]);
    cells.set(key, list);
    rowSet.add(row);
    columnSet.add(column);
  });

  const isFilled = (row: number, column: number) => (cells.get(`${row}/${column}`)?.length ?? 0) >= MIN_POINTS_PER_BIN;
  const columns = [...columnSet].sort((a, b) => a - b);
  const rows = [...rowSet].sort((a, b) => a - b).filter((row) => columns.some((c) => isFilled(row, c)));
  if (rows.length < 2 || columns.length < 1) return null;

  const cell = (row: number, column: number) => {
    const nearest = columns.filter((c) => isFilled(row, c)).sort((a, b) => Math.abs(a - column) - Math.abs(b - column))[0];
    return cells.get(`${row}/${nearest}`)!;
  };
  return {
    rows,
    columns,
    value: rows.map((row) => columns.map((column) => round(median(cell(row, column)), 2))),
    sigma: rows.map((row) => columns.map((column) => round(Math.max(8, robustSigma(cell(row, column))), 2))),
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

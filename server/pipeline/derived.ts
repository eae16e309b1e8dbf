/**
 * @module Derived metrics computed every tick from the resampled frame and
 * the DSP core's windows. A metric whose inputs are absent or stale, or
 * whose window contains too little data, is left out of the result (absent),
 * never reported as 0.
 */
import { type DspCore, frameValue, type ResampledFrame } from '../core/dsp.ts';
import { lookupMap2D } from '../domain/interpolate.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { STANDARD_BARO_KPA } from '../domain/units.ts';
import type { DerivedId } from '../protocol.ts';

/**
 * Window of `coolantRiseRate` in seconds. Coolant is read at 0.2 to 5 Hz and
 * quantised to 0.1 to 1 °C. A least-squares slope over a window W moves by
 * about 1.5 q / W for one quantisation step q in its middle, so 10 s keeps a
 * 1 °C step at 0.15 °C/s, while the estimate lags by W / 2 = 5 s.
 */
export const COOLANT_RISE_WINDOW_S = 10;

/**
 * Window of `boostGradient` in seconds: about 25 samples of a 50 Hz CAN
 * broadcast and 2 to 3 of a 5 Hz OBD poll, with a lag of W / 2 = 0.25 s.
 */
export const BOOST_GRADIENT_WINDOW_S = 0.5;

/**
 * Window of `oilTempSwing` in seconds.
 * NOTE: a ring of 4,096 samples (the default capacity) covers 60 s only up
 * to 68 Hz; for a faster oil temperature source the swing spans what the
 * ring contains.
 */
export const OIL_SWING_WINDOW_S = 60;

/**
 * Share of a window that its samples must span before a windowed metric is
 * reported, so that a metric right after start-up or a gap does not rest on
 * a moment of data. A 5 Hz source still spans 0.4 of a 0.5 s window.
 */
export const MIN_WINDOW_COVERAGE = 0.2;

/**
 * Expected boost in kPa gauge below which `turboDeviation` is absent,
 * because off boost the ratio divides by a number near zero and tells
 * nothing about the turbo.
 */
export const MIN_EXPECTED_BOOST_KPA = 20;

/** Windowed queries of the DSP core that the derived metrics use. */
export type DerivedCore = Pick<DspCore, 'slopeFit' | 'windowStats'>;

/** The resampled values that the derived metrics read. */
export type DerivedFrame = Pick<ResampledFrame, 'value'>;

/** Computes the derived metrics that have fresh inputs at `timeS`. */
export function computeDerived(
  core: DerivedCore,
  frame: DerivedFrame,
  profile: EngineProfile,
  timeS: number,
): Partial<Record<DerivedId, number>> {
  const derived: Partial<Record<DerivedId, number>> = {};
  const metrics: Record<DerivedId, number | null> = {
    afrDelta: afrDelta(frame, profile),
    coolantRiseRate: coolantRiseRate(core, frame, timeS),
    boostGradient: boostGradient(core, frame, timeS),
    turboDeviation: turboDeviation(frame, profile),
    oilTempSwing: oilTempSwing(core, frame, timeS),
  };

  for (const [id, value] of Object.entries(metrics)) {
    if (value !== null && Number.isFinite(value)) {
      derived[id as DerivedId] = value;
    }
  }
  return derived;
}

/**
 * Measured lambda minus the profile's target lambda at the current rpm and
 * MAP, in lambda; positive is lean of target. Instantaneous, no window.
 */
export function afrDelta(
  frame: DerivedFrame,
  profile: EngineProfile,
): number | null {
  const lambda = frameValue(frame, 'lambda');
  const rpm = frameValue(frame, 'rpm');
  const mapKpa = manifoldPressureKpa(frame);
  if (lambda === null || rpm === null || mapKpa === null) return null;

  return lambda - lookupMap2D(profile.lambdaTarget, rpm, mapKpa);
}

/** Least-squares slope of coolantC over `COOLANT_RISE_WINDOW_S`, in °C/s. */
export function coolantRiseRate(
  core: DerivedCore,
  frame: DerivedFrame,
  timeS: number,
): number | null {
  if (frameValue(frame, 'coolantC') === null) return null;
  return coveredSlope(core, 'coolantC', COOLANT_RISE_WINDOW_S, timeS);
}

/**
 * Least-squares slope of boost over `BOOST_GRADIENT_WINDOW_S`, in kPa/s.
 * Without a boostKpa channel it is the slope of mapKpa, which equals the
 * slope of gauge boost while the barometric pressure does not change.
 */
export function boostGradient(
  core: DerivedCore,
  frame: DerivedFrame,
  timeS: number,
): number | null {
  const windowS = BOOST_GRADIENT_WINDOW_S;
  if (frameValue(frame, 'boostKpa') !== null) {
    return coveredSlope(core, 'boostKpa', windowS, timeS);
  }
  if (frameValue(frame, 'mapKpa') !== null) {
    return coveredSlope(core, 'mapKpa', windowS, timeS);
  }
  return null;
}

/**
 * Measured boost minus the profile's expected boost at the current rpm and
 * throttle, as a fraction of the expected boost; negative is short of
 * boost. Absent while the expected boost is below `MIN_EXPECTED_BOOST_KPA`.
 */
export function turboDeviation(
  frame: DerivedFrame,
  profile: EngineProfile,
): number | null {
  const boostKpa = gaugeBoostKpa(frame);
  const rpm = frameValue(frame, 'rpm');
  const throttlePct = frameValue(frame, 'throttlePct');
  if (boostKpa === null || rpm === null || throttlePct === null) return null;

  const expectedKpa = lookupMap2D(profile.expectedBoostKpa, rpm, throttlePct);
  if (!(expectedKpa >= MIN_EXPECTED_BOOST_KPA)) return null;
  return (boostKpa - expectedKpa) / expectedKpa;
}

/** Max minus min of oilTempC over `OIL_SWING_WINDOW_S`, in °C. */
export function oilTempSwing(
  core: DerivedCore,
  frame: DerivedFrame,
  timeS: number,
): number | null {
  if (frameValue(frame, 'oilTempC') === null) return null;
  const windowS = OIL_SWING_WINDOW_S;
  const stats = core.windowStats('oilTempC', windowS, timeS);
  if (stats === null || !coversWindow(stats.spanS, windowS)) return null;
  return stats.max - stats.min;
}

/**
 * Returns manifold absolute pressure in kPa: mapKpa, else gauge boost plus
 * the barometric pressure.
 */
export function manifoldPressureKpa(frame: DerivedFrame): number | null {
  const mapKpa = frameValue(frame, 'mapKpa');
  if (mapKpa !== null) return mapKpa;
  const boostKpa = frameValue(frame, 'boostKpa');
  return boostKpa === null ? null : boostKpa + barometricKpa(frame);
}

/**
 * Returns boost in kPa gauge: boostKpa, else mapKpa minus the barometric
 * pressure.
 */
export function gaugeBoostKpa(frame: DerivedFrame): number | null {
  const boostKpa = frameValue(frame, 'boostKpa');
  if (boostKpa !== null) return boostKpa;
  const mapKpa = frameValue(frame, 'mapKpa');
  return mapKpa === null ? null : mapKpa - barometricKpa(frame);
}

// The standard atmosphere replaces baroKpa when no source reports it. At
// 1,000 m altitude it overstates the ambient pressure by about 11 kPa.
function barometricKpa(frame: DerivedFrame): number {
  return frameValue(frame, 'baroKpa') ?? STANDARD_BARO_KPA;
}

function coveredSlope(
  core: DerivedCore,
  channel: 'coolantC' | 'boostKpa' | 'mapKpa',
  windowS: number,
  timeS: number,
): number | null {
  const fit = core.slopeFit(channel, windowS, timeS);
  if (fit === null || !coversWindow(fit.spanS, windowS)) return null;
  return fit.slope;
}

function coversWindow(spanS: number, windowS: number): boolean {
  return spanS >= MIN_WINDOW_COVERAGE * windowS;
}

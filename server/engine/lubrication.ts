/**
 * @module Lubrication of the mean-value model: oil pump pressure that rises
 * with rpm and oil viscosity (cold oil reads higher) until the relief valve
 * opens, and its loss from pump wear or starvation.
 */
import { clamp, lag, type EngineState } from './state.ts';
import type { FaultEffects } from './faults/types.ts';

// Hot-oil pump line, kPa gauge: 108 kPa at 700 rpm and 455 kPa at 4,000 rpm,
// inside the FSM figures (at least 49 kPa at idle, 324-579 kPa at 4,000 rpm).
const PUMP_OFFSET_KPA = 35;
const PUMP_KPA_PER_RPM = 0.105;
// Relief valve: opens near 520 kPa and rises slightly with flow (estimate).
const RELIEF_KPA = 520;
const RELIEF_KPA_PER_RPM = 0.005;

/** Returns the factor by which oil viscosity raises pressure at `oilTempC`, 1 at 100 °C. */
export function oilViscosityFactor(oilTempC: number): number {
  return clamp(Math.exp(-0.018 * (oilTempC - 100)), 0.85, 2.6);
}

/** Returns the healthy oil pressure in kPa gauge at `rpm` and `oilTempC`. */
export function healthyOilPressureKpa(rpm: number, oilTempC: number): number {
  if (rpm < 100) return 0;
  const pump = (PUMP_OFFSET_KPA + PUMP_KPA_PER_RPM * rpm) * oilViscosityFactor(oilTempC);
  return Math.min(pump, RELIEF_KPA + RELIEF_KPA_PER_RPM * rpm);
}

/**
 * Returns the share of oil pressure kept with a pressure loss of
 * `lossShare`. Cornering above about 0.8 g deepens the loss, because the oil
 * of a starving wet sump surges away from the pickup.
 */
export function oilPressureKeptShare(lossShare: number, lateralG: number): number {
  if (lossShare <= 0) return 1;
  const surge = clamp((Math.abs(lateralG) - 0.8) / 0.4, 0, 1);
  return clamp(1 - 0.55 * lossShare - 0.35 * lossShare * surge, 0.05, 1);
}

/** Advances the oil pressure by `dtS`. */
export function stepLubrication(state: EngineState, effects: FaultEffects, dtS: number): void {
  const kept = oilPressureKeptShare(effects.oilPressureLossShare, state.lateralG);
  const target = healthyOilPressureKpa(state.rpm, state.oilTempC) * kept;
  state.oilPressureKpa = lag(state.oilPressureKpa, target, 0.1, dtS);
}

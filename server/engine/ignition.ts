/**
 * @module Ignition, knock and exhaust temperature of the mean-value model.
 * Base advance follows rpm and MAP. Knock events come faster with boost,
 * intake heat, lean mixture and coolant heat, and the ECU retards and
 * recovers. EGT rises with load, leanness and retard.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import type { FaultEffects } from './faults/types.ts';
import { isEthanolFuel } from './fuel.ts';
import type { Prng } from './prng.ts';
import { clamp, lag, type EngineState } from './state.ts';

// The stock ECU monitors its knock sensors between 2,050 and 5,950 rpm.
const KNOCK_MONITOR_MIN_RPM = 2050;
const KNOCK_MONITOR_MAX_RPM = 5950;
const RETARD_STEP_DEG = 1.5;
const MAX_RETARD_DEG = 10;
const RETARD_HOLD_S = 0.6;
const RETARD_RECOVERY_DEG_S = 1;

/** The ECU's knock response: retard per event, hold, recovery; knock sensor level. */
export class KnockProcess {
  retardDeg = 0;
  private holdS = 0;
  private spikeCounts = 0;

  /** Runs `dtS` with knock events at `eventRateHz`; returns the sensor level in counts. */
  step(dtS: number, eventRateHz: number, rpm: number, random: Prng): number {
    if (random.next() < eventRateHz * dtS) {
      this.retardDeg = Math.min(MAX_RETARD_DEG, this.retardDeg + RETARD_STEP_DEG);
      this.holdS = RETARD_HOLD_S;
      this.spikeCounts += 40 + 40 * random.next();
    }
    if (this.holdS > 0) this.holdS -= dtS;
    else this.retardDeg = Math.max(0, this.retardDeg - RETARD_RECOVERY_DEG_S * dtS);

    this.spikeCounts = lag(this.spikeCounts, 0, 0.08, dtS);
    return knockBaselineCounts(rpm) + this.spikeCounts;
  }
}

/** Returns the knock sensor level without knock: mechanical noise rising with rpm. */
export function knockBaselineCounts(rpm: number): number {
  return 4 + rpm / 400;
}

/** Returns the share (0-1) of knock events that the ECU can see at `rpm` and MAP. */
export function knockExposure(rpm: number, mapKpa: number, throttlePct: number): number {
  if (rpm < KNOCK_MONITOR_MIN_RPM || rpm > KNOCK_MONITOR_MAX_RPM) return 0;
  if (mapKpa > 100) return 1;
  return throttlePct > 60 ? 0.3 : 0.05;
}

/** Returns the healthy knock event rate per second from the conditions that cause knock. */
export function healthyKnockRateHz(state: EngineState): number {
  const severity =
    (state.mapKpa - 190) / 40 +
    (state.iatC - 50) / 15 +
    12 * Math.max(0, state.lambda - state.lambdaTarget) +
    Math.max(0, state.coolantC - 100) / 8;
  return Math.min(8, 0.02 * Math.exp(1.5 * severity));
}

/** Returns the base ignition advance in degrees BTDC at this rpm, MAP and throttle. */
export function baseAdvanceDeg(rpm: number, mapKpa: number, throttlePct: number): number {
  if (rpm < 1000 && throttlePct < 3) return 12;
  const vacuumShare = (1 - clamp(mapKpa / 100, 0.3, 1)) / 0.7;
  const boostShare = clamp((mapKpa - 100) / 100, 0, 1.8);
  return 10 + 10 * clamp(rpm / 4000, 0, 1) + 16 * vacuumShare - 10 * boostShare;
}

/** Returns the steady-state EGT in °C for air flow, mixture error and retard. */
export function steadyEgtC(
  profile: EngineProfile,
  mafGs: number,
  lambdaExcess: number,
  retardDeg: number,
): number {
  const loadShare = clamp(mafGs / 300, 0, 1.3);
  const fuelOffsetC = isEthanolFuel(profile) ? -40 : 0;
  const leanC = 450 * Math.max(0, lambdaExcess);
  return 320 + 560 * Math.sqrt(loadShare) + leanC + 12 * retardDeg + fuelOffsetC;
}

/** Advances ignition, knock and EGT by `dtS`. */
export function stepIgnition(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  knock: KnockProcess,
  random: Prng,
  dtS: number,
): void {
  const exposure = knockExposure(state.rpm, state.mapKpa, state.throttlePct);
  const rateHz = exposure * (healthyKnockRateHz(state) + effects.extraKnockRateHz);
  state.knockLevel = knock.step(dtS, rateHz, state.rpm, random);
  state.knockRetardDeg = knock.retardDeg;

  const base = baseAdvanceDeg(state.rpm, state.mapKpa, state.throttlePct);
  state.ignitionAdvanceDeg = base - state.knockRetardDeg;

  const isCut = state.isFuelCut || state.rpm > profile.redlineRpm;
  const egtTarget = isCut
    ? 300
    : steadyEgtC(profile, state.mafGs, state.lambda - state.lambdaTarget, state.knockRetardDeg);
  state.egtC = lag(state.egtC, egtTarget, 1.5, dtS);
}

/**
 * @module Air path of the mean-value model: throttle and manifold vacuum,
 * turbo spool with the sequential twin-turbo handover, wastegate, the
 * ECU's fuel cut on overboost, intercooler and intake air heat soak, and
 * the speed-density air flow.
 *
 * The healthy steady-state manifold pressure is the profile's expected
 * boost map, so the model and the monitor agree on what healthy means. The
 * dynamics (spool lag, handover transient) and every fault act on top.
 */
import { lookupMap2D } from '../domain/interpolate.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import type { FaultEffects } from './faults/types.ts';
import { clamp, lag, type EngineState } from './state.ts';

/** Swept volume of the 2JZ-GTE, 2,997 cm³, in m³. */
export const DISPLACEMENT_M3 = 2.997e-3;
const AIR_GAS_CONSTANT_J_KG_K = 287.05;

// Throttle at or above which the stock ECU switches to both turbos.
const TWIN_MODE_THROTTLE_PCT = 50;
// Share of the boost target lost while turbo 2 is still spooling after the
// exhaust control valve opens. It makes the handover dip of a fast pull.
const HANDOVER_SPLIT_LOSS = 0.4;
// Depth of the extra dip when the transition fails and the valves stick.
const FAILED_HANDOVER_DIP_KPA = 25;
// Rpm above which an overboosting wastegate lets boost creep up.
const CREEP_START_RPM = 3000;
const FUEL_CUT_DELAY_S = 2;
const FUEL_CUT_MIN_THROTTLE_PCT = 25;
const FUEL_CUT_MIN_RPM = 2400;

/**
 * Returns the volumetric efficiency at `rpm` and MAP (an estimate): 0.80-0.92
 * at wide-open throttle, lower in deep vacuum, where residual exhaust gas
 * takes a larger share of the cylinder.
 */
export function volumetricEfficiency(rpm: number, mapKpa: number): number {
  const x = (rpm - 4500) / 2200;
  const vacuumFactor = 0.6 + 0.4 * clamp(mapKpa / 100, 0, 1);
  return (0.8 + 0.12 * Math.exp(-x * x)) * vacuumFactor;
}

/** Returns the speed-density air mass flow in g/s. */
export function airflowGs(rpm: number, mapKpa: number, iatC: number): number {
  const densityKgM3 = (mapKpa * 1000) / (AIR_GAS_CONSTANT_J_KG_K * (iatC + 273.15));
  const cyclesPerS = rpm / 120;
  return DISPLACEMENT_M3 * cyclesPerS * densityKgM3 * volumetricEfficiency(rpm, mapKpa) * 1000;
}

/**
 * Returns the boost in kPa gauge that turbo 1 alone can hold above the
 * handover, falling as it chokes towards the redline.
 */
export function singleTurboBoostKpa(
  profile: EngineProfile,
  rpm: number,
  throttlePct: number,
): number {
  const handoverStartRpm = profile.turbo.handoverRpm?.[0] ?? rpm;
  const atHandover = lookupMap2D(profile.expectedBoostKpa, handoverStartRpm, throttlePct);
  const span = Math.max(1, profile.redlineRpm - handoverStartRpm);
  return atHandover * (1 - 0.35 * clamp((rpm - handoverStartRpm) / span, 0, 1));
}

/** Returns the extra dip in kPa of a failed handover, centred in the handover band. */
export function failedHandoverDipKpa(profile: EngineProfile, rpm: number): number {
  const band = profile.turbo.handoverRpm;
  if (band === undefined) return 0;
  const centre = (band[0] + band[1]) / 2;
  const x = (rpm - centre) / 400;
  return FAILED_HANDOVER_DIP_KPA * Math.exp(-x * x);
}

/** Returns the boost creep in kPa at `rpm` for a creep of `atRedlineKpa` at the redline. */
export function boostCreepKpa(
  profile: EngineProfile,
  rpm: number,
  throttlePct: number,
  atRedlineKpa: number,
): number {
  if (throttlePct < 60 || atRedlineKpa <= 0) return 0;
  const share = clamp((rpm - CREEP_START_RPM) / (profile.redlineRpm - CREEP_START_RPM), 0, 1);
  return atRedlineKpa * share * share;
}

/** True when the twin turbos of `profile` run on both turbos at this point. */
export function isTwinMode(profile: EngineProfile, rpm: number, throttlePct: number): boolean {
  const band = profile.turbo.handoverRpm;
  if (profile.turbo.layout !== 'sequential-twin' || band === undefined) return false;
  return rpm >= band[0] && throttlePct >= TWIN_MODE_THROTTLE_PCT;
}

/** Advances the air path by `dtS`: manifold pressure, boost, IAT and air flow. */
export function stepAirPath(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  dtS: number,
): void {
  const target = lookupMap2D(profile.expectedBoostKpa, state.rpm, state.throttlePct);
  state.boostTargetKpa = target;

  const positiveTarget = positiveBoostTarget(state, profile, effects, target, dtS);
  updateFuelCut(state, profile, dtS);

  const flowShare = clamp(
    (state.rpm / profile.redlineRpm) * (0.3 + 0.007 * state.throttlePct),
    0.05,
    1,
  );
  const spoolTauS = (0.25 + 0.9 * (1 - flowShare)) * (1 + 2 * effects.boostLeakShare);
  const effectiveTarget = state.isFuelCut ? 0 : positiveTarget;
  const tauS = effectiveTarget > state.positiveBoostKpa ? spoolTauS : 0.2;
  state.positiveBoostKpa = lag(state.positiveBoostKpa, effectiveTarget, tauS, dtS);
  state.vacuumKpa = lag(state.vacuumKpa, Math.min(target, 0), 0.08, dtS);

  state.boostKpa = state.vacuumKpa + state.positiveBoostKpa;
  state.mapKpa = state.baroKpa + state.boostKpa;
  state.wastegateDutyPct = wastegateDuty(profile, target, effects, state);

  stepIntakeTemperature(state, dtS);
  state.mafGs = airflowGs(state.rpm, state.mapKpa, state.iatC);
  state.engineLoadPct = (100 * state.mafGs) / airflowGs(state.rpm, state.baroKpa, 25);
}

function positiveBoostTarget(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  target: number,
  dtS: number,
): number {
  let positive = Math.max(target, 0);
  const isTwin = isTwinMode(profile, state.rpm, state.throttlePct);
  if (profile.turbo.layout === 'sequential-twin') {
    const band = profile.turbo.handoverRpm!;
    const isPreSpool = state.rpm >= band[0] - 700 && state.throttlePct >= TWIN_MODE_THROTTLE_PCT;
    // The exhaust bypass valve pre-spools turbo 2 below the handover.
    let spoolTarget = 0;
    if (isTwin) spoolTarget = 1;
    else if (isPreSpool) spoolTarget = 0.3;
    const tauS = spoolTarget > state.secondarySpool ? 0.7 : 1.5;
    state.secondarySpool = lag(state.secondarySpool, spoolTarget, tauS, dtS);
  }
  if (isTwin) {
    const healthy = positive * (1 - HANDOVER_SPLIT_LOSS * (1 - state.secondarySpool));
    const single = singleTurboBoostKpa(profile, state.rpm, state.throttlePct);
    const failed = Math.min(positive, single) - failedHandoverDipKpa(profile, state.rpm);
    const failure = effects.transitionFailure;
    positive = healthy * (1 - failure) + Math.max(0, failed) * failure;
  }
  positive *= 1 - effects.boostLeakShare;
  positive += boostCreepKpa(profile, state.rpm, state.throttlePct, effects.boostCreepAtRedlineKpa);
  return positive;
}

/**
 * Cuts fuel when MAP stays at or above the profile's fuel-cut pressure with
 * the throttle open and the engine above 2,400 rpm for 2 s, as the stock
 * ECU does for DTC 34. Fuel returns once MAP falls well below.
 */
function updateFuelCut(state: EngineState, profile: EngineProfile, dtS: number): void {
  const cutKpa = profile.turbo.fuelCutMapKpa;
  if (cutKpa === undefined) return;

  const isOver =
    state.mapKpa >= cutKpa &&
    state.throttlePct >= FUEL_CUT_MIN_THROTTLE_PCT &&
    state.rpm >= FUEL_CUT_MIN_RPM;
  state.overboostTimerS = isOver ? state.overboostTimerS + dtS : 0;
  if (state.overboostTimerS >= FUEL_CUT_DELAY_S) state.isFuelCut = true;
  if (state.isFuelCut && (state.mapKpa < cutKpa - 30 || state.throttlePct < 10)) {
    state.isFuelCut = false;
  }
}

/** Duty of the boost control solenoid: more when boost is lost, none when it creeps. */
function wastegateDuty(
  profile: EngineProfile,
  target: number,
  effects: FaultEffects,
  state: EngineState,
): number {
  const spring = profile.turbo.wastegateSpringKpa;
  if (target < 0.5 * spring) return 0;
  const creep = boostCreepKpa(
    profile,
    state.rpm,
    state.throttlePct,
    effects.boostCreepAtRedlineKpa,
  );
  const duty = 30 + 0.4 * (target - spring) + 40 * effects.boostLeakShare - 1.5 * creep;
  return clamp(duty, 0, 100);
}

/**
 * Intake air temperature: engine-bay heat soak at low speed, compression
 * heat, and an intercooler whose core warms during boost and cools with
 * road speed.
 */
function stepIntakeTemperature(state: EngineState, dtS: number): void {
  const ambient = state.ambientC;
  const speedShare = clamp(state.speedKmh / 100, 0, 1);

  const bayTarget =
    ambient + 28 * (1 - clamp(state.speedKmh / 40, 0, 1)) + 0.15 * Math.max(0, state.coolantC - 60);
  state.engineBayC = lag(state.engineBayC, bayTarget, 90, dtS);
  const inletC = ambient + 0.35 * (state.engineBayC - ambient);

  const pressureRatio = (state.baroKpa + Math.max(0, state.boostKpa)) / state.baroKpa;
  const isentropicRise = Math.pow(pressureRatio, 0.2857) - 1;
  const compressorOutC = (inletC + 273.15) * (1 + isentropicRise / 0.68) - 273.15;

  const flowShare = clamp(state.mafGs / 150, 0.05, 1);
  const coreTarget =
    ambient +
    0.25 * (compressorOutC - ambient) * flowShare +
    0.5 * (state.engineBayC - ambient) * (1 - speedShare);
  state.intercoolerCoreC = lag(state.intercoolerCoreC, coreTarget, 45, dtS);

  const effectiveness = 0.75 + 0.15 * speedShare;
  const iatTarget = compressorOutC - effectiveness * (compressorOutC - state.intercoolerCoreC);
  state.iatC = lag(state.iatC, iatTarget, 4, dtS);
}

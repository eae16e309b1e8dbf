/**
 * @module The simulated driver and car: follows the scenario's segments
 * with a speed controller or a fixed throttle, shifts the six-speed
 * gearbox, and integrates road speed from the engine's brake power.
 */
import type { DriveSegment, Scenario } from './scenarios.ts';
import { clamp, lag, type EngineState } from './state.ts';

// Getrag V160 six-speed ratios; the final drive and tyre radius are estimates
// for a MkIV Supra on 255/40 R17 rear tyres.
const GEAR_RATIOS = [0, 3.827, 2.36, 1.685, 1.312, 1.0, 0.793];
const FINAL_DRIVE = 3.133;
const TYRE_RADIUS_M = 0.33;
const VEHICLE_MASS_KG = 1600;
const DRAG_AREA_M2 = 0.59;
const AIR_DENSITY_KG_M3 = 1.2;
const ROLLING_RESISTANCE = 0.012;
const DRIVELINE_EFFICIENCY = 0.9;
const GRAVITY_MS2 = 9.81;

const DEFAULT_SHIFT_RPM = 2800;
const DOWNSHIFT_RPM = 1300;
const SHIFT_TIME_S = 0.3;
const TOP_GEAR = 6;
// A street driver following traffic rarely opens the throttle further.
const STREET_MAX_THROTTLE_PCT = 60;

/** Returns the engine speed that the wheels impose in `gear` at `speedKmh`. */
export function wheelRpm(speedKmh: number, gear: number): number {
  const wheelRadS = speedKmh / 3.6 / TYRE_RADIUS_M;
  return (wheelRadS * GEAR_RATIOS[gear] * FINAL_DRIVE * 60) / (2 * Math.PI);
}

/** Returns the idle speed, raised while the engine is cold (fast idle). */
export function idleRpm(coolantC: number): number {
  return 750 + 400 * clamp((60 - coolantC) / 60, 0, 1);
}

/**
 * Returns the segment that applies at the state's time, moving to the next
 * one when its duration is over and looping from `scenario.loopFrom`.
 */
export function currentSegment(
  state: EngineState,
  scenario: Scenario,
  dtS: number,
): DriveSegment {
  state.segmentTimeS += dtS;
  let segment = scenario.segments[state.segmentIndex];
  if (state.segmentTimeS >= segment.durationS) {
    state.segmentTimeS = 0;
    state.segmentIndex += 1;
    if (state.segmentIndex >= scenario.segments.length) {
      state.segmentIndex = scenario.loopFrom;
    }
    segment = scenario.segments[state.segmentIndex];
  }
  return segment;
}

/** Sets gear, throttle and brake as a driver following `segment` would. */
export function stepDriver(
  state: EngineState,
  segment: DriveSegment,
  redlineRpm: number,
  dtS: number,
): void {
  selectGear(state, segment, redlineRpm);

  let throttleCommand = 0;
  state.brakeDecelerationMs2 = 0;
  if (state.gear === 0) {
    state.brakeDecelerationMs2 = state.speedKmh > 0 ? 2.5 : 0;
    state.speedErrorIntegral = 0;
  } else if (segment.throttlePct !== undefined) {
    throttleCommand = fixedThrottle(state, segment, redlineRpm);
  } else {
    throttleCommand = speedControllerThrottle(state, segment.speedKmh, dtS);
  }

  if (state.shiftTimerS > 0) {
    state.shiftTimerS -= dtS;
    throttleCommand = 0;
  }
  state.throttlePct = lag(state.throttlePct, throttleCommand, 0.15, dtS);
  state.lateralG = lag(state.lateralG, segment.lateralG ?? 0, 1, dtS);
}

function selectGear(state: EngineState, segment: DriveSegment, redlineRpm: number): void {
  const maxGear = segment.maxGear ?? TOP_GEAR;
  const shiftRpm = Math.min(segment.shiftRpm ?? DEFAULT_SHIFT_RPM, redlineRpm - 200);

  if (segment.speedKmh === 0 && state.speedKmh < 8) {
    state.gear = 0;
    return;
  }
  if (state.gear === 0) state.gear = 1;

  const isSegmentStart = state.segmentTimeS <= 0.05;
  if (isSegmentStart && segment.startGear !== undefined) {
    state.gear = Math.max(1, Math.min(segment.startGear, state.gear + 1));
  }
  if (state.gear > maxGear) state.gear = maxGear;

  const isShifting = state.shiftTimerS > 0;
  if (state.rpm > shiftRpm && state.gear < maxGear && !isShifting) {
    state.gear += 1;
    state.shiftTimerS = SHIFT_TIME_S;
  } else if (state.rpm < DOWNSHIFT_RPM && state.gear > 1 && state.throttlePct > 2 && !isShifting) {
    state.gear -= 1;
  }
}

/** Holds the segment's throttle and lifts at the shift point in the last gear. */
function fixedThrottle(state: EngineState, segment: DriveSegment, redlineRpm: number): number {
  const maxGear = segment.maxGear ?? TOP_GEAR;
  const shiftRpm = Math.min(segment.shiftRpm ?? DEFAULT_SHIFT_RPM, redlineRpm - 200);
  const isAtLimit = state.gear >= maxGear && state.rpm >= shiftRpm;
  return isAtLimit ? 0 : (segment.throttlePct ?? 0);
}

/**
 * Returns the throttle of a PI speed controller with feed-forward, and
 * brakes when well above the target speed.
 */
function speedControllerThrottle(state: EngineState, targetKmh: number, dtS: number): number {
  const errorKmh = targetKmh - state.speedKmh;
  if (errorKmh < -4) {
    state.brakeDecelerationMs2 = Math.min(7, 0.35 * -errorKmh);
    state.speedErrorIntegral *= 0.98;
    return 0;
  }
  state.speedErrorIntegral = clamp(state.speedErrorIntegral + errorKmh * dtS, -60, 120);
  const feedForwardPct = 6 + 0.1 * state.speedKmh;
  const command = feedForwardPct + 1.5 * errorKmh + 0.2 * state.speedErrorIntegral;
  return clamp(command, 0, STREET_MAX_THROTTLE_PCT);
}

/**
 * Sets engine speed from road speed and gear, slipping the clutch near
 * idle, or idles in neutral.
 */
export function updateEngineSpeed(state: EngineState): void {
  const idle = idleRpm(state.coolantC);
  if (state.gear === 0) {
    state.rpm = idle + state.throttlePct * 30;
    return;
  }
  const slipRpm = idle + 12 * state.throttlePct;
  state.rpm = Math.max(wheelRpm(state.speedKmh, state.gear), slipRpm);
}

/** Integrates road speed over `dtS` from the engine's brake power and the road loads. */
export function stepVehicle(state: EngineState, dtS: number): void {
  const speedMs = state.speedKmh / 3.6;
  let driveForceN = 0;
  if (state.gear > 0) {
    const engineRadS = Math.max(state.rpm, 500) * ((2 * Math.PI) / 60);
    const torqueNm = (state.brakePowerKw * 1000) / engineRadS;
    const overallRatio = GEAR_RATIOS[state.gear] * FINAL_DRIVE;
    driveForceN = (torqueNm * overallRatio * DRIVELINE_EFFICIENCY) / TYRE_RADIUS_M;
  }

  const dragN = 0.5 * AIR_DENSITY_KG_M3 * DRAG_AREA_M2 * speedMs * speedMs;
  const rollingN = speedMs > 0.1 ? ROLLING_RESISTANCE * VEHICLE_MASS_KG * GRAVITY_MS2 : 0;
  const accelerationMs2 =
    (driveForceN - dragN - rollingN) / VEHICLE_MASS_KG - state.brakeDecelerationMs2;

  state.speedKmh = Math.max(0, state.speedKmh + accelerationMs2 * dtS * 3.6);
  state.longitudinalG = lag(state.longitudinalG, accelerationMs2 / GRAVITY_MS2, 0.2, dtS);
}

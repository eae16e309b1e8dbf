/**
 * @module The state of the mean-value engine model: one flat record of
 * numbers that the subsystem steps update in place, so a simulation step
 * allocates nothing. Units are in the names.
 */

/** Every state variable of the simulated car, engine and sensors. */
export interface EngineState {
  timeS: number;
  runTimeS: number;
  ambientC: number;
  baroKpa: number;

  // Driver and vehicle.
  segmentIndex: number;
  segmentTimeS: number;
  speedKmh: number;
  gear: number;
  shiftTimerS: number;
  throttlePct: number;
  speedErrorIntegral: number;
  brakeDecelerationMs2: number;
  longitudinalG: number;
  lateralG: number;
  rpm: number;
  brakePowerKw: number;
  frictionPowerKw: number;

  // Air path.
  vacuumKpa: number;
  positiveBoostKpa: number;
  boostKpa: number;
  mapKpa: number;
  boostTargetKpa: number;
  wastegateDutyPct: number;
  secondarySpool: number;
  intercoolerCoreC: number;
  engineBayC: number;
  iatC: number;
  mafGs: number;
  engineLoadPct: number;
  overboostTimerS: number;
  isFuelCut: boolean;

  // Fuel.
  lambdaTarget: number;
  lambda: number;
  fuelPressureKpa: number;
  injectorDutyPct: number;
  fuelGs: number;

  // Ignition.
  ignitionAdvanceDeg: number;
  knockRetardDeg: number;
  knockLevel: number;
  knockHoldS: number;
  egtC: number;

  // Cooling and lubrication.
  metalC: number;
  coolantC: number;
  oilTempC: number;
  thermostatOpening: number;
  isFanOn: boolean;
  coolantPressureKpa: number;
  coolantPressureSpikeKpa: number;
  oilPressureKpa: number;

  batteryV: number;
}

/** Returns a cold-start state: engine at ambient temperature, car at rest. */
export function createColdState(ambientC: number, baroKpa: number): EngineState {
  return {
    timeS: 0,
    runTimeS: 0,
    ambientC,
    baroKpa,
    segmentIndex: 0,
    segmentTimeS: 0,
    speedKmh: 0,
    gear: 0,
    shiftTimerS: 0,
    throttlePct: 0,
    speedErrorIntegral: 0,
    brakeDecelerationMs2: 0,
    longitudinalG: 0,
    lateralG: 0,
    rpm: 900,
    brakePowerKw: 0,
    frictionPowerKw: 0,
    vacuumKpa: -65,
    positiveBoostKpa: 0,
    boostKpa: -65,
    mapKpa: baroKpa - 65,
    boostTargetKpa: -65,
    wastegateDutyPct: 0,
    secondarySpool: 0,
    intercoolerCoreC: ambientC,
    engineBayC: ambientC,
    iatC: ambientC,
    mafGs: 5,
    engineLoadPct: 20,
    overboostTimerS: 0,
    isFuelCut: false,
    lambdaTarget: 1,
    lambda: 1,
    fuelPressureKpa: 190,
    injectorDutyPct: 2,
    fuelGs: 0.35,
    ignitionAdvanceDeg: 12,
    knockRetardDeg: 0,
    knockLevel: 5,
    knockHoldS: 0,
    egtC: ambientC,
    metalC: ambientC,
    coolantC: ambientC,
    oilTempC: ambientC,
    thermostatOpening: 0,
    isFanOn: false,
    coolantPressureKpa: 0,
    coolantPressureSpikeKpa: 0,
    oilPressureKpa: 300,
    batteryV: 14.1,
  };
}

/** Moves `current` towards `target` as a first-order lag with time constant `tauS`. */
export function lag(current: number, target: number, tauS: number, dtS: number): number {
  if (tauS <= dtS) return target;
  return current + (target - current) * (dtS / tauS);
}

/** Clamps `x` to [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * @module The residuals that the health monitor watches, as a table. Each
 * spec computes the expected value at the operating point and the reading's
 * distance from it in healthy spreads. Its enable condition states when the
 * comparison is meaningful (full throttle for boost, warm oil for oil
 * pressure), and the spec returns null while that condition is false.
 */
import { lookupMap2D } from '../../domain/interpolate.ts';
import type { EngineProfile } from '../../domain/profile-types.ts';
import type { Subsystem } from '../../protocol.ts';
import { evaluateCurve, evaluateGrid, type EngineBaseline } from './baseline.ts';
import { boostOf, type ChannelSnapshot } from './snapshot.ts';

/** Operating context of one tick, beyond the channel values. */
export interface OperatingContext {
  readonly snapshot: ChannelSnapshot;
  readonly profile: EngineProfile;
  readonly baseline: EngineBaseline;
  /** Seconds the engine has been running (rpm above 400). */
  readonly runningS: number;
  /** Integral of rpm over the running time, rpm × s. */
  readonly runningRpmS: number;
  /** Coolant temperature trend over the last half minute, °C per second (NaN when unknown). */
  readonly coolantRiseCps: number;
  /** Seconds throttle has stayed at 60 % or more. */
  readonly fullThrottleS: number;
  /** Seconds throttle has stayed at 15 % or more with rpm at 1,200 or more. */
  readonly onLoadS: number;
  /** Whether coolant has reached the thermostat opening point since the engine started. */
  readonly hasBeenWarm: boolean;
  /** Highest gauge boost the engine has made since the monitor started, kPa. */
  readonly peakBoostKpa: number;
}

/** One residual at one tick: the difference in the channel's unit and its healthy spread. */
export interface ResidualSample {
  readonly difference: number;
  readonly sigma: number;
}

export type ResidualId =
  | 'boost'
  | 'lambda'
  | 'fuelPressure'
  | 'coolantHot'
  | 'coolantCold'
  | 'coolantRise'
  | 'coolantPressure'
  | 'coolantPressureBoost'
  | 'oilPressure'
  | 'knockRetard'
  | 'knockLevel'
  | 'battery';

/** A watched residual. */
export interface ResidualSpec {
  readonly id: ResidualId;
  readonly subsystem: Subsystem;
  /** Unit of `difference`, for reason texts. */
  readonly unit: string;
  /** Quantity named in reason texts. */
  readonly quantity: string;
  /** Sides that indicate a fault. */
  readonly sides: readonly ('low' | 'high')[];
  /** Slack of the cumulative sum, in healthy spreads: smaller deviations never accumulate. */
  readonly slack: number;
  compute(context: OperatingContext): ResidualSample | null;
}

const isSet = Number.isFinite;

/** Returns the boost this engine should make at the current rpm and throttle, kPa gauge. */
export function expectedBoostKpa(context: OperatingContext): number {
  const { snapshot, baseline, profile } = context;
  if (baseline.boost !== null && snapshot.throttlePct >= 60) return evaluateCurve(baseline.boost, snapshot.rpm).value;
  if (isSet(snapshot.boostTargetKpa)) return snapshot.boostTargetKpa;
  return lookupMap2D(profile.expectedBoostKpa, snapshot.rpm, snapshot.throttlePct);
}

function lambdaTarget(context: OperatingContext): number {
  const { snapshot, profile } = context;
  if (isSet(snapshot.lambdaTarget)) return snapshot.lambdaTarget;
  const mapKpa = isSet(snapshot.mapKpa) ? snapshot.mapKpa : boostOf(snapshot) + 101.3;
  return lookupMap2D(profile.lambdaTarget, snapshot.rpm, mapKpa);
}

/** Returns coolant pressure minus this engine's normal at the coolant temperature, or null without the data. */
function coolantPressureResidual(context: OperatingContext): ResidualSample | null {
  const { snapshot, baseline } = context;
  const model = baseline.coolantPressure;
  if (model === null || !isSet(snapshot.coolantPressureKpa) || !isSet(snapshot.coolantC)) return null;
  const expected = evaluateCurve(model, snapshot.coolantC);
  return { difference: snapshot.coolantPressureKpa - expected.value, sigma: expected.sigma };
}

/** Boost is compared only on a held full-throttle pull, after the turbos have spooled. */
const BOOST_SPOOL_S = 1.5;
const BOOST_MIN_RPM = 2500;
/**
 * Boost is judged only once the engine has made this much, kPa gauge: a
 * naturally aspirated engine, or one whose baseline contains no pull, must
 * not be held to a turbo boost map it has never shown it follows.
 */
export const MADE_BOOST_KPA = 20;

/** Oil pressure is compared only with warm oil, after the post-start lockout. */
const OIL_MIN_TEMP_C = 50;
const OIL_LOCKOUT_S = 10;

/** The residual table. */
export const RESIDUAL_SPECS: readonly ResidualSpec[] = [
  {
    id: 'boost',
    subsystem: 'airBoost',
    unit: 'kPa',
    quantity: 'boost',
    sides: ['low', 'high'],
    slack: 1,
    compute(context) {
      const { snapshot, profile, baseline } = context;
      const boost = boostOf(snapshot);
      const isPull =
        context.fullThrottleS >= BOOST_SPOOL_S && snapshot.rpm >= BOOST_MIN_RPM && snapshot.rpm <= profile.redlineRpm;
      if (!isPull || !(context.peakBoostKpa >= MADE_BOOST_KPA) || !isSet(boost)) return null;
      const sigma = baseline.boost !== null ? evaluateCurve(baseline.boost, snapshot.rpm).sigma : baseline.boostSigmaKpa;
      return { difference: boost - expectedBoostKpa(context), sigma };
    },
  },
  {
    id: 'lambda',
    subsystem: 'fuel',
    unit: 'lambda',
    quantity: 'lambda',
    sides: ['high'],
    slack: 1,
    compute(context) {
      const { snapshot, baseline } = context;
      if (context.onLoadS < 1 || !isSet(snapshot.lambda)) return null;
      return { difference: snapshot.lambda - lambdaTarget(context) - baseline.lambdaOffset, sigma: baseline.lambdaSigma };
    },
  },
  {
    id: 'fuelPressure',
    subsystem: 'fuel',
    unit: 'kPa',
    quantity: 'fuel pressure',
    sides: ['low'],
    slack: 1,
    compute(context) {
      const { snapshot, profile } = context;
      const boost = boostOf(snapshot);
      if (context.runningS < 5 || !isSet(snapshot.fuelPressureKpa) || !isSet(boost)) return null;
      return { difference: snapshot.fuelPressureKpa - (profile.fuel.basePressureKpa + boost), sigma: 12 };
    },
  },
  {
    id: 'coolantHot',
    subsystem: 'cooling',
    unit: '°C',
    quantity: 'coolant',
    sides: ['high'],
    slack: 0.5,
    compute(context) {
      const { snapshot, baseline } = context;
      if (!isSet(snapshot.coolantC)) return null;
      return { difference: snapshot.coolantC - baseline.coolant.warmMaxC, sigma: 1 };
    },
  },
  {
    id: 'coolantCold',
    subsystem: 'cooling',
    unit: '°C',
    quantity: 'coolant',
    sides: ['low'],
    slack: 0.5,
    compute(context) {
      const { snapshot, baseline, profile } = context;
      // Once warm, a healthy thermostat keeps coolant in its band. A cold start must warm within its time.
      const isWarmedUp = context.hasBeenWarm || context.runningRpmS >= 1.5 * baseline.coolant.warmUpRpmS;
      if (!isWarmedUp || !isSet(snapshot.coolantC)) return null;
      const lowestC = baseline.coolant.warmMinC ?? profile.cooling.thermostatOpenC;
      return { difference: Math.min(0, snapshot.coolantC - lowestC), sigma: 2 };
    },
  },
  {
    id: 'coolantRise',
    subsystem: 'cooling',
    unit: '°C/min',
    quantity: 'coolant rise',
    sides: ['high'],
    slack: 1,
    compute(context) {
      const { snapshot, profile } = context;
      // From just below the fan switch-on point, a working fan and thermostat stop the climb.
      const isAtFanPoint = snapshot.coolantC >= profile.cooling.fanOnC - 1;
      if (!isAtFanPoint || !isSet(context.coolantRiseCps)) return null;
      return { difference: 60 * context.coolantRiseCps, sigma: 1.2 };
    },
  },
  {
    id: 'coolantPressure',
    subsystem: 'cooling',
    unit: 'kPa',
    quantity: 'coolant pressure',
    sides: ['high'],
    slack: 1.5,
    compute(context) {
      return coolantPressureResidual(context);
    },
  },
  {
    id: 'coolantPressureBoost',
    subsystem: 'cooling',
    unit: 'kPa',
    quantity: 'coolant pressure under boost',
    sides: ['high'],
    slack: 1.5,
    compute(context) {
      // Combustion gas pushed past a failing head gasket raises coolant pressure mainly under boost,
      // where a calibration over all running would drown it in the spread of off-boost driving.
      const boost = boostOf(context.snapshot);
      if (!(boost > 0)) return null;
      return coolantPressureResidual(context);
    },
  },
  {
    id: 'oilPressure',
    subsystem: 'lubrication',
    unit: 'kPa',
    quantity: 'oil pressure',
    sides: ['low'],
    slack: 1,
    compute(context) {
      const { snapshot, baseline, profile } = context;
      const minRpm = Math.max(profile.limits.oilPressureKpa?.minRpm ?? 500, 600);
      const isEnabled =
        baseline.oilPressure !== null && context.runningS >= OIL_LOCKOUT_S && snapshot.rpm >= minRpm &&
        snapshot.oilTempC >= OIL_MIN_TEMP_C && isSet(snapshot.oilPressureKpa);
      if (!isEnabled) return null;
      const expected = evaluateGrid(baseline.oilPressure!, snapshot.rpm, snapshot.oilTempC);
      return { difference: snapshot.oilPressureKpa - expected.value, sigma: expected.sigma };
    },
  },
  {
    id: 'knockRetard',
    subsystem: 'ignitionKnock',
    unit: '°',
    quantity: 'knock retard',
    sides: ['high'],
    slack: 1,
    compute(context) {
      const { snapshot } = context;
      if (context.runningS < 5 || !isSet(snapshot.knockRetardDeg)) return null;
      return { difference: snapshot.knockRetardDeg, sigma: 0.25 };
    },
  },
  {
    id: 'knockLevel',
    subsystem: 'ignitionKnock',
    unit: 'counts',
    quantity: 'knock level',
    sides: ['high'],
    slack: 1.5,
    compute(context) {
      const { snapshot, baseline } = context;
      const model = baseline.knockLevel;
      if (model === null || context.runningS < 5 || !isSet(snapshot.knockLevel)) return null;
      const expected = evaluateCurve(model, snapshot.rpm);
      return { difference: snapshot.knockLevel - expected.value, sigma: expected.sigma };
    },
  },
  {
    id: 'battery',
    subsystem: 'sensors',
    unit: 'V',
    quantity: 'battery voltage',
    sides: ['low', 'high'],
    slack: 1,
    compute(context) {
      const { snapshot } = context;
      if (context.runningS < 5 || !isSet(snapshot.batteryV)) return null;
      const outside = snapshot.batteryV < 12 ? snapshot.batteryV - 12 : Math.max(0, snapshot.batteryV - 15);
      return { difference: outside, sigma: 0.2 };
    },
  },
];

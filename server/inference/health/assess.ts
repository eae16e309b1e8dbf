/**
 * @module Turns the monitor's state and the classifiers' probabilities into
 * the health section of a tick: 0-100 per subsystem, reasons in plain
 * words with units, and the time until a rising temperature reaches its
 * warning limit. Residual evidence decides whether something is wrong; the
 * classifiers decide which subsystem it belongs to.
 */
import type { HealthReason, Subsystem } from '../../protocol.ts';
import { SUBSYSTEMS } from '../../protocol.ts';
import type { HealthMonitor, ResidualTracker } from './monitor.ts';
import { TRENDED_CHANNELS } from './monitor.ts';

/** Level (in thresholds) from which a residual is mentioned as a trend. */
const INFO_LEVEL = 0.6;
/** Level from which a residual counts as evidence for the classifiers' attribution. */
const EVIDENCE_LEVEL = 0.5;
/** Class probability from which a classifier's attribution is used. */
const ATTRIBUTION_PROBABILITY = 0.6;
/** Health at the alarm level; `WARNING_HEALTH` and below is a warning. */
export const WARNING_HEALTH = 70;
/** Temperature rise below which no time to warning is given, °C per second. */
const MIN_RISE_CPS = 0.01;
/**
 * Seconds of readings a trend must span before it is projected: a shorter
 * fit of whole-degree readings (OBD-II, most logs) turns one step into a
 * steep rise and a time to warning of seconds.
 */
const MIN_TREND_SPAN_S = 25;
/** Maximum time to warning given, in seconds, because a projection further out is not actionable. */
const MAX_TIME_TO_WARNING_S = 900;

/** Fault classes with probabilities and the subsystem of each class. */
export interface Attribution {
  readonly probabilities: Readonly<Record<string, number>>;
  readonly classSubsystems: Readonly<Record<string, Subsystem | null>>;
}

/** Health of all subsystems at one tick. */
export interface Assessment {
  readonly subsystems: Record<Subsystem, number>;
  readonly reasons: HealthReason[];
  readonly timeToWarningS: Record<string, number>;
}

/** Maps a residual's level (1 = alarm) to a health score. */
export function healthFromLevel(level: number): number {
  if (level <= 0.3) return 100;
  if (level <= 1) return 100 - ((level - 0.3) / 0.7) * (100 - WARNING_HEALTH);
  return Math.max(10, WARNING_HEALTH - 25 * (level - 1));
}

/** Assesses the monitor's current state; `attribution` is null when no classifier returned an output. */
export function assessHealth(monitor: HealthMonitor, timeS: number, attribution: Attribution | null): Assessment {
  const subsystems = Object.fromEntries(SUBSYSTEMS.map((s) => [s, 100])) as Record<Subsystem, number>;
  const reasons: HealthReason[] = [];
  let strongestLevel = 0;

  for (const tracker of monitor.residuals) {
    for (const [side, cusum] of tracker.sides) {
      const level = cusum.level();
      const subsystem = tracker.spec.subsystem;
      if (subsystem !== 'sensors') strongestLevel = Math.max(strongestLevel, level);
      subsystems[subsystem] = Math.min(subsystems[subsystem], Math.round(healthFromLevel(level)));
      if (cusum.isAlarm || level >= INFO_LEVEL) {
        reasons.push(residualReason(tracker, side, level, cusum.isAlarm, monitor));
      }
    }
  }

  addStuckSensors(monitor, timeS, subsystems, reasons);
  if (attribution !== null && strongestLevel >= EVIDENCE_LEVEL) {
    attribute(attribution, subsystems, reasons);
  }
  return { subsystems, reasons, timeToWarningS: timesToWarning(monitor) };
}

/** Moves the blame to the subsystem of the classifiers' most likely fault when they agree it is one. */
function attribute(attribution: Attribution, subsystems: Record<Subsystem, number>, reasons: HealthReason[]): void {
  let best = 'healthy';
  let bestProbability = 0;
  for (const [name, probability] of Object.entries(attribution.probabilities)) {
    if (probability > bestProbability) {
      best = name;
      bestProbability = probability;
    }
  }
  if (bestProbability < ATTRIBUTION_PROBABILITY || best === 'healthy') return;

  const subsystem = attribution.classSubsystems[best] ?? null;
  if (subsystem === null) {
    reasons.push({
      subsystem: 'sensors',
      code: 'pattern.unknown',
      text: `readings are off this engine's normal in a pattern that matches no known fault (${Math.round(100 * bestProbability)} % sure)`,
      severity: 'info',
    });
    return;
  }
  // Sensor faults are not engine evidence, so the classifiers' subsystem only follows engine subsystems.
  const worst = Math.min(...SUBSYSTEMS.filter((s) => s !== 'sensors').map((s) => subsystems[s]));
  if (worst >= 100) return;
  subsystems[subsystem] = Math.min(subsystems[subsystem], Math.max(0, worst - 1));
  reasons.push({
    subsystem,
    code: `class.${best}`,
    text: `the pattern matches ${best.replaceAll('-', ' ')} (${Math.round(100 * bestProbability)} % sure)`,
    severity: subsystems[subsystem] <= WARNING_HEALTH ? 'warning' : 'info',
  });
}

function residualReason(
  tracker: ResidualTracker,
  side: 'low' | 'high',
  level: number,
  isAlarm: boolean,
  monitor: HealthMonitor,
): HealthReason {
  const { spec } = tracker;
  const profile = monitor.profile;
  let severity: HealthReason['severity'] = 'info';
  if (isAlarm) severity = level >= 3 ? 'danger' : 'warning';
  const amount = formatAmount(Math.abs(tracker.meanDifference), spec.unit);
  const where = describeBand(tracker);
  const texts: Record<string, string> = {
    boost: `boost ${amount} ${side === 'low' ? 'below' : 'above'} this engine's normal${where}`,
    lambda: `mixture lean: lambda ${amount} above target on load${where}`,
    fuelPressure: `fuel pressure ${amount} below base plus boost${where}`,
    coolantHot: `coolant ${amount} above this engine's normal warm maximum`,
    coolantCold: `coolant ${amount} below the ${profile.cooling.thermostatOpenC} °C thermostat opening point long after warm-up`,
    coolantRise: `coolant still rising by ${amount} at the fan switch-on point of ${profile.cooling.fanOnC} °C`,
    coolantPressure: `coolant pressure ${amount} above normal for its temperature`,
    coolantPressureBoost: `coolant pressure ${amount} above normal for its temperature under boost`,
    oilPressure: `oil pressure ${amount} below this engine's normal for rpm and oil temperature${where}`,
    knockRetard: `knock retard ${amount} on average${where}`,
    knockLevel: `knock level ${amount} above this engine's normal${where}`,
    battery: `${describeBattery(monitor.snapshot?.batteryV)}, on average ${amount} ${side === 'low' ? 'below' : 'above'} the 12-15 V band`,
  };
  return {
    subsystem: spec.subsystem,
    code: `${spec.id}.${side}`,
    text: isAlarm ? texts[spec.id] : `trend: ${texts[spec.id]}`,
    severity,
  };
}

/** True while coolant or oil is below the thermostat's opening point, where a rise is normal. */
function isWarmingUp(monitor: HealthMonitor, id: (typeof TRENDED_CHANNELS)[number], value: number): boolean {
  return id !== 'iatC' && value < monitor.profile.cooling.thermostatOpenC;
}

/** Names the battery voltage just read, which the band distance alone would hide. */
function describeBattery(voltage: number | undefined): string {
  if (voltage === undefined || !Number.isFinite(voltage)) return 'battery voltage';
  return `battery voltage ${Number(voltage.toFixed(1))} V`;
}

function formatAmount(value: number, unit: string): string {
  if (unit === 'lambda') return value.toFixed(2);
  const digits = unit === 'kPa' || unit === 'counts' ? 0 : 1;
  return `${value.toFixed(digits)} ${unit}`;
}

function describeBand(tracker: ResidualTracker): string {
  const band = tracker.rpmBand();
  if (band === null) return '';
  const low = Math.floor(band[0] / 500) * 500;
  const high = Math.max(low + 500, Math.ceil(band[1] / 500) * 500);
  return ` at ${low.toLocaleString('en-US')}-${high.toLocaleString('en-US')} rpm`;
}

function addStuckSensors(
  monitor: HealthMonitor,
  timeS: number,
  subsystems: Record<Subsystem, number>,
  reasons: HealthReason[],
): void {
  const stuck = monitor.stuckChannels(timeS);
  if (stuck.length === 0) return;
  subsystems.sensors = Math.min(subsystems.sensors, 60);
  for (const id of stuck) {
    const watch = monitor.stuck.get(id)!;
    reasons.push({
      subsystem: 'sensors',
      code: `sensor.stuck.${id}`,
      text: `${id} has read ${Number(watch.value.toFixed(2))} for ${Math.round(timeS - watch.sinceS)} s while rpm moved by ${Math.round(watch.rpmMax - watch.rpmMin)}: the sensor or its wiring is stuck`,
      severity: 'warning',
    });
  }
}

function timesToWarning(monitor: HealthMonitor): Record<string, number> {
  const result: Record<string, number> = {};
  const snapshot = monitor.snapshot;
  if (snapshot === null) return result;
  for (const id of TRENDED_CHANNELS) {
    const limit = monitor.profile.limits[id]?.hiWarning;
    const value = snapshot[id];
    const trend = monitor.trends.get(id)!;
    const rise = trend.slope();
    if (limit === undefined || !Number.isFinite(value) || !(rise >= MIN_RISE_CPS) || value >= limit) continue;
    if (trend.spanS() < MIN_TREND_SPAN_S || isWarmingUp(monitor, id, value)) continue;

    const seconds = Math.round((limit - value) / rise);
    if (seconds <= MAX_TIME_TO_WARNING_S) result[id] = seconds;
  }
  return result;
}

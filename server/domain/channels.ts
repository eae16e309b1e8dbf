/**
 * @module Canonical engine channels: the only place where channel names and
 * their units are defined. Every source converts into these units at ingest,
 * so the rest of the monitor never sees a °F, psi or AFR value.
 */

/** Canonical unit of a channel value. */
export type Unit =
  | 'rpm'
  | 'kPa'
  | 'kPa gauge'
  | 'lambda'
  | '°C'
  | '%'
  | 'V'
  | 'km/h'
  | 'deg'
  | 'g/s'
  | 'L/h'
  | 's'
  | 'g'
  | 'count'
  | 'ms';

/** Static description of one canonical channel. */
export interface ChannelSpec {
  readonly id: ChannelId;
  readonly label: string;
  readonly unit: Unit;
  /** Physically possible range; a value outside it is rejected at ingest. */
  readonly physicalMin: number;
  readonly physicalMax: number;
  /**
   * Seconds after the last sample before the resampled value is reported as
   * stale instead of held. Sized for the slowest usual source of the channel
   * (an ELM327 polling slow PIDs about once a second, CAN broadcasts at 5 Hz).
   */
  readonly staleAfterS: number;
}

/**
 * Lowest possible gauge pressure in kPa: a perfect vacuum under the highest
 * barometric pressure recorded at sea level (108.4 kPa), rounded down.
 */
const MIN_GAUGE_KPA = -110;

const CHANNEL_TABLE = [
  ['rpm', 'Engine speed', 'rpm', 0, 12000, 1],
  ['mapKpa', 'Manifold pressure (absolute)', 'kPa', 0, 500, 1],
  ['boostKpa', 'Boost (gauge)', 'kPa gauge', MIN_GAUGE_KPA, 400, 1],
  ['baroKpa', 'Barometric pressure', 'kPa', 50, 110, 10],
  ['boostTargetKpa', 'Boost target (gauge)', 'kPa gauge', MIN_GAUGE_KPA, 400, 2],
  ['wastegateDutyPct', 'Wastegate duty', '%', 0, 100, 2],
  ['throttlePct', 'Throttle position', '%', 0, 100, 1],
  ['lambda', 'Lambda (wideband)', 'lambda', 0.5, 2, 1],
  ['lambdaTarget', 'Lambda target', 'lambda', 0.5, 2, 2],
  ['coolantC', 'Coolant temperature', '°C', -40, 150, 5],
  ['coolantPressureKpa', 'Coolant pressure (gauge)', 'kPa gauge', MIN_GAUGE_KPA, 400, 2],
  ['oilTempC', 'Oil temperature', '°C', -40, 180, 5],
  ['oilPressureKpa', 'Oil pressure (gauge)', 'kPa gauge', MIN_GAUGE_KPA, 1200, 1],
  ['fuelPressureKpa', 'Fuel pressure (gauge)', 'kPa gauge', MIN_GAUGE_KPA, 1200, 1],
  ['fuelTempC', 'Fuel temperature', '°C', -40, 120, 5],
  ['iatC', 'Intake air temperature', '°C', -40, 150, 5],
  ['ambientC', 'Ambient air temperature', '°C', -50, 60, 10],
  ['egtC', 'Exhaust gas temperature', '°C', -40, 1400, 2],
  ['knockLevel', 'Knock level', 'count', 0, 1000, 2],
  ['knockRetardDeg', 'Knock retard', 'deg', 0, 45, 2],
  ['ignitionAdvanceDeg', 'Ignition advance', 'deg', -40, 80, 2],
  ['injectorDutyPct', 'Injector duty', '%', 0, 110, 2],
  ['engineLoadPct', 'Calculated load', '%', 0, 255, 2],
  ['mafGs', 'Mass air flow', 'g/s', 0, 2000, 2],
  ['stftPct', 'Short-term fuel trim', '%', -100, 100, 5],
  ['ltftPct', 'Long-term fuel trim', '%', -100, 100, 10],
  ['speedKmh', 'Vehicle speed', 'km/h', 0, 450, 2],
  ['batteryV', 'Battery voltage', 'V', 0, 30, 5],
  ['camAngleDeg', 'Intake cam angle', 'deg', -90, 90, 2],
  ['camTargetDeg', 'Intake cam target', 'deg', -90, 90, 2],
  ['ethanolPct', 'Ethanol content', '%', 0, 100, 30],
  ['fuelRateLh', 'Fuel rate', 'L/h', 0, 500, 5],
  ['gear', 'Gear', 'count', -1, 8, 5],
  ['lateralG', 'Lateral acceleration', 'g', -5, 5, 1],
  ['longitudinalG', 'Longitudinal acceleration', 'g', -5, 5, 1],
  ['runTimeS', 'Engine run time', 's', 0, 1e7, 10],
] as const;

/** Canonical channel id, such as `coolantC` or `boostKpa`. */
export type ChannelId = (typeof CHANNEL_TABLE)[number][0];

/** All channels in a fixed order; the index is the DSP core's channel index. */
export const CHANNELS: readonly ChannelSpec[] = CHANNEL_TABLE.map(
  ([id, label, unit, physicalMin, physicalMax, staleAfterS]) => ({
    id,
    label,
    unit,
    physicalMin,
    physicalMax,
    staleAfterS,
  }),
);

/** Channel ids in DSP-core index order. */
export const CHANNEL_IDS: readonly ChannelId[] = CHANNELS.map((c) => c.id);

const SPEC_BY_ID = new Map<string, ChannelSpec>(CHANNELS.map((c) => [c.id, c]));
const INDEX_BY_ID = new Map<string, number>(CHANNEL_IDS.map((id, i) => [id, i]));

/** Returns true when `name` is a canonical channel id. */
export function isChannelId(name: string): name is ChannelId {
  return SPEC_BY_ID.has(name);
}

/** Returns the spec of a canonical channel. */
export function channelSpec(id: ChannelId): ChannelSpec {
  return SPEC_BY_ID.get(id)!;
}

/** Returns the DSP-core index of a canonical channel. */
export function channelIndex(id: ChannelId): number {
  return INDEX_BY_ID.get(id)!;
}

/**
 * Checks a value against the channel's physical range and returns a reason
 * when it is impossible, or null when it is plausible.
 */
export function implausibleReason(id: ChannelId, value: number): string | null {
  if (!Number.isFinite(value)) {
    return `${id} must be a finite number, got ${String(value)}`;
  }
  const spec = channelSpec(id);
  if (value < spec.physicalMin || value > spec.physicalMax) {
    return (
      `${id} = ${value} ${spec.unit} is outside the physically possible range ` +
      `${spec.physicalMin} to ${spec.physicalMax} ${spec.unit}`
    );
  }
  return null;
}

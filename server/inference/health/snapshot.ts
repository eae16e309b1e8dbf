/**
 * @module The channel values the health monitor reads at one tick, as plain
 * numbers: NaN marks a channel that is absent or stale.
 */
import type { ChannelId } from '../../domain/channels.ts';

/** Channels the health monitor reads, in feature order. */
export const HEALTH_CHANNELS = [
  'rpm',
  'throttlePct',
  'mapKpa',
  'baroKpa',
  'boostKpa',
  'boostTargetKpa',
  'lambda',
  'lambdaTarget',
  'coolantC',
  'coolantPressureKpa',
  'oilTempC',
  'oilPressureKpa',
  'fuelPressureKpa',
  'iatC',
  'knockLevel',
  'knockRetardDeg',
  'batteryV',
] as const satisfies readonly ChannelId[];

export type HealthChannel = (typeof HEALTH_CHANNELS)[number];

/** Values of the health channels at one tick; NaN when absent or stale. */
export type ChannelSnapshot = Record<HealthChannel, number>;

/** Returns a snapshot with every channel NaN. */
export function emptySnapshot(): ChannelSnapshot {
  return Object.fromEntries(HEALTH_CHANNELS.map((id) => [id, NaN])) as ChannelSnapshot;
}

/** Returns gauge boost in kPa from the boost channel, or from MAP and baro (101.3 kPa when absent). */
export function boostOf(snapshot: ChannelSnapshot): number {
  if (Number.isFinite(snapshot.boostKpa)) return snapshot.boostKpa;
  const baro = Number.isFinite(snapshot.baroKpa) ? snapshot.baroKpa : 101.3;
  return snapshot.mapKpa - baro;
}

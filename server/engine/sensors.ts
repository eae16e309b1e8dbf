/**
 * @module The simulated sensors: which canonical channels the model emits,
 * at what rate a real logger samples each one, and the noise each adds.
 */
import { channelSpec, type ChannelId } from '../domain/channels.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import { fuelDensityGcc, isEthanolFuel } from './fuel.ts';
import type { Prng } from './prng.ts';
import type { EngineState } from './state.ts';

/** One simulated sensor: channel, sample rate, noise and the state it reads. */
interface SensorSpec {
  readonly channel: ChannelId;
  /** Sample rate of a typical aftermarket ECU broadcast, Hz. */
  readonly rateHz: number;
  /** Standard deviation of the sensor noise, in the channel's unit. */
  readonly noiseSd: number;
  readonly read: (state: EngineState, profile: EngineProfile) => number;
}

// Rates follow the usual ECU broadcast groups: 50 Hz engine speed and
// pressures, 20 Hz mixture and ignition, 10 Hz temperatures, 1-5 Hz slow data.
const SENSOR_TABLE: readonly SensorSpec[] = [
  { channel: 'rpm', rateHz: 50, noiseSd: 6, read: (s) => s.rpm },
  { channel: 'mapKpa', rateHz: 50, noiseSd: 0.35, read: (s) => s.mapKpa },
  { channel: 'boostKpa', rateHz: 50, noiseSd: 0, read: (s) => s.boostKpa },
  { channel: 'baroKpa', rateHz: 1, noiseSd: 0.05, read: (s) => s.baroKpa },
  { channel: 'boostTargetKpa', rateHz: 20, noiseSd: 0, read: (s) => s.boostTargetKpa },
  { channel: 'wastegateDutyPct', rateHz: 20, noiseSd: 0, read: (s) => s.wastegateDutyPct },
  { channel: 'throttlePct', rateHz: 50, noiseSd: 0.1, read: (s) => s.throttlePct },
  { channel: 'lambda', rateHz: 20, noiseSd: 0.004, read: (s) => s.lambda },
  { channel: 'lambdaTarget', rateHz: 20, noiseSd: 0, read: (s) => s.lambdaTarget },
  { channel: 'coolantC', rateHz: 10, noiseSd: 0.05, read: (s) => s.coolantC },
  { channel: 'coolantPressureKpa', rateHz: 20, noiseSd: 0.8, read: (s) => s.coolantPressureKpa },
  { channel: 'oilTempC', rateHz: 10, noiseSd: 0.05, read: (s) => s.oilTempC },
  { channel: 'oilPressureKpa', rateHz: 50, noiseSd: 3, read: (s) => s.oilPressureKpa },
  { channel: 'fuelPressureKpa', rateHz: 50, noiseSd: 1.5, read: (s) => s.fuelPressureKpa },
  { channel: 'iatC', rateHz: 10, noiseSd: 0.08, read: (s) => s.iatC },
  { channel: 'ambientC', rateHz: 1, noiseSd: 0.05, read: (s) => s.ambientC },
  { channel: 'egtC', rateHz: 20, noiseSd: 2, read: (s) => s.egtC },
  { channel: 'knockLevel', rateHz: 50, noiseSd: 0.8, read: (s) => s.knockLevel },
  { channel: 'knockRetardDeg', rateHz: 20, noiseSd: 0, read: (s) => s.knockRetardDeg },
  { channel: 'ignitionAdvanceDeg', rateHz: 50, noiseSd: 0, read: (s) => s.ignitionAdvanceDeg },
  { channel: 'injectorDutyPct', rateHz: 50, noiseSd: 0.1, read: (s) => s.injectorDutyPct },
  { channel: 'engineLoadPct', rateHz: 20, noiseSd: 0.2, read: (s) => s.engineLoadPct },
  { channel: 'mafGs', rateHz: 50, noiseSd: 0.3, read: (s) => s.mafGs },
  { channel: 'speedKmh', rateHz: 20, noiseSd: 0.1, read: (s) => s.speedKmh },
  { channel: 'batteryV', rateHz: 10, noiseSd: 0.02, read: (s) => s.batteryV },
  { channel: 'gear', rateHz: 5, noiseSd: 0, read: (s) => s.gear },
  { channel: 'lateralG', rateHz: 50, noiseSd: 0.02, read: (s) => s.lateralG },
  { channel: 'longitudinalG', rateHz: 50, noiseSd: 0.02, read: (s) => s.longitudinalG },
  { channel: 'fuelRateLh', rateHz: 10, noiseSd: 0, read: (s, p) => fuelRateLh(s, p) },
  {
    channel: 'ethanolPct',
    rateHz: 1,
    noiseSd: 0.3,
    read: (_s, p) => (isEthanolFuel(p) ? 85 : 0),
  },
  { channel: 'runTimeS', rateHz: 1, noiseSd: 0, read: (s) => Math.floor(s.runTimeS) },
];

function fuelRateLh(state: EngineState, profile: EngineProfile): number {
  return (state.fuelGs / fuelDensityGcc(profile)) * 3.6;
}

/** Canonical channels the simulator emits, in a fixed order. */
export const SIM_CHANNELS: readonly ChannelId[] = SENSOR_TABLE.map((s) => s.channel);

/** Sample rate in Hz of each simulated channel, in `SIM_CHANNELS` order. */
export const SIM_CHANNEL_RATES_HZ: readonly number[] = SENSOR_TABLE.map((s) => s.rateHz);

const MAP_INDEX = SIM_CHANNELS.indexOf('mapKpa');
const BOOST_INDEX = SIM_CHANNELS.indexOf('boostKpa');
const RANGES = SENSOR_TABLE.map((s) => channelSpec(s.channel));

/**
 * Writes every simulated channel's reading, with sensor noise, into `out`
 * in `SIM_CHANNELS` order. Boost is the noisy MAP minus baro, as an ECU
 * derives it, and every reading is clamped to the channel's physical range.
 */
export function readSensors(
  state: EngineState,
  profile: EngineProfile,
  random: Prng,
  out: Float64Array,
): void {
  for (let i = 0; i < SENSOR_TABLE.length; i++) {
    const sensor = SENSOR_TABLE[i];
    let value = sensor.read(state, profile);
    if (sensor.noiseSd > 0) value += sensor.noiseSd * random.gaussian();
    out[i] = value;
  }
  out[BOOST_INDEX] = out[MAP_INDEX] - state.baroKpa;
  for (let i = 0; i < out.length; i++) {
    const range = RANGES[i];
    if (out[i] < range.physicalMin) out[i] = range.physicalMin;
    else if (out[i] > range.physicalMax) out[i] = range.physicalMax;
  }
}

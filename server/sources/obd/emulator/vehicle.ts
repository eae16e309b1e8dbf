/**
 * @module The car behind the emulated adapter: its ECUs and the PIDs each
 * supports, trouble codes, VIN, and where live values come from. Values
 * come from a `ValueSource`; `createStreetDrive` is a small built-in one
 * (idle, pulls through the gears, cruise) for use without the simulator.
 */
import type { ChannelId } from '../../../domain/channels.ts';

/** Canonical channel values at one moment. */
export type ChannelValues = Partial<Record<ChannelId, number>>;

/** Supplies channel values for a time in seconds since the emulator started. */
export interface ValueSource {
  valuesAt(timeS: number): ChannelValues;
}

/** One ECU on the emulated bus. */
export interface EmulatedEcu {
  /** 11-bit reply ID, such as 0x7E8. */
  readonly canId: number;
  /** K-line / J1850 source address, such as 0x10. */
  readonly address: number;
  readonly supportedPids: ReadonlySet<number>;
}

/** The emulated car. */
export interface EmulatedVehicle {
  readonly ecus: readonly EmulatedEcu[];
  readonly vin: string;
  storedDtcs: string[];
  pendingDtcs: string[];
  readonly values: ValueSource;
}

/** PIDs of the engine ECU of a street car with a wideband sensor (voltage mode). */
export const ENGINE_PIDS: readonly number[] = [
  0x01, 0x04, 0x05, 0x06, 0x07, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x1f, 0x24, 0x33,
  0x42, 0x44, 0x46, 0x5c, 0x5e,
];

/** PIDs of a transmission ECU that responds beside the engine ECU. */
export const TRANSMISSION_PIDS: readonly number[] = [0x01, 0x05, 0x0d];

/** Builds the emulated car; `withTransmission` adds a second ECU (0x7E9). */
export function createVehicle(values: ValueSource, withTransmission = false): EmulatedVehicle {
  const ecus: EmulatedEcu[] = [{ canId: 0x7e8, address: 0x10, supportedPids: new Set(ENGINE_PIDS) }];
  if (withTransmission) {
    ecus.push({ canId: 0x7e9, address: 0x18, supportedPids: new Set(TRANSMISSION_PIDS) });
  }
  return {
    ecus,
    // A made-up VIN in the format of a MkIV Supra (WMI JT2), used only by the emulator.
    vin: 'JT2JA82J5R0012345',
    storedDtcs: ['P0171'],
    pendingDtcs: ['P0301'],
    values,
  };
}

/**
 * Returns a deterministic drive that repeats every 60 s: 10 s idle, a pull
 * to 6,500 rpm with boost, a lift, then cruise. `seed` shifts the phase
 * and the sensor noise.
 */
export function createStreetDrive(seed = 1): ValueSource {
  const phaseS = (seed * 7.31) % 60;
  return {
    valuesAt(timeS: number): ChannelValues {
      const t = (timeS + phaseS) % 60;
      const warmUp = Math.min(1, timeS / 600);
      const noise = Math.sin(timeS * 12.9898 + seed) * 0.5;
      const { rpm, throttlePct, mapKpa, speedKmh } = drivePoint(t);

      return {
        rpm: rpm + noise * 10,
        throttlePct,
        mapKpa,
        speedKmh,
        engineLoadPct: Math.min(100, (mapKpa / 250) * 100),
        lambda: throttlePct > 60 ? 0.8 : 1 + noise * 0.01,
        lambdaTarget: throttlePct > 60 ? 0.8 : 1,
        coolantC: 20 + 68 * warmUp,
        oilTempC: 20 + 75 * warmUp,
        iatC: 25 + (mapKpa > 150 ? 15 : 0),
        ambientC: 21,
        baroKpa: 101,
        batteryV: 14.1 + noise * 0.05,
        ignitionAdvanceDeg: 10 + 20 * (1 - Math.min(1, mapKpa / 200)),
        mafGs: (rpm * mapKpa) / 12000,
        stftPct: noise * 3,
        ltftPct: 2.3,
        fuelRateLh: (rpm * mapKpa) / 60000,
        runTimeS: Math.floor(timeS),
      };
    },
  };
}

function drivePoint(t: number): { rpm: number; throttlePct: number; mapKpa: number; speedKmh: number } {
  if (t < 10) return { rpm: 800, throttlePct: 0, mapKpa: 35, speedKmh: 0 };
  if (t < 20) {
    const x = (t - 10) / 10;
    const mapKpa = 100 + 120 * Math.min(1, x * 2);
    return { rpm: 2000 + 4500 * x, throttlePct: 100, mapKpa, speedKmh: 40 + 100 * x };
  }
  if (t < 25) return { rpm: 3000, throttlePct: 0, mapKpa: 25, speedKmh: 140 - 4 * (t - 20) };
  return { rpm: 2500, throttlePct: 18, mapKpa: 55, speedKmh: 100 };
}

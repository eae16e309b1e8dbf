/**
 * @module Derives boost from OBD-II pressures. The car reports manifold
 * pressure as absolute kPa (PID 0B) and, on many cars, the barometric
 * pressure (PID 33); the monitor's `boostKpa` channel is gauge pressure,
 * so an OBD-II source has to subtract the one from the other itself.
 */
import type { Sample } from '../../domain/sample.ts';
import { implausibleReason } from '../../domain/channels.ts';
import { STANDARD_BARO_KPA } from '../../domain/units.ts';

/** Turns manifold absolute pressure into boost against the latest barometric pressure. */
export class BoostFromMap {
  /** Latest barometric pressure read, in kPa; null until PID 33 was read. */
  private baroKpa: number | null = null;

  /**
   * Returns `samples` with a `boostKpa` sample after each `mapKpa` sample:
   * MAP less the latest barometric pressure, which may come in the same
   * batch, or less the standard atmosphere (101.325 kPa) until the car
   * reported one. A car without PID 33 thus gets boost against sea level,
   * off by the altitude's pressure drop (about 1.2 kPa per 100 m).
   */
  withBoost(samples: readonly Sample[]): Sample[] {
    for (const sample of samples) {
      if (sample.channel === 'baroKpa') this.baroKpa = sample.value;
    }

    const result: Sample[] = [];
    for (const sample of samples) {
      result.push(sample);
      if (sample.channel !== 'mapKpa') continue;
      const boostKpa = sample.value - (this.baroKpa ?? STANDARD_BARO_KPA);
      if (implausibleReason('boostKpa', boostKpa) !== null) continue;
      result.push({ channel: 'boostKpa', value: boostKpa, timeS: sample.timeS });
    }
    return result;
  }
}

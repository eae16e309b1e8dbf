/**
 * @module Types of an engine profile: the per-build configuration that holds
 * every sensor limit, lambda target and expected-boost map. Profiles are JSON
 * files under `server/profiles/`; `profiles.ts` validates them.
 */
import type { ChannelId } from './channels.ts';

/**
 * Alarm thresholds of one channel, in the channel's canonical unit, named
 * as TunerStudio gauges name them. Any subset may be present.
 */
export interface ChannelLimits {
  readonly loDanger?: number;
  readonly loWarning?: number;
  readonly hiWarning?: number;
  readonly hiDanger?: number;
  /**
   * Low limits that depend on engine speed, such as the minimum oil pressure
   * that rises with rpm. Linear interpolation, clamped at the ends.
   */
  readonly loWarningByRpm?: RpmCurve;
  readonly loDangerByRpm?: RpmCurve;
  /** Band, in the channel's unit, that a value must clear to leave a state. */
  readonly hysteresis?: number;
  /** Seconds a threshold must be crossed before the state changes. */
  readonly debounceS?: number;
  /** Only evaluate while rpm is at least this (oil pressure at start-up). */
  readonly minRpm?: number;
}

/** A curve over engine speed: `rpm` ascending, one `value` per point. */
export interface RpmCurve {
  readonly rpm: readonly number[];
  readonly value: readonly number[];
}

/**
 * A 2-D map with ascending axes; `values[i][j]` belongs to `rows[i]` and
 * `columns[j]`. Lookups interpolate bilinearly and clamp at the edges.
 */
export interface Map2D {
  readonly rows: readonly number[];
  readonly columns: readonly number[];
  readonly values: readonly (readonly number[])[];
}

export type TurboLayout = 'sequential-twin' | 'single';

/** A validated engine profile. */
export interface EngineProfile {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly turbo: {
    readonly layout: TurboLayout;
    /** Rpm band in which a sequential twin hands over to both turbos. */
    readonly handoverRpm?: readonly [number, number];
    /** Wastegate spring pressure in kPa gauge. */
    readonly wastegateSpringKpa: number;
    /**
     * MAP in kPa absolute at which the ECU cuts fuel to protect the engine
     * (the stock ECU: 200 kPa); no cut when absent.
     */
    readonly fuelCutMapKpa?: number;
  };
  readonly fuel: {
    /** Stoichiometric AFR of the fuel this build runs. */
    readonly stoichAfr: number;
    /** Fuel pressure regulator base pressure in kPa gauge (vacuum hose off). */
    readonly basePressureKpa: number;
    /** Flow of one injector in cm³/min at base pressure; 550 when absent. */
    readonly injectorFlowCcMin?: number;
    /** Maximum flow of the fuel pump in L/h at base pressure; 160 when absent. */
    readonly pumpFlowLh?: number;
  };
  readonly cooling: {
    readonly thermostatOpenC: number;
    readonly fanOnC: number;
    readonly fanOffC: number;
  };
  /** Redline in rpm. */
  readonly redlineRpm: number;
  /** Alarm thresholds by canonical channel. */
  readonly limits: Partial<Record<ChannelId, ChannelLimits>>;
  /** Target lambda: rows rpm, columns MAP in kPa absolute. */
  readonly lambdaTarget: Map2D;
  /** Expected boost in kPa gauge: rows rpm, columns throttle in %. */
  readonly expectedBoostKpa: Map2D;
}

/**
 * @module The per-tick state of the health monitor: operating-point timers,
 * one cumulative sum per residual side, windowed residual means, stuck
 * sensor detection and temperature trends. It turns each tick into the
 * feature vector that both classifiers read.
 */
import type { EngineProfile } from '../../domain/profile-types.ts';
import type { EngineBaseline } from './baseline.ts';
import { Cusum } from './cusum.ts';
import { OperatingTimers } from './operating-timers.ts';
import { RESIDUAL_SPECS, type OperatingContext, type ResidualSpec } from './residual-specs.ts';
import type { ChannelSnapshot, HealthChannel } from './snapshot.ts';
import { Trend } from './trend.ts';

/** Alarm thresholds of the cumulative sums, by `residual.side`, in healthy spreads × seconds. */
export type CusumThresholds = Readonly<Record<string, number>>;

/** Threshold of a residual side that calibration did not cover. */
export const DEFAULT_THRESHOLD = 4;

/** Seconds over which the windowed residual means average. */
const MEAN_TAU_S = 20;
/** Enabled ticks whose rpm is kept to describe where a residual was seen. */
const RPM_HISTORY = 256;
/** A sensor whose value has not changed this long while rpm moved is stuck. */
const STUCK_AFTER_S = 60;
/**
 * The same for temperatures, which a thermostat or a steady cruise can hold
 * at one logged whole degree for minutes on a healthy engine.
 */
const STUCK_TEMPERATURE_AFTER_S = 600;
const STUCK_RPM_SPAN = 1000;
const STUCK_TEMPERATURES: ReadonlySet<HealthChannel> = new Set(['coolantC', 'iatC', 'oilTempC']);
const STUCK_CHANNELS: readonly HealthChannel[] = ['coolantC', 'iatC', 'oilTempC', 'oilPressureKpa', 'mapKpa', 'lambda'];
/** Temperatures whose trend gives a time to the warning limit. */
export const TRENDED_CHANNELS = ['coolantC', 'oilTempC', 'iatC'] as const;

/** The state of one residual. */
export class ResidualTracker {
  readonly sides: ReadonlyMap<'low' | 'high', Cusum>;
  /** Exponentially weighted mean of the normalised residual over enabled time. */
  meanZ = 0;
  /** The same mean in the residual's unit. */
  meanDifference = 0;
  /** Share of recent time during which the residual could be compared. */
  activeShare = 0;
  isEnabled = false;
  private readonly rpmHistory = new Float64Array(RPM_HISTORY);
  private rpmCount = 0;

  constructor(
    readonly spec: ResidualSpec,
    thresholds: CusumThresholds,
  ) {
    this.sides = new Map(spec.sides.map((side) => [side, new Cusum(thresholds[`${spec.id}.${side}`] ?? DEFAULT_THRESHOLD)]));
  }

  update(context: OperatingContext, dtS: number): void {
    const sample = this.spec.compute(context);
    const weight = Math.min(1, dtS / MEAN_TAU_S);
    this.isEnabled = sample !== null && Number.isFinite(sample.difference);
    this.activeShare += ((this.isEnabled ? 1 : 0) - this.activeShare) * weight;

    if (!this.isEnabled) {
      for (const cusum of this.sides.values()) cusum.fade(dtS);
      return;
    }
    const z = sample!.difference / sample!.sigma;
    this.meanZ += (z - this.meanZ) * weight;
    this.meanDifference += (sample!.difference - this.meanDifference) * weight;
    this.sides.get('low')?.add(-z - this.spec.slack, dtS);
    this.sides.get('high')?.add(z - this.spec.slack, dtS);
    this.rpmHistory[this.rpmCount % RPM_HISTORY] = context.snapshot.rpm;
    this.rpmCount++;
  }

  /** Returns the 10th and 90th percentile rpm of recent enabled ticks, or null. */
  rpmBand(): [number, number] | null {
    const count = Math.min(this.rpmCount, RPM_HISTORY);
    if (count === 0) return null;
    const sorted = this.rpmHistory.slice(0, count).sort();
    return [sorted[Math.floor(0.1 * (count - 1))], sorted[Math.floor(0.9 * (count - 1))]];
  }
}

/** A sensor reading that stopped changing while the engine did not. */
interface StuckWatch {
  value: number;
  sinceS: number;
  rpmMin: number;
  rpmMax: number;
}

/** Health monitor state for one engine. */
export class HealthMonitor {
  readonly residuals: ResidualTracker[];
  readonly trends = new Map(TRENDED_CHANNELS.map((id) => [id, new Trend()]));
  readonly stuck = new Map<HealthChannel, StuckWatch>();
  snapshot: ChannelSnapshot | null = null;
  private lastTimeS = NaN;
  private readonly timers: OperatingTimers;
  /** Mean normalised boost residual below and above the turbo handover band. */
  boostMeanLowRpm = 0;
  boostMeanHighRpm = 0;

  constructor(
    readonly profile: EngineProfile,
    readonly baseline: EngineBaseline,
    thresholds: CusumThresholds,
  ) {
    this.residuals = RESIDUAL_SPECS.map((spec) => new ResidualTracker(spec, thresholds));
    this.timers = new OperatingTimers(profile.cooling.thermostatOpenC);
  }

  /** Replaces the alarm thresholds, keeping the accumulated evidence. */
  setThresholds(thresholds: CusumThresholds): void {
    for (const tracker of this.residuals) {
      for (const [side, cusum] of tracker.sides) cusum.threshold = thresholds[`${tracker.spec.id}.${side}`] ?? DEFAULT_THRESHOLD;
    }
  }

  /** Advances the monitor by one tick. */
  update(snapshot: ChannelSnapshot, timeS: number): void {
    const dtS = Number.isFinite(this.lastTimeS) ? Math.min(Math.max(timeS - this.lastTimeS, 0), 1) : 0;
    this.lastTimeS = timeS;
    this.snapshot = snapshot;
    this.timers.advance(snapshot, dtS);
    for (const [id, trend] of this.trends) trend.add(timeS, snapshot[id]);

    const context: OperatingContext = {
      snapshot,
      profile: this.profile,
      baseline: this.baseline,
      runningS: this.timers.runningS,
      runningRpmS: this.timers.runningRpmS,
      coolantRiseCps: this.trends.get('coolantC')!.slope(),
      fullThrottleS: this.timers.fullThrottleS,
      onLoadS: this.timers.onLoadS,
      hasBeenWarm: this.timers.hasBeenWarm,
      peakBoostKpa: this.timers.peakBoostKpa,
    };
    for (const tracker of this.residuals) tracker.update(context, dtS);
    this.updateBoostBands(snapshot, dtS);
    this.updateStuck(snapshot, timeS);
  }

  /** Returns the channels whose value has not changed for a minute while rpm moved. */
  stuckChannels(timeS: number): HealthChannel[] {
    const stuck: HealthChannel[] = [];
    for (const [id, watch] of this.stuck) {
      const afterS = STUCK_TEMPERATURES.has(id) ? STUCK_TEMPERATURE_AFTER_S : STUCK_AFTER_S;
      if (timeS - watch.sinceS >= afterS && watch.rpmMax - watch.rpmMin >= STUCK_RPM_SPAN) stuck.push(id);
    }
    return stuck;
  }

  /** Returns the tracker of one residual. */
  residual(id: ResidualSpec['id']): ResidualTracker {
    return this.residuals.find((r) => r.spec.id === id)!;
  }

  private updateBoostBands(snapshot: ChannelSnapshot, dtS: number): void {
    const boost = this.residual('boost');
    if (!boost.isEnabled) return;
    const [bandStart, bandEnd] = this.profile.turbo.handoverRpm ?? [4000, 4000];
    const z = boost.meanZ;
    const weight = Math.min(1, (4 * dtS) / MEAN_TAU_S);
    if (snapshot.rpm < bandStart) this.boostMeanLowRpm += (z - this.boostMeanLowRpm) * weight;
    if (snapshot.rpm >= bandEnd) this.boostMeanHighRpm += (z - this.boostMeanHighRpm) * weight;
  }

  private updateStuck(snapshot: ChannelSnapshot, timeS: number): void {
    for (const id of STUCK_CHANNELS) {
      const value = snapshot[id];
      const watch = this.stuck.get(id);
      if (!Number.isFinite(value)) {
        this.stuck.delete(id);
      } else if (watch === undefined || watch.value !== value) {
        this.stuck.set(id, { value, sinceS: timeS, rpmMin: snapshot.rpm, rpmMax: snapshot.rpm });
      } else if (Number.isFinite(snapshot.rpm)) {
        watch.rpmMin = Math.min(watch.rpmMin, snapshot.rpm);
        watch.rpmMax = Math.max(watch.rpmMax, snapshot.rpm);
      }
    }
  }
}

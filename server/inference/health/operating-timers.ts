/**
 * @module Timers of the operating point that gate the residuals: how long
 * the engine has run, how much it has turned since the start and how long
 * it has held full throttle or load. They also record whether the engine
 * has been warm since it started and the highest boost it has made. The
 * monitor and the baseline fit share them, so both judge the same ticks
 * comparable.
 */
import { boostOf, type ChannelSnapshot } from './snapshot.ts';

/** Engine speed above which the engine counts as running, rpm. */
const RUNNING_RPM = 400;

/** Operating-point timers, advanced once per tick. */
export class OperatingTimers {
  /** Seconds the engine has been running. */
  runningS = 0;
  /** Integral of rpm over the running time, rpm × s. */
  runningRpmS = 0;
  /** Seconds throttle has stayed at 60 % or more while running. */
  fullThrottleS = 0;
  /** Seconds throttle has stayed at 15 % or more with rpm at 1,200 or more. */
  onLoadS = 0;
  /** Whether coolant has reached the thermostat opening point since the engine started. */
  hasBeenWarm = false;
  /** Highest gauge boost seen while running, kPa, kept across stalls. */
  peakBoostKpa = -Infinity;

  /** Creates timers for an engine whose thermostat opens at `thermostatOpenC`. */
  constructor(private readonly thermostatOpenC: number) {}

  /** Advances the timers by `dtS` seconds at the operating point of `snapshot`. */
  advance(snapshot: ChannelSnapshot, dtS: number): void {
    const isRunning = snapshot.rpm > RUNNING_RPM;
    this.runningS = isRunning ? this.runningS + dtS : 0;
    this.runningRpmS = isRunning ? this.runningRpmS + snapshot.rpm * dtS : 0;
    this.fullThrottleS = isRunning && snapshot.throttlePct >= 60 ? this.fullThrottleS + dtS : 0;
    this.onLoadS = snapshot.rpm >= 1200 && snapshot.throttlePct >= 15 ? this.onLoadS + dtS : 0;
    this.hasBeenWarm = isRunning && (this.hasBeenWarm || snapshot.coolantC >= this.thermostatOpenC);

    const boost = boostOf(snapshot);
    if (isRunning && boost > this.peakBoostKpa) this.peakBoostKpa = boost;
  }
}

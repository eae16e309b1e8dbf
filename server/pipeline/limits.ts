/**
 * @module Limit states of every channel per tick, from a profile's alarm
 * thresholds, with hysteresis and debounce so that a value hovering at a
 * threshold does not flicker between states.
 *
 * Rules, per channel with limits:
 * - A value at or above `hiWarning`/`hiDanger`, or at or below the low
 *   limit, enters that level. The low limit is the higher of the fixed
 *   `loWarning`/`loDanger` and the rpm curve at the current rpm. While rpm
 *   is absent or stale, only the fixed limit applies.
 * - To leave a level, the value must clear its threshold by `hysteresis`
 *   (hi limits minus the band, low limits plus the band).
 * - Either change happens only after its condition has held for `debounceS`
 *   seconds of tick time without a break; 0 or absent changes at once.
 *   Escalation to danger counts from the first tick at danger, even when the
 *   state is still ok.
 * - An absent or stale value, rpm below `minRpm` (or absent while `minRpm`
 *   is set), or a tick time earlier than the previous one returns 'ok' and
 *   restarts the channel's debounce from ok.
 */
import { frameValue, type ResampledFrame } from '../core/dsp.ts';
import {
  CHANNEL_IDS,
  type ChannelId,
  channelIndex,
} from '../domain/channels.ts';
import { lookupCurve } from '../domain/interpolate.ts';
import type {
  ChannelLimits,
  EngineProfile,
  RpmCurve,
} from '../domain/profile-types.ts';
import type { LimitState } from '../protocol.ts';

const OK = 0;
const WARNING = 1;
const DANGER = 2;
type Level = typeof OK | typeof WARNING | typeof DANGER;

const STATE_NAMES: readonly LimitState[] = ['ok', 'warning', 'danger'];

/** Debounce and hysteresis state of one channel. */
interface Tracker {
  level: Level;
  /** Tick time since which the entry level has been >= index; NaN if not. */
  readonly atLeastSinceS: [number, number, number];
  /** Tick time since which the leave level has been <= index; NaN if not. */
  readonly atMostSinceS: [number, number, number];
  lastTimeS: number;
}

interface ChannelRule {
  readonly id: ChannelId;
  readonly index: number;
  readonly limits: ChannelLimits;
  readonly hysteresis: number;
  readonly debounceS: number;
  readonly tracker: Tracker;
}

/** Evaluates a profile's limits tick by tick; one instance per session. */
export class LimitEvaluator {
  private readonly rules: readonly ChannelRule[];
  private readonly rpmIndex = channelIndex('rpm');

  /** Builds rules from a validated profile's `limits` table. */
  constructor(profile: Pick<EngineProfile, 'limits'>) {
    this.rules = CHANNEL_IDS.filter((id) => profile.limits[id] !== undefined)
      .map((id) => ruleFor(id, profile.limits[id]!));
  }

  /**
   * Returns the state of every channel at `timeS`; channels without limits
   * are 'ok'. Reads values by channel index, NaN meaning absent or stale.
   */
  evaluate(
    frame: Pick<ResampledFrame, 'value'>,
    timeS: number,
  ): Record<ChannelId, LimitState> {
    const states = {} as Record<ChannelId, LimitState>;
    for (const id of CHANNEL_IDS) states[id] = 'ok';

    const rpm = frameValue(frame, 'rpm');
    for (const rule of this.rules) {
      const value = frame.value[rule.index];
      const level = this.step(rule, value, rpm, timeS);
      states[rule.id] = STATE_NAMES[level];
    }
    return states;
  }

  /** Returns every channel to 'ok' and clears all debounce timers. */
  reset(): void {
    for (const rule of this.rules) restart(rule.tracker, Number.NaN);
  }

  private step(
    rule: ChannelRule,
    value: number,
    rpm: number | null,
    timeS: number,
  ): Level {
    const tracker = rule.tracker;
    const isBeforeLast = timeS < tracker.lastTimeS;
    if (Number.isNaN(value) || isBeforeLast || !isRpmHighEnough(rule, rpm)) {
      restart(tracker, timeS);
      return OK;
    }

    const entryLevel = levelOf(rule.limits, value, rpm, 0);
    const leaveLevel = levelOf(rule.limits, value, rpm, rule.hysteresis);
    trackRuns(tracker, entryLevel, leaveLevel, timeS);
    tracker.level = nextLevel(tracker, rule.debounceS, timeS);
    tracker.lastTimeS = timeS;
    return tracker.level;
  }
}

function ruleFor(id: ChannelId, limits: ChannelLimits): ChannelRule {
  return {
    id,
    index: channelIndex(id),
    limits,
    hysteresis: limits.hysteresis ?? 0,
    debounceS: limits.debounceS ?? 0,
    tracker: {
      level: OK,
      atLeastSinceS: [Number.NaN, Number.NaN, Number.NaN],
      atMostSinceS: [Number.NaN, Number.NaN, Number.NaN],
      lastTimeS: Number.NaN,
    },
  };
}

function isRpmHighEnough(rule: ChannelRule, rpm: number | null): boolean {
  const minRpm = rule.limits.minRpm;
  if (minRpm === undefined) return true;
  return rpm !== null && rpm >= minRpm;
}

function restart(tracker: Tracker, timeS: number): void {
  tracker.level = OK;
  tracker.atLeastSinceS.fill(Number.NaN);
  tracker.atMostSinceS.fill(Number.NaN);
  tracker.lastTimeS = timeS;
}

/**
 * Returns the level of `value` with every threshold moved towards the safe
 * side by `band`: 0 gives the entry level, the hysteresis band gives the
 * level that the value has not yet left.
 */
function levelOf(
  limits: ChannelLimits,
  value: number,
  rpm: number | null,
  band: number,
): Level {
  const crossing = limitCrossing(limits, value, rpm, band);
  if (crossing === null) return OK;
  return crossing.state === 'danger' ? DANGER : WARNING;
}

/** Returns the worst limit `value` crosses with thresholds moved by `band`, or null. */
function limitCrossing(
  limits: ChannelLimits,
  value: number,
  rpm: number | null,
  band: number,
): LimitCrossing | null {
  const loDanger = lowLimit(limits.loDanger, limits.loDangerByRpm, rpm);
  const loWarning = lowLimit(limits.loWarning, limits.loWarningByRpm, rpm);

  if (isAtOrAbove(value, limits.hiDanger, band)) return { state: 'danger', side: 'high', limit: limits.hiDanger! };
  if (isAtOrBelow(value, loDanger, band)) return { state: 'danger', side: 'low', limit: loDanger! };
  if (isAtOrAbove(value, limits.hiWarning, band)) return { state: 'warning', side: 'high', limit: limits.hiWarning! };
  if (isAtOrBelow(value, loWarning, band)) return { state: 'warning', side: 'low', limit: loWarning! };
  return null;
}

function lowLimit(
  fixed: number | undefined,
  curve: RpmCurve | undefined,
  rpm: number | null,
): number | undefined {
  if (curve === undefined || rpm === null) return fixed;
  const fromCurve = lookupCurve(curve, rpm);
  return fixed === undefined ? fromCurve : Math.max(fixed, fromCurve);
}

function isAtOrAbove(value: number, limit: number | undefined, band: number) {
  return limit !== undefined && value >= limit - band;
}

function isAtOrBelow(value: number, limit: number | undefined, band: number) {
  return limit !== undefined && value <= limit + band;
}

// Keeps, per level, the start of the current unbroken run in which the
// entry level is at least that level, and the leave level at most it.
function trackRuns(
  tracker: Tracker,
  entryLevel: Level,
  leaveLevel: Level,
  timeS: number,
): void {
  for (let level = OK; level <= DANGER; level++) {
    const atLeast = tracker.atLeastSinceS;
    const atMost = tracker.atMostSinceS;
    atLeast[level] = entryLevel >= level ? startOf(atLeast[level], timeS) : NaN;
    atMost[level] = leaveLevel <= level ? startOf(atMost[level], timeS) : NaN;
  }
}

function startOf(runStartS: number, timeS: number): number {
  return Number.isNaN(runStartS) ? timeS : runStartS;
}

// Escalates to the highest level whose run has lasted the debounce time,
// else de-escalates to the lowest such level, else keeps the level.
function nextLevel(tracker: Tracker, debounceS: number, timeS: number): Level {
  const hasLasted = (runStartS: number) => timeS - runStartS >= debounceS;

  for (let level = DANGER; level > tracker.level; level--) {
    if (hasLasted(tracker.atLeastSinceS[level])) return level as Level;
  }
  for (let level = OK; level < tracker.level; level++) {
    if (hasLasted(tracker.atMostSinceS[level])) return level as Level;
  }
  return tracker.level;
}

/** A limit that a value crosses, with the state it gives. */
export interface LimitCrossing {
  readonly state: 'warning' | 'danger';
  readonly side: 'high' | 'low';
  /** The threshold crossed, in the channel's unit. */
  readonly limit: number;
}

/**
 * Returns the worst limit that `value` crosses right now, without debounce
 * or hysteresis, or null when it crosses none. It serves one-off checks,
 * such as a prediction request, which have no history.
 */
export function instantLimitCrossing(
  limits: ChannelLimits,
  value: number,
  rpm: number | null,
): LimitCrossing | null {
  if (!Number.isFinite(value)) return null;
  if (limits.minRpm !== undefined && !(rpm !== null && rpm >= limits.minRpm)) return null;
  return limitCrossing(limits, value, rpm, 0);
}

/**
 * @module Faults of the air path: an intake boost leak, a failed
 * twin-turbo transition, and overboost from a wastegate that cannot bleed.
 */
import { lag } from '../state.ts';
import {
  boostCreepKpa,
  failedHandoverDipKpa,
  isTwinMode,
  singleTurboBoostKpa,
} from '../air.ts';
import {
  clampChannel,
  finiteOr,
  pointBoostKpa,
  shiftBoost,
  shiftChannel,
} from './common.ts';
import type { FaultDefinition } from './types.ts';

// Share of positive boost a full-severity leak loses.
const LEAK_BOOST_SHARE = 0.4;
// Boost creep above target at the redline at full severity, kPa.
const CREEP_AT_REDLINE_KPA = 70;

/** An intake leak after the turbo (split hose, loose clamp, intercooler crack). */
export const boostLeak: FaultDefinition = {
  kind: 'boost-leak',
  subsystem: 'airBoost',
  description: 'Charge air escapes between the turbo and the throttle.',
  precursors:
    'Boost below the expected map at the same rpm and throttle, a slower boost rise, ' +
    'higher wastegate duty for the same boost, lower air flow and load.',
  rampS: 2,
  applyToModel(effects, severity) {
    effects.boostLeakShare += LEAK_BOOST_SHARE * severity;
  },
  superimpose(step, state) {
    const { point, values, severity, dtS } = step;
    const boost = pointBoostKpa(point);
    const share = LEAK_BOOST_SHARE * severity;
    const positive = Math.max(0, boost);
    const leakyTarget = (1 - share) * positive;

    // memory[0]: the leaky positive boost, which rises more slowly than the healthy one.
    const previous = state.memory[0];
    const isRising = leakyTarget > previous;
    const leaky = isRising ? lag(previous, leakyTarget, 0.6 * severity, dtS) : leakyTarget;
    state.memory[0] = leaky;

    shiftBoost(values, point, Math.min(0, leaky - positive));
    if (boost > 0) shiftChannel(values, 'wastegateDutyPct', 40 * share);
    clampChannel(values, 'wastegateDutyPct', 0, 100);
  },
};

/** The second turbo of a sequential twin never comes in (valve, VSV or vacuum line). */
export const twinTransitionFailure: FaultDefinition = {
  kind: 'twin-transition-failure',
  subsystem: 'airBoost',
  description: 'The sequential twins stay on turbo 1 past the handover.',
  precursors:
    'Boost plateaus near the single-turbo level and falls towards the redline instead of ' +
    'rising to the twin-turbo level; a deeper dip in the handover band.',
  rampS: 0.5,
  applyToModel(effects, severity) {
    effects.transitionFailure = Math.max(effects.transitionFailure, severity);
  },
  superimpose(step) {
    const { point, values, severity, profile } = step;
    const rpm = finiteOr(point.rpm, 0);
    const throttle = finiteOr(point.throttlePct, 0);
    if (!isTwinMode(profile, rpm, throttle)) return;

    const boost = Math.max(0, pointBoostKpa(point));
    const single = singleTurboBoostKpa(profile, rpm, throttle);
    const failed = Math.max(0, Math.min(boost, single) - failedHandoverDipKpa(profile, rpm));
    const next = boost * (1 - severity) + failed * severity;
    shiftBoost(values, point, next - boost);
  },
};

/** Boost creep: a wastegate too small or stuck, or a failed boost controller. */
export const overboost: FaultDefinition = {
  kind: 'overboost',
  subsystem: 'airBoost',
  description: 'The wastegate cannot bleed enough exhaust, so boost creeps above target.',
  precursors:
    'Boost above the expected map, rising with rpm at wide-open throttle; wastegate duty ' +
    'falls to zero; hotter intake air; on the stock ECU, fuel cut at 200 kPa MAP.',
  rampS: 1,
  applyToModel(effects, severity) {
    effects.boostCreepAtRedlineKpa += CREEP_AT_REDLINE_KPA * severity;
  },
  superimpose(step) {
    const { point, values, severity, profile } = step;
    const creep = boostCreepKpa(
      profile,
      finiteOr(point.rpm, 0),
      finiteOr(point.throttlePct, 0),
      CREEP_AT_REDLINE_KPA * severity,
    );
    if (creep <= 0) return;

    // NOTE: the ECU's fuel cut on overboost is not superimposed; the log keeps its fuelling.
    shiftBoost(values, point, creep);
    shiftChannel(values, 'wastegateDutyPct', -1.5 * creep);
    clampChannel(values, 'wastegateDutyPct', 0, 100);
    shiftChannel(values, 'iatC', 0.08 * creep);
  },
};

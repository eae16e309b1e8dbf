/**
 * @module Fault of the fuel system: a pump (or filter) that can no longer
 * keep up with demand under boost.
 */
import { pumpDeliveryShare } from '../fuel.ts';
import { steadyEgtC } from '../ignition.ts';
import { finiteOr, pointAirflowGs, pointBoostKpa, pointFuelGs, shiftChannel } from './common.ts';
import type { FaultDefinition } from './types.ts';

// Share of the pump's flow lost at full severity.
const PUMP_FLOW_LOSS = 0.6;

/** A worn pump, clogged filter or weak supply voltage limits fuel flow. */
export const leanUnderBoost: FaultDefinition = {
  kind: 'lean-under-boost',
  subsystem: 'fuel',
  description: 'The fuel pump cannot deliver the flow that high load demands.',
  precursors:
    'Lambda leaner than target at high load, fuel pressure below base plus boost, ' +
    'EGT rising; cruise and idle stay normal.',
  rampS: 20,
  applyToModel(effects, severity) {
    effects.pumpFlowFactor *= 1 - PUMP_FLOW_LOSS * severity;
  },
  superimpose(step) {
    const { point, values, severity, profile } = step;
    const boost = pointBoostKpa(point);
    const battery = finiteOr(values.batteryV ?? NaN, 13.8);
    const share = pumpDeliveryShare(
      profile,
      pointFuelGs(profile, point),
      boost,
      1 - PUMP_FLOW_LOSS * severity,
      battery,
    );
    if (share >= 1) return;

    const lambda = values.lambda;
    if (lambda !== undefined && Number.isFinite(lambda)) {
      values.lambda = Math.min(1.6, lambda / share);
    }
    const base = profile.fuel.basePressureKpa;
    shiftChannel(values, 'fuelPressureKpa', -base * (1 - share * share));

    const lambdaExcess = (1 / share - 1) * finiteOr(lambda ?? NaN, 0.8);
    const mafGs = pointAirflowGs(point);
    const egtRiseC = steadyEgtC(profile, mafGs, lambdaExcess, 0) - steadyEgtC(profile, mafGs, 0, 0);
    shiftChannel(values, 'egtC', egtRiseC);
  },
};

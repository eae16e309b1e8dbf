/**
 * @module Fault of ignition: detonation from low-octane fuel, carbon build-up
 * or a lean cylinder, to which the ECU responds with knock retard.
 */
import { knockBaselineCounts, knockExposure } from '../ignition.ts';
import { finiteOr, shiftChannel } from './common.ts';
import type { FaultDefinition } from './types.ts';

// Extra knock events per second under boost at full severity.
const KNOCK_RATE_HZ = 6;

/** Knock under load, to which the ECU responds with retard. */
export const knock: FaultDefinition = {
  kind: 'knock',
  subsystem: 'ignitionKnock',
  description: 'The engine detonates under load, so the ECU retards the timing.',
  precursors:
    'Knock level spikes and knock retard under boost, lower ignition advance, EGT rising ' +
    'with the retard.',
  rampS: 10,
  applyToModel(effects, severity) {
    effects.extraKnockRateHz += KNOCK_RATE_HZ * severity;
  },
  superimpose(step, state) {
    const { point, values, severity, dtS } = step;
    const rpm = finiteOr(point.rpm, 0);
    const mapKpa = finiteOr(point.mapKpa, 100);
    const exposure = knockExposure(rpm, mapKpa, finiteOr(point.throttlePct, 0));
    const level = state.knock.step(dtS, exposure * KNOCK_RATE_HZ * severity, rpm, state.random);
    const baseline = knockBaselineCounts(rpm);

    const retard = state.knock.retardDeg;
    shiftChannel(values, 'knockLevel', level - baseline);
    shiftChannel(values, 'knockRetardDeg', retard);
    shiftChannel(values, 'ignitionAdvanceDeg', -retard);
    shiftChannel(values, 'egtC', 12 * retard);
  },
};

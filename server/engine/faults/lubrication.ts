/**
 * @module Fault of the lubrication system: oil pressure loss from a worn
 * pump, low oil level or a partly blocked pickup.
 */
import { oilPressureKeptShare } from '../lubrication.ts';
import { finiteOr, scaleChannel } from './common.ts';
import type { FaultDefinition } from './types.ts';

/** Oil pressure below the pump line for the rpm and oil temperature. */
export const oilPressureLoss: FaultDefinition = {
  kind: 'oil-pressure-loss',
  subsystem: 'lubrication',
  description: 'The oil pump delivers less pressure than the rpm and oil temperature call for.',
  precursors:
    'Oil pressure below its rpm-scaled curve at every rpm, deeper drops in long corners ' +
    '(pickup starvation), with normal oil temperature.',
  rampS: 30,
  applyToModel(effects, severity) {
    effects.oilPressureLossShare = Math.max(effects.oilPressureLossShare, severity);
  },
  superimpose(step, state) {
    const { point, values, severity } = step;
    const kept = oilPressureKeptShare(severity, finiteOr(point.lateralG, 0));
    // Pressure flickers as aerated oil reaches the pump.
    const flicker = 1 + 0.03 * severity * state.random.gaussian();
    scaleChannel(values, 'oilPressureKpa', Math.max(0, kept * flicker));
  },
};

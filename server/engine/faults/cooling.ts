/**
 * @module Faults of the cooling system: a thermostat stuck closed or open,
 * a dead radiator fan, and a head gasket leaking combustion gas into the
 * coolant. Superimposers keep a temperature offset that grows with the
 * heat the healthy engine would have rejected and the faulty one cannot.
 */
import {
  combustionHeatKw,
  engineHeatCapacityKjK,
  headGasketSpikeKpa,
  radiatorConductanceKwK,
} from '../cooling.ts';
import { fuelHeatKjG } from '../fuel.ts';
import { clamp, lag } from '../state.ts';
import { finiteOr, pointAirflowGs, pointBoostKpa, pointFuelGs, shiftChannel } from './common.ts';
import type { FaultDefinition, FaultState, SuperimposeStep } from './types.ts';

// Coolant temperature at which the system boils over and stops rising, °C.
const BOIL_OVER_C = 128;
// Minimum thermostat opening at full severity of a stuck-open thermostat.
const STUCK_OPEN_OPENING = 0.85;
// Share of the fuel's heat a fully failed gasket passes into the coolant.
const GASKET_HEAT_SHARE = 0.05;
const GASKET_SPIKE_RATE_HZ = 2;

/**
 * Applies a coolant temperature offset to the step, with oil temperature
 * following at `oilShare` and the pressure rising with temperature.
 */
function applyCoolantOffset(step: SuperimposeStep, offsetC: number, oilShare: number): void {
  shiftChannel(step.values, 'coolantC', offsetC);
  shiftChannel(step.values, 'oilTempC', oilShare * offsetC);
  shiftChannel(step.values, 'coolantPressureKpa', 1.2 * offsetC);
}

/** Returns the temperature rise in °C of the engine from `heatKw` over `dtS`. */
function heatRiseC(heatKw: number, dtS: number): number {
  return (heatKw / engineHeatCapacityKjK()) * dtS;
}

/** Caps an overheating offset at boil-over, stores it and applies it to the step. */
function storeOverheat(
  step: SuperimposeStep,
  state: FaultState,
  offsetC: number,
  healthyC: number,
): void {
  const capped = Math.min(offsetC, Math.max(0, BOIL_OVER_C - healthyC));
  state.memory[0] = capped;
  applyCoolantOffset(step, capped, 0.6);
}

/** Returns the healthy combustion heat into the engine at this step, kW. */
function stepHeatKw(step: SuperimposeStep): number {
  const fuelGs = pointFuelGs(step.profile, step.point);
  return combustionHeatKw(step.profile, fuelGs, pointAirflowGs(step.point));
}

/** A thermostat stuck (partly) closed, so little coolant reaches the radiator. */
export const thermostatStuckClosed: FaultDefinition = {
  kind: 'thermostat-stuck-closed',
  subsystem: 'cooling',
  description: 'The thermostat does not open, so the coolant bypasses the radiator.',
  precursors:
    'Coolant overshoots the thermostat band and keeps rising with load; the fan cannot ' +
    'stop it; oil temperature and coolant pressure follow.',
  rampS: 0.5,
  applyToModel(effects, severity) {
    effects.thermostatBlockedShare = Math.max(effects.thermostatBlockedShare, severity);
  },
  superimpose(step, state) {
    const { point, severity, profile, dtS } = step;
    const healthyC = finiteOr(point.coolantC, profile.cooling.thermostatOpenC);
    let offset = state.memory[0];

    // The heat that the open thermostat let the radiator reject now stays in.
    if (healthyC >= profile.cooling.thermostatOpenC - 2) {
      offset += heatRiseC(severity * stepHeatKw(step), dtS);
    }
    storeOverheat(step, state, lag(offset, 0, 600, dtS), healthyC);
  },
};

/** The thermostat stays open: the engine is over-cooled. */
export const thermostatStuckOpen: FaultDefinition = {
  kind: 'thermostat-stuck-open',
  subsystem: 'cooling',
  description: 'The thermostat does not close, so the radiator over-cools the engine.',
  precursors:
    'Slow warm-up, coolant below the thermostat band at cruise and more so at speed, ' +
    'oil temperature low as well.',
  rampS: 0.5,
  applyToModel(effects, severity) {
    const opening = STUCK_OPEN_OPENING * severity;
    effects.thermostatMinOpening = Math.max(effects.thermostatMinOpening, opening);
  },
  superimpose(step, state) {
    const { point, severity, dtS } = step;
    const ambient = finiteOr(point.ambientC, 20);
    const healthyC = finiteOr(point.coolantC, ambient);
    const speedShare = clamp(finiteOr(point.speedKmh, 0) / 100, 0, 1);

    const target = -severity * Math.max(0, healthyC - ambient) * (0.1 + 0.25 * speedShare);
    state.memory[0] = lag(state.memory[0], target, 180, dtS);
    applyCoolantOffset(step, state.memory[0], 0.7);
  },
};

/** The electric radiator fan does not run (motor, relay or switch). */
export const fanFailure: FaultDefinition = {
  kind: 'fan-failure',
  subsystem: 'cooling',
  description: 'The radiator fan does not run when the coolant passes its switch-on point.',
  precursors:
    'At idle and in slow traffic the coolant passes the fan-on temperature and keeps ' +
    'rising instead of falling back to fan-off; normal at speed.',
  rampS: 0.5,
  applyToModel(effects, severity) {
    effects.fanAirflowLoss = Math.max(effects.fanAirflowLoss, severity);
  },
  superimpose(step, state) {
    const { point, severity, profile, dtS } = step;
    const ambient = finiteOr(point.ambientC, 20);
    const healthyC = finiteOr(point.coolantC, ambient);
    const speed = finiteOr(point.speedKmh, 0);
    let offset = state.memory[0];

    // The healthy fan cycles between its off and on points; half of that
    // time it removes heat that now stays in.
    if (healthyC + offset >= profile.cooling.fanOffC && speed < 60) {
      const fanKwK = radiatorConductanceKwK(speed, 1) - radiatorConductanceKwK(speed, 0);
      offset += heatRiseC(severity * 0.5 * fanKwK * (healthyC - ambient), dtS);
    } else {
      offset = lag(offset, 0, 60, dtS);
    }
    storeOverheat(step, state, offset, healthyC);
  },
};

/** Combustion gas leaks into the coolant past the head gasket under boost. */
export const headGasketLeak: FaultDefinition = {
  kind: 'head-gasket-leak',
  subsystem: 'cooling',
  description: 'Combustion gas leaks into the coolant passages under boost.',
  precursors:
    'Coolant pressure spikes under boost, coolant temperature rising fast under load ' +
    'and recovering slowly at cruise.',
  rampS: 60,
  applyToModel(effects, severity) {
    effects.headGasketHeatShare += GASKET_HEAT_SHARE * severity;
    effects.headGasketSpikeRateHz += GASKET_SPIKE_RATE_HZ * severity;
  },
  superimpose(step, state) {
    const { point, severity, profile, dtS } = step;
    const boost = pointBoostKpa(point);

    // memory[0]: coolant offset, memory[1]: pressure spike.
    let offset = state.memory[0];
    if (boost > 0) {
      const fuelKw = pointFuelGs(profile, point) * fuelHeatKjG(profile);
      offset += heatRiseC(GASKET_HEAT_SHARE * severity * fuelKw, dtS);
    }
    state.memory[0] = lag(offset, 0, 120, dtS);
    state.memory[1] = headGasketSpikeKpa(
      state.memory[1],
      GASKET_SPIKE_RATE_HZ * severity,
      boost,
      state.random,
      dtS,
    );

    applyCoolantOffset(step, state.memory[0], 0.5);
    shiftChannel(step.values, 'coolantPressureKpa', state.memory[1] + 10 * severity);
  },
};

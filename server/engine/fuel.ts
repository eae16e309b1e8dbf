/**
 * @module Fuel system of the mean-value model. The ECU meters fuel for the
 * profile's lambda target through a 1:1 rising-rate regulator and injectors
 * with dead time. The pump's flow falls with rail pressure, and the mixture
 * goes lean when the pump or the injectors run out of flow.
 */
import { lookupMap2D } from '../domain/interpolate.ts';
import type { EngineProfile } from '../domain/profile-types.ts';
import type { FaultEffects } from './faults/types.ts';
import { clamp, lag, type EngineState } from './state.ts';

const DEFAULT_INJECTOR_FLOW_CC_MIN = 550;
const DEFAULT_PUMP_FLOW_LH = 160;
const CYLINDERS = 6;
const INJECTOR_DEAD_TIME_MS = 0.8;
// Lower heating values in kJ/g: pump petrol and E85.
const PETROL_HEAT_KJ_G = 43.4;
const E85_HEAT_KJ_G = 29.2;
// Below this stoichiometric AFR the profile's fuel is taken as an ethanol blend.
const ETHANOL_STOICH_BELOW = 12;

/** True when the profile's fuel is an ethanol blend such as E85. */
export function isEthanolFuel(profile: EngineProfile): boolean {
  return profile.fuel.stoichAfr < ETHANOL_STOICH_BELOW;
}

/** Returns the fuel density in g/cm³. */
export function fuelDensityGcc(profile: EngineProfile): number {
  return isEthanolFuel(profile) ? 0.785 : 0.745;
}

/** Returns the fuel's lower heating value in kJ/g. */
export function fuelHeatKjG(profile: EngineProfile): number {
  return isEthanolFuel(profile) ? E85_HEAT_KJ_G : PETROL_HEAT_KJ_G;
}

/** Returns the fuel mass flow in g/s that the ECU meters for `mafGs` at `lambdaTarget`. */
export function fuelDemandGs(profile: EngineProfile, mafGs: number, lambdaTarget: number): number {
  return mafGs / (profile.fuel.stoichAfr * lambdaTarget);
}

/**
 * Returns the share (0-1] of the demanded fuel that the pump delivers: the
 * pump's flow falls by 30 % per base pressure of boost, scales with supply
 * voltage, and is multiplied by `pumpFlowFactor` for a worn pump.
 */
export function pumpDeliveryShare(
  profile: EngineProfile,
  demandGs: number,
  boostKpa: number,
  pumpFlowFactor: number,
  batteryV: number,
): number {
  const base = profile.fuel.basePressureKpa;
  const pumpFlowLh = profile.fuel.pumpFlowLh ?? DEFAULT_PUMP_FLOW_LH;
  const capacityLh =
    pumpFlowLh *
    pumpFlowFactor *
    (1 - (0.3 * Math.max(0, boostKpa)) / base) *
    clamp(batteryV / 13.5, 0.6, 1.05);
  const demandLh = (demandGs / fuelDensityGcc(profile)) * 3.6;
  return demandLh <= capacityLh ? 1 : capacityLh / demandLh;
}

/**
 * Returns the rail pressure in kPa gauge: base plus manifold pressure 1:1,
 * or, when the pump falls short, what the injectors' flow allows.
 */
export function railPressureKpa(
  profile: EngineProfile,
  boostKpa: number,
  deliveryShare: number,
): number {
  return boostKpa + profile.fuel.basePressureKpa * deliveryShare * deliveryShare;
}

/** Advances the fuel system by `dtS`: lambda target and actual, pressure, duty. */
export function stepFuel(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  dtS: number,
): void {
  state.lambdaTarget = lookupMap2D(profile.lambdaTarget, state.rpm, state.mapKpa);
  const isCut = state.isFuelCut || state.rpm > profile.redlineRpm;
  const demandGs = isCut ? 0 : fuelDemandGs(profile, state.mafGs, state.lambdaTarget);

  const pumpShare = pumpDeliveryShare(
    profile,
    demandGs,
    state.boostKpa,
    effects.pumpFlowFactor,
    state.batteryV,
  );
  const requiredDuty = injectorDutyPct(profile, demandGs, state.rpm);
  const injectorShare = requiredDuty > 100 ? 100 / requiredDuty : 1;
  const deliveredShare = Math.min(pumpShare, injectorShare);

  state.fuelGs = demandGs * deliveredShare;
  state.injectorDutyPct = Math.min(100, requiredDuty);
  const railTarget = railPressureKpa(profile, state.boostKpa, pumpShare);
  state.fuelPressureKpa = lag(state.fuelPressureKpa, railTarget, 0.1, dtS);

  // A wideband reads free air during a fuel cut, so 1.6 represents its lean end.
  const lambdaActual = isCut ? 1.6 : state.lambdaTarget / deliveredShare;
  state.lambda = lag(state.lambda, Math.min(lambdaActual, 1.6), 0.12, dtS);
}

/** Returns the injector duty in % (may exceed 100) for `demandGs` at `rpm`. */
export function injectorDutyPct(profile: EngineProfile, demandGs: number, rpm: number): number {
  if (demandGs <= 0 || rpm <= 0) return 0;
  const flowCcMin = profile.fuel.injectorFlowCcMin ?? DEFAULT_INJECTOR_FLOW_CC_MIN;
  const perInjectorCcMin = ((demandGs / fuelDensityGcc(profile)) * 60) / CYLINDERS;
  const cyclePeriodMs = 120000 / rpm;
  const deadTimePct = (100 * INJECTOR_DEAD_TIME_MS) / cyclePeriodMs;
  return (100 * perInjectorCcMin) / flowCcMin + deadTimePct;
}

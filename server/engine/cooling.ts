/**
 * @module Heat balance of the mean-value model with three lumped nodes:
 * engine metal, coolant and oil. Combustion heat grows with load. A wax
 * thermostat feeds a radiator cooled by road speed and by an electric fan
 * with on/off hysteresis from the profile. An oil-to-coolant cooler couples
 * oil and coolant, and coolant system pressure follows temperature. The
 * metal node stores heat after a pull and soaks it into the coolant at idle.
 */
import type { EngineProfile } from '../domain/profile-types.ts';
import type { FaultEffects } from './faults/types.ts';
import { fuelHeatKjG } from './fuel.ts';
import type { Prng } from './prng.ts';
import { clamp, lag, type EngineState } from './state.ts';

// Heat capacities in kJ/K (estimates for the iron-block 2JZ): metal, 9.5 L of
// coolant, 5.5 L of oil.
const METAL_KJ_K = 60;
const COOLANT_KJ_K = 34;
const OIL_KJ_K = 11;
// Conductances in kW/K between the nodes and to the air (estimates).
const METAL_TO_COOLANT_KW_K = 2.2;
const METAL_TO_OIL_KW_K = 0.25;
const OIL_TO_COOLANT_KW_K = 0.35;
const METAL_TO_AIR_KW_K = 0.03;
// Radiator conductance: natural draught, per km/h of ram air, and the fan.
const RADIATOR_STILL_KW_K = 0.03;
const RADIATOR_PER_KMH_KW_K = 0.011;
const FAN_KW_K = 0.45;
// The thermostat's bypass passes some coolant even when closed.
const THERMOSTAT_BYPASS = 0.04;
// Wax thermostat: full lift about 13 °C above its opening point.
const THERMOSTAT_FULL_LIFT_C = 13;
// Radiator cap relief pressure, kPa gauge (an estimate for a 0.9 bar cap).
const CAP_RELIEF_KPA = 90;

/**
 * Returns the share of the fuel's heat that reaches the engine structure
 * (an estimate): about 38 % at idle, falling to 18 % at full load, when
 * more leaves with the exhaust.
 */
export function coolantHeatShare(mafGs: number): number {
  return 0.38 - 0.2 * clamp(mafGs / 250, 0, 1);
}

/** Returns the combustion heat into the engine structure in kW. */
export function combustionHeatKw(profile: EngineProfile, fuelGs: number, mafGs: number): number {
  return fuelGs * fuelHeatKjG(profile) * coolantHeatShare(mafGs);
}

/** Returns the radiator's conductance in kW/K at this road speed and fan state. */
export function radiatorConductanceKwK(speedKmh: number, fanShare: number): number {
  const ramAir = RADIATOR_PER_KMH_KW_K * Math.min(speedKmh, 120);
  const fanAir = FAN_KW_K * fanShare * (1 - clamp(speedKmh / 80, 0, 1));
  return RADIATOR_STILL_KW_K + ramAir + fanAir;
}

/** Returns the total heat capacity of the engine in kJ/K (for superimposed heat offsets). */
export function engineHeatCapacityKjK(): number {
  return METAL_KJ_K + COOLANT_KJ_K;
}

/** Advances the metal, coolant and oil temperatures and the coolant pressure by `dtS`. */
export function stepCooling(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  random: Prng,
  dtS: number,
): void {
  const ambient = state.ambientC;
  const combustionKw = combustionHeatKw(profile, state.fuelGs, state.mafGs);
  const gasketKw =
    state.boostKpa > 0 ? effects.headGasketHeatShare * state.fuelGs * fuelHeatKjG(profile) : 0;

  updateThermostat(state, profile, effects, dtS);
  const fanShare = state.isFanOn ? 1 - effects.fanAirflowLoss : 0;
  const opening = Math.max(state.thermostatOpening, THERMOSTAT_BYPASS);
  const radiatorKw =
    radiatorConductanceKwK(state.speedKmh, fanShare) * opening * (state.coolantC - ambient);

  const metalToCoolantKw = METAL_TO_COOLANT_KW_K * (state.metalC - state.coolantC);
  const metalToOilKw = METAL_TO_OIL_KW_K * (state.metalC - state.oilTempC);
  const oilToCoolantKw = OIL_TO_COOLANT_KW_K * (state.oilTempC - state.coolantC);
  const metalToAirKw = (METAL_TO_AIR_KW_K + 0.0005 * state.speedKmh) * (state.metalC - ambient);
  const frictionToOilKw = 0.5 * Math.max(0, state.frictionPowerKw);

  const metalNetKw = combustionKw - metalToCoolantKw - metalToOilKw - metalToAirKw;
  state.metalC += (metalNetKw / METAL_KJ_K) * dtS;
  state.coolantC +=
    ((metalToCoolantKw + oilToCoolantKw + gasketKw - radiatorKw) / COOLANT_KJ_K) * dtS;
  state.oilTempC += ((metalToOilKw + frictionToOilKw - oilToCoolantKw) / OIL_KJ_K) * dtS;

  updateFan(state, profile);
  updateCoolantPressure(state, effects, random, dtS);
}

function updateThermostat(
  state: EngineState,
  profile: EngineProfile,
  effects: FaultEffects,
  dtS: number,
): void {
  const aboveOpeningC = state.coolantC - profile.cooling.thermostatOpenC;
  const lift = clamp(aboveOpeningC / THERMOSTAT_FULL_LIFT_C, 0, 1);
  const blocked = lift * (1 - effects.thermostatBlockedShare);
  const target = Math.max(blocked, effects.thermostatMinOpening);
  state.thermostatOpening = lag(state.thermostatOpening, target, 8, dtS);
}

/** Switches the fan on at `fanOnC` and off at `fanOffC` (hysteresis from the profile). */
function updateFan(state: EngineState, profile: EngineProfile): void {
  if (state.coolantC >= profile.cooling.fanOnC) state.isFanOn = true;
  else if (state.coolantC <= profile.cooling.fanOffC) state.isFanOn = false;
}

/**
 * Coolant pressure rises with temperature up to the cap's relief pressure;
 * a head gasket leak adds combustion-gas spikes under boost on top.
 */
function updateCoolantPressure(
  state: EngineState,
  effects: FaultEffects,
  random: Prng,
  dtS: number,
): void {
  const warmShare = clamp((state.coolantC - 25) / 75, 0, 1.3);
  const thermalKpa = Math.min(CAP_RELIEF_KPA, CAP_RELIEF_KPA * Math.pow(warmShare, 1.5));

  state.coolantPressureSpikeKpa = headGasketSpikeKpa(
    state.coolantPressureSpikeKpa,
    effects.headGasketSpikeRateHz,
    state.boostKpa,
    random,
    dtS,
  );
  state.coolantPressureKpa = thermalKpa + state.coolantPressureSpikeKpa;
}

/**
 * Advances the coolant pressure spike of a leaking head gasket: combustion
 * gas enters at `rateHz` while boost is above 15 kPa, each spike 10 kPa plus
 * 30 % of the boost, decaying with a 0.5 s time constant.
 */
export function headGasketSpikeKpa(
  spikeKpa: number,
  rateHz: number,
  boostKpa: number,
  random: Prng,
  dtS: number,
): number {
  const activeRateHz = boostKpa > 15 ? rateHz : 0;
  let next = spikeKpa;
  if (activeRateHz > 0 && random.next() < activeRateHz * dtS) next += 10 + 0.3 * boostKpa;
  return lag(next, 0, 0.5, dtS);
}

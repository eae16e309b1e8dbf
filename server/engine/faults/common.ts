/**
 * @module Helpers that fault superimposers share: changing a recorded
 * channel only when the log has it, and estimating what a log lacks.
 */
import type { ChannelId } from '../../domain/channels.ts';
import { lookupMap2D } from '../../domain/interpolate.ts';
import type { EngineProfile } from '../../domain/profile-types.ts';
import { airflowGs } from '../air.ts';
import { fuelDemandGs } from '../fuel.ts';
import type { ChannelValues, OperatingPoint } from './types.ts';

/** Adds `delta` to a channel the log has; leaves absent channels absent. */
export function shiftChannel(values: ChannelValues, id: ChannelId, delta: number): void {
  const value = values[id];
  if (value !== undefined && Number.isFinite(value)) values[id] = value + delta;
}

/** Multiplies a channel the log has by `factor`. */
export function scaleChannel(values: ChannelValues, id: ChannelId, factor: number): void {
  const value = values[id];
  if (value !== undefined && Number.isFinite(value)) values[id] = value * factor;
}

/** Returns the step's boost in kPa gauge, from MAP and baro when the log has no boost. */
export function pointBoostKpa(point: OperatingPoint): number {
  if (Number.isFinite(point.boostKpa)) return point.boostKpa;
  const baro = Number.isFinite(point.baroKpa) ? point.baroKpa : 101.3;
  return Number.isFinite(point.mapKpa) ? point.mapKpa - baro : 0;
}

/** Returns the step's air flow in g/s, estimated by speed density when the log has no MAF. */
export function pointAirflowGs(point: OperatingPoint): number {
  if (Number.isFinite(point.mafGs)) return point.mafGs;
  const baro = Number.isFinite(point.baroKpa) ? point.baroKpa : 101.3;
  const map = Number.isFinite(point.mapKpa) ? point.mapKpa : baro + pointBoostKpa(point);
  const iat = Number.isFinite(point.iatC) ? point.iatC : 30;
  return Number.isFinite(point.rpm) ? airflowGs(point.rpm, map, iat) : 0;
}

/** Returns the fuel flow in g/s that the ECU meters at this step. */
export function pointFuelGs(profile: EngineProfile, point: OperatingPoint): number {
  const baro = Number.isFinite(point.baroKpa) ? point.baroKpa : 101.3;
  const map = Number.isFinite(point.mapKpa) ? point.mapKpa : baro + pointBoostKpa(point);
  const lambdaTarget = lookupMap2D(profile.lambdaTarget, finiteOr(point.rpm, 0), map);
  return fuelDemandGs(profile, pointAirflowGs(point), lambdaTarget);
}

/** Changes boost and MAP together and scales air flow and load to match. */
export function shiftBoost(values: ChannelValues, point: OperatingPoint, deltaKpa: number): void {
  if (deltaKpa === 0) return;
  const baro = Number.isFinite(point.baroKpa) ? point.baroKpa : 101.3;
  const mapBefore = Number.isFinite(point.mapKpa) ? point.mapKpa : baro + pointBoostKpa(point);
  shiftChannel(values, 'boostKpa', deltaKpa);
  shiftChannel(values, 'mapKpa', deltaKpa);
  const airFactor = Math.max(0.05, (mapBefore + deltaKpa) / Math.max(mapBefore, 1));
  scaleChannel(values, 'mafGs', airFactor);
  scaleChannel(values, 'engineLoadPct', airFactor);
}

/** Returns `value` when finite, else `fallback`. */
export function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** Clamps a channel the log has to [lo, hi]. */
export function clampChannel(values: ChannelValues, id: ChannelId, lo: number, hi: number): void {
  const value = values[id];
  if (value !== undefined && Number.isFinite(value)) values[id] = Math.min(hi, Math.max(lo, value));
}

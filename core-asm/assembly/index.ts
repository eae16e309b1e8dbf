/**
 * DSP core of the monitor: per-channel ring buffers of (time, value) samples,
 * hold-last resampling with staleness, least-squares slope, windowed
 * min/max/mean and an EWMA for irregular sample spacing.
 *
 * It works on channel indices and numbers only. Times are seconds on one clock
 * (f64), values are in whatever unit the caller uses. The module imports
 * nothing from the host, and invalid arguments return an error code, a count
 * of 0 or NaN instead of trapping. Only an allocation that the host's memory
 * cannot grow to (in `init`) traps.
 *
 * This entry module stores samples and resamples; `ring.ts` lays out the
 * memory and `window.ts` computes slopes and window statistics.
 *
 * Samples of one channel must arrive in non-decreasing time. A sample older
 * than the newest stored sample of its channel is dropped and counted
 * (`droppedOutOfOrderCount`), so the buffers and the EWMA never depend on
 * arrival order. A sample with the same time as the newest is appended.
 */

import {
  allocateBuffers,
  batchCapacity,
  batchChannels,
  batchTimes,
  batchValues,
  capacity,
  channelBase,
  channelCount,
  countAtOrBefore,
  ewmaTauS,
  ewmaValues,
  isChannel,
  resampledAgesS,
  resampledStates,
  resampledValues,
  ringCounts,
  ringHeads,
  ringTimes,
  ringValues,
  slotOf,
  staleAfterS,
  statsOut,
  timeAt,
} from './ring';

/** Result of `init`: success. */
export const INIT_OK: i32 = 0;
/** Result of `init`: a size argument is zero, negative or too large. */
export const INIT_INVALID_SIZE: i32 = -1;
/** Result of `init`: the module was already initialised. */
export const INIT_ALREADY_DONE: i32 = -2;

/** Resampled state of a channel: no sample at or before the tick time. */
export const STATE_ABSENT: u8 = 0;
/** Resampled state of a channel: the held sample is within its staleness limit. */
export const STATE_FRESH: u8 = 1;
/** Resampled state of a channel: the held sample is older than its limit. */
export const STATE_STALE: u8 = 2;

// Upper bound of channels x capacity, so the buffers stay well inside the
// 4 GiB address space of wasm32 (2^26 samples x 16 bytes = 1 GiB).
const MAX_STORED_SAMPLES: i64 = 1 << 26;

let droppedOutOfOrder: f64 = 0;
let rejectedInvalid: f64 = 0;

export {
  slope,
  windowCount,
  windowSpanS,
  windowStats,
} from './window';

/**
 * Allocates buffers for `channels` channels of `ringCapacity` samples each
 * and a staging area of `stagingCapacity` samples; returns an INIT_ code.
 */
export function init(
  channels: i32,
  ringCapacity: i32,
  stagingCapacity: i32,
): i32 {
  if (channelCount != 0) return INIT_ALREADY_DONE;
  if (channels <= 0 || ringCapacity <= 0 || stagingCapacity <= 0) {
    return INIT_INVALID_SIZE;
  }
  const stored = <i64>channels * <i64>ringCapacity;
  if (stored > MAX_STORED_SAMPLES || stagingCapacity > 1 << 20) {
    return INIT_INVALID_SIZE;
  }

  allocateBuffers(channels, ringCapacity, stagingCapacity);

  for (let c = 0; c < channels; c++) {
    store<f64>(staleAfterS + (<usize>c << 3), Infinity);
    store<f64>(ewmaTauS + (<usize>c << 3), 1.0);
  }
  reset();
  return INIT_OK;
}

/** Empties every ring buffer and EWMA and zeroes the drop counters. */
export function reset(): void {
  const channels = <usize>channelCount;
  memory.fill(ringHeads, 0, channels << 2);
  memory.fill(ringCounts, 0, channels << 2);
  for (let c: usize = 0; c < channels; c++) {
    store<f64>(ewmaValues + (c << 3), NaN);
  }
  droppedOutOfOrder = 0;
  rejectedInvalid = 0;
}

/** Sets the age in seconds after which a held value is reported stale. */
export function setStaleAfter(channel: i32, seconds: f64): bool {
  if (!isChannel(channel) || !(seconds >= 0)) return false;
  store<f64>(staleAfterS + (<usize>channel << 3), seconds);
  return true;
}

/** Sets the EWMA time constant of a channel in seconds (> 0). */
export function setEwmaTimeConstant(channel: i32, seconds: f64): bool {
  if (!isChannel(channel) || !(seconds > 0) || !isFinite(seconds)) {
    return false;
  }
  store<f64>(ewmaTauS + (<usize>channel << 3), seconds);
  return true;
}

/** Returns the capacity of the staging area in samples. */
export function stagingCapacity(): i32 {
  return batchCapacity;
}

/** Returns the address of the staging channel indices (i32 each). */
export function stagingChannelsPtr(): usize {
  return batchChannels;
}

/** Returns the address of the staging sample times (f64 seconds each). */
export function stagingTimesPtr(): usize {
  return batchTimes;
}

/** Returns the address of the staging sample values (f64 each). */
export function stagingValuesPtr(): usize {
  return batchValues;
}

/** Returns the address of the resampled values (f64 per channel). */
export function resampledValuesPtr(): usize {
  return resampledValues;
}

/** Returns the address of the resampled sample ages (f64 s per channel). */
export function resampledAgesPtr(): usize {
  return resampledAgesS;
}

/** Returns the address of the resampled states (u8 STATE_ per channel). */
export function resampledStatesPtr(): usize {
  return resampledStates;
}

/** Returns the address of the last window statistics: min, max, mean. */
export function statsPtr(): usize {
  return statsOut;
}

/** Returns how many samples were dropped for arriving out of order. */
export function droppedOutOfOrderCount(): f64 {
  return droppedOutOfOrder;
}

/** Returns how many samples were rejected (bad channel, non-finite). */
export function rejectedInvalidCount(): f64 {
  return rejectedInvalid;
}

/** Returns the number of samples stored for a channel (0 if invalid). */
export function storedCount(channel: i32): i32 {
  if (!isChannel(channel)) return 0;
  return load<i32>(ringCounts + (<usize>channel << 2));
}

/** Stores the first `count` staged samples; returns how many were kept. */
export function pushBatch(count: i32): i32 {
  const n = min(max(count, 0), batchCapacity);
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    const offset = <usize>i;
    accepted += <i32>push(
      load<i32>(batchChannels + (offset << 2)),
      load<f64>(batchTimes + (offset << 3)),
      load<f64>(batchValues + (offset << 3)),
    );
  }
  return accepted;
}

/** Stores one sample; returns false when it is rejected or dropped. */
export function push(channel: i32, timeS: f64, value: f64): bool {
  if (!isChannel(channel) || !isFinite(timeS) || !isFinite(value)) {
    rejectedInvalid += 1;
    return false;
  }
  const count = load<i32>(ringCounts + (<usize>channel << 2));
  let newestTimeS: f64 = -Infinity;
  if (count > 0) newestTimeS = timeAt(channel, count - 1);
  if (timeS < newestTimeS) {
    droppedOutOfOrder += 1;
    return false;
  }

  updateEwma(channel, timeS - newestTimeS, value);
  appendToRing(channel, count, timeS, value);
  return true;
}

function appendToRing(channel: i32, count: i32, timeS: f64, value: f64): void {
  const headAddress = ringHeads + (<usize>channel << 2);
  const head = load<i32>(headAddress);
  const slot = channelBase(channel) + <usize>head;
  store<f64>(ringTimes + (slot << 3), timeS);
  store<f64>(ringValues + (slot << 3), value);

  store<i32>(headAddress, head + 1 == capacity ? 0 : head + 1);
  if (count < capacity) {
    store<i32>(ringCounts + (<usize>channel << 2), count + 1);
  }
}

// Treats the new value as held over the gap since the previous sample:
// y += (1 - exp(-dt / tau)) * (x - y), the exact response of a first-order
// lag to a piecewise-constant input. A first sample (dt infinite) sets y = x.
function updateEwma(channel: i32, dtS: f64, value: f64): void {
  const address = ewmaValues + (<usize>channel << 3);
  const previous = load<f64>(address);
  if (isNaN(previous)) {
    store<f64>(address, value);
    return;
  }
  const tauS = load<f64>(ewmaTauS + (<usize>channel << 3));
  const alpha = 1.0 - Math.exp(-dtS / tauS);
  store<f64>(address, previous + alpha * (value - previous));
}

/** Returns the EWMA of a channel, or NaN before its first sample. */
export function ewma(channel: i32): f64 {
  if (!isChannel(channel)) return NaN;
  return load<f64>(ewmaValues + (<usize>channel << 3));
}

/**
 * Writes each channel's value at `timeS` to the resampled areas: the newest
 * sample at or before `timeS`, its age, and a STATE_ code. Stale and absent
 * channels get NaN as value.
 */
export function resample(timeS: f64): void {
  for (let c = 0; c < channelCount; c++) {
    resampleChannel(c, timeS);
  }
}

function resampleChannel(channel: i32, timeS: f64): void {
  const offset = <usize>channel;
  const held = countAtOrBefore(channel, timeS);
  if (held == 0) {
    store<f64>(resampledValues + (offset << 3), NaN);
    store<f64>(resampledAgesS + (offset << 3), NaN);
    store<u8>(resampledStates + offset, STATE_ABSENT);
    return;
  }

  const slot = slotOf(channel, held - 1);
  const ageS = timeS - load<f64>(ringTimes + (slot << 3));
  const isStale = ageS > load<f64>(staleAfterS + (offset << 3));
  const value = isStale ? NaN : load<f64>(ringValues + (slot << 3));
  store<f64>(resampledValues + (offset << 3), value);
  store<f64>(resampledAgesS + (offset << 3), ageS);
  store<u8>(resampledStates + offset, isStale ? STATE_STALE : STATE_FRESH);
}

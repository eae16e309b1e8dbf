/**
 * DSP core of the monitor: per-channel ring buffers of (time, value) samples,
 * hold-last resampling with staleness, least-squares slope, windowed
 * min/max/mean and an EWMA for irregular sample spacing.
 *
 * It works on channel indices and numbers only. Times are seconds on one clock
 * (f64), values are in whatever unit the caller uses. No export throws or
 * imports anything from the host: invalid arguments return an error code, a
 * count of 0 or NaN, so the module instantiates with an empty import object.
 *
 * Samples of one channel must arrive in non-decreasing time. A sample older
 * than the newest stored sample of its channel is dropped and counted
 * (`droppedOutOfOrderCount`), so the buffers and the EWMA never depend on
 * arrival order. A sample with the same time as the newest is appended.
 */

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

let channelCount: i32 = 0;
let capacity: i32 = 0;
let batchCapacity: i32 = 0;

// Ring buffers: channel c owns slots [c * capacity, (c + 1) * capacity).
let ringTimes: usize = 0;
let ringValues: usize = 0;
let ringHeads: usize = 0; // i32 per channel: slot of the next write
let ringCounts: usize = 0; // i32 per channel: stored samples

let staleAfterS: usize = 0; // f64 per channel
let ewmaTauS: usize = 0; // f64 per channel
let ewmaValues: usize = 0; // f64 per channel, NaN before the first sample

// Staging area that the host fills before calling `pushBatch`.
let batchChannels: usize = 0; // i32 per sample
let batchTimes: usize = 0; // f64 per sample
let batchValues: usize = 0; // f64 per sample

// Output areas read by the host.
let resampledValues: usize = 0; // f64 per channel
let resampledAgesS: usize = 0; // f64 per channel
let resampledStates: usize = 0; // u8 per channel
let statsOut: usize = 0; // f64 x 3: min, max, mean

// Sample count and time span (newest minus oldest time) of the samples
// that the last `slope` or `windowStats` call used.
let lastWindowCount: i32 = 0;
let lastWindowSpanS: f64 = NaN;

let droppedOutOfOrder: f64 = 0;
let rejectedInvalid: f64 = 0;

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

  channelCount = channels;
  capacity = ringCapacity;
  batchCapacity = stagingCapacity;
  allocateBuffers(<usize>stored);

  for (let c = 0; c < channels; c++) {
    store<f64>(staleAfterS + (<usize>c << 3), Infinity);
    store<f64>(ewmaTauS + (<usize>c << 3), 1.0);
  }
  reset();
  return INIT_OK;
}

function allocateBuffers(stored: usize): void {
  const channels = <usize>channelCount;
  ringTimes = heap.alloc(stored << 3);
  ringValues = heap.alloc(stored << 3);
  ringHeads = heap.alloc(channels << 2);
  ringCounts = heap.alloc(channels << 2);
  staleAfterS = heap.alloc(channels << 3);
  ewmaTauS = heap.alloc(channels << 3);
  ewmaValues = heap.alloc(channels << 3);

  const staged = <usize>batchCapacity;
  batchChannels = heap.alloc(staged << 2);
  batchTimes = heap.alloc(staged << 3);
  batchValues = heap.alloc(staged << 3);

  resampledValues = heap.alloc(channels << 3);
  resampledAgesS = heap.alloc(channels << 3);
  resampledStates = heap.alloc(channels);
  statsOut = heap.alloc(3 << 3);
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

/** Returns the number of samples the staging area holds. */
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

/** Returns the sample count of the last `slope` or `windowStats` call. */
export function windowCount(): i32 {
  return lastWindowCount;
}

/** Returns the time span in seconds of the last window's samples. */
export function windowSpanS(): f64 {
  return lastWindowSpanS;
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

/**
 * Returns the least-squares slope (value per second) of a channel's samples
 * with time in [timeS - windowS, timeS], or NaN when fewer than two samples
 * with distinct times fall in the window.
 */
export function slope(channel: i32, windowS: f64, timeS: f64): f64 {
  const n = selectWindow(channel, windowS, timeS);
  if (n < 2) return NaN;

  // First pass: means, with times relative to `timeS` so that session
  // times in the tens of thousands of seconds keep their precision.
  sumX = 0;
  sumY = 0;
  addSums(run0Slot, run0Length, timeS);
  addSums(run1Slot, run1Length, timeS);
  const meanY = sumY / n;
  const centreS = timeS + sumX / n;

  // Second pass: centred sums, which avoid the cancellation of the
  // one-pass formula n * Sxy - Sx * Sy.
  sumXX = 0;
  sumXY = 0;
  addCentredMoments(run0Slot, run0Length, centreS, meanY);
  addCentredMoments(run1Slot, run1Length, centreS, meanY);
  return sumXX > 0 ? sumXY / sumXX : NaN;
}

/**
 * Writes min, max and sample mean of a channel's samples with time in
 * [timeS - windowS, timeS] to the stats area; returns the sample count.
 */
export function windowStats(channel: i32, windowS: f64, timeS: f64): i32 {
  store<f64>(statsOut, NaN);
  store<f64>(statsOut + 8, NaN);
  store<f64>(statsOut + 16, NaN);
  const n = selectWindow(channel, windowS, timeS);
  if (n == 0) return 0;

  lowest = Infinity;
  highest = -Infinity;
  sumY = 0;
  addExtremes(run0Slot, run0Length);
  addExtremes(run1Slot, run1Length);
  store<f64>(statsOut, lowest);
  store<f64>(statsOut + 8, highest);
  store<f64>(statsOut + 16, sumY / n);
  return n;
}

// Accumulators of the window passes. Each pass runs over at most two
// contiguous runs of slots, so the inner loops have no wrap-around test.
let sumX: f64 = 0;
let sumY: f64 = 0;
let sumXX: f64 = 0;
let sumXY: f64 = 0;
let lowest: f64 = 0;
let highest: f64 = 0;

// The passes below run two lanes of f64x2 (WebAssembly SIMD) and finish an
// odd last sample in scalar code. Sums therefore add in a different order
// than a plain loop, which changes results only in the last bits.

function addSums(firstSlot: usize, length: i32, originS: f64): void {
  const times = ringTimes + (firstSlot << 3);
  const values = ringValues + (firstSlot << 3);
  const origin = f64x2.splat(originS);
  let x = f64x2.splat(0);
  let y = f64x2.splat(0);
  const pairs = length >> 1;
  for (let i = 0; i < pairs; i++) {
    const offset = <usize>i << 4;
    x = f64x2.add(x, f64x2.sub(v128.load(times + offset), origin));
    y = f64x2.add(y, v128.load(values + offset));
  }
  let lastX: f64 = 0;
  let lastY: f64 = 0;
  if (length & 1) {
    const offset = <usize>(length - 1) << 3;
    lastX = load<f64>(times + offset) - originS;
    lastY = load<f64>(values + offset);
  }
  sumX += f64x2.extract_lane(x, 0) + f64x2.extract_lane(x, 1) + lastX;
  sumY += f64x2.extract_lane(y, 0) + f64x2.extract_lane(y, 1) + lastY;
}

function addCentredMoments(
  firstSlot: usize,
  length: i32,
  centreS: f64,
  meanY: f64,
): void {
  const times = ringTimes + (firstSlot << 3);
  const values = ringValues + (firstSlot << 3);
  const centre = f64x2.splat(centreS);
  const mean = f64x2.splat(meanY);
  let xx = f64x2.splat(0);
  let xy = f64x2.splat(0);
  const pairs = length >> 1;
  for (let i = 0; i < pairs; i++) {
    const offset = <usize>i << 4;
    const dx = f64x2.sub(v128.load(times + offset), centre);
    const dy = f64x2.sub(v128.load(values + offset), mean);
    xx = f64x2.add(xx, f64x2.mul(dx, dx));
    xy = f64x2.add(xy, f64x2.mul(dx, dy));
  }
  let lastXX: f64 = 0;
  let lastXY: f64 = 0;
  if (length & 1) {
    const offset = <usize>(length - 1) << 3;
    const dx = load<f64>(times + offset) - centreS;
    lastXX = dx * dx;
    lastXY = dx * (load<f64>(values + offset) - meanY);
  }
  sumXX += f64x2.extract_lane(xx, 0) + f64x2.extract_lane(xx, 1) + lastXX;
  sumXY += f64x2.extract_lane(xy, 0) + f64x2.extract_lane(xy, 1) + lastXY;
}

function addExtremes(firstSlot: usize, length: i32): void {
  const values = ringValues + (firstSlot << 3);
  let low = f64x2.splat(lowest);
  let high = f64x2.splat(highest);
  let sum = f64x2.splat(0);
  const pairs = length >> 1;
  for (let i = 0; i < pairs; i++) {
    const pair = v128.load(values + (<usize>i << 4));
    low = f64x2.min(low, pair);
    high = f64x2.max(high, pair);
    sum = f64x2.add(sum, pair);
  }
  let last: f64 = 0;
  if (length & 1) {
    last = load<f64>(values + (<usize>(length - 1) << 3));
    low = f64x2.min(low, f64x2.splat(last));
    high = f64x2.max(high, f64x2.splat(last));
  }
  lowest = min(f64x2.extract_lane(low, 0), f64x2.extract_lane(low, 1));
  highest = max(f64x2.extract_lane(high, 0), f64x2.extract_lane(high, 1));
  sumY += f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1) + last;
}

// The window as up to two runs of absolute slots, oldest first.
let run0Slot: usize = 0;
let run0Length: i32 = 0;
let run1Slot: usize = 0;
let run1Length: i32 = 0;

// Selects the samples with time in [timeS - windowS, timeS] as runs,
// records their count and span, and returns the count. Times of a channel
// are sorted, so both ends are found by binary search.
function selectWindow(channel: i32, windowS: f64, timeS: f64): i32 {
  run0Length = 0;
  run1Length = 0;
  recordWindow(0, NaN);
  if (!isChannel(channel) || !(windowS >= 0)) return 0;

  const end = countAtOrBefore(channel, timeS);
  const start = firstAtOrAfter(channel, timeS - windowS, end);
  const n = end - start;
  if (n <= 0) return 0;

  const firstSlot = slotOf(channel, start);
  const slotsToEnd = <i32>(channelBase(channel) + <usize>capacity - firstSlot);
  run0Slot = firstSlot;
  run0Length = min(n, slotsToEnd);
  run1Slot = channelBase(channel);
  run1Length = n - run0Length;
  recordWindow(n, timeAt(channel, end - 1) - timeAt(channel, start));
  return n;
}

@inline
function recordWindow(count: i32, spanS: f64): void {
  lastWindowCount = count;
  lastWindowSpanS = spanS;
}

// Positions below are logical: 0 is the oldest stored sample of a channel
// and count - 1 the newest.

// Returns how many stored samples have time <= timeS.
function countAtOrBefore(channel: i32, timeS: f64): i32 {
  const count = load<i32>(ringCounts + (<usize>channel << 2));
  if (count == 0 || timeAt(channel, count - 1) <= timeS) return count;

  // Samples after `timeS` exist when a batch runs ahead of the tick clock.
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeAt(channel, middle) <= timeS) low = middle + 1;
    else high = middle;
  }
  return low;
}

// Returns the first position before `end` with time >= startS, else `end`.
function firstAtOrAfter(channel: i32, startS: f64, end: i32): i32 {
  let low = 0;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (timeAt(channel, middle) < startS) low = middle + 1;
    else high = middle;
  }
  return low;
}

@inline
function timeAt(channel: i32, position: i32): f64 {
  return load<f64>(ringTimes + (slotOf(channel, position) << 3));
}

// Returns the absolute slot of a logical position.
function slotOf(channel: i32, position: i32): usize {
  const head = load<i32>(ringHeads + (<usize>channel << 2));
  const count = load<i32>(ringCounts + (<usize>channel << 2));
  let relative = head - count + position;
  if (relative < 0) relative += capacity;
  return channelBase(channel) + <usize>relative;
}

@inline
function channelBase(channel: i32): usize {
  return <usize>channel * <usize>capacity;
}

@inline
function isChannel(channel: i32): bool {
  return channel >= 0 && channel < channelCount;
}

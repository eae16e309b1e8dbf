/**
 * Windowed statistics of the DSP core: least-squares slope and min, max
 * and mean over the samples of a channel in [timeS - windowS, timeS].
 */
import {
  capacity,
  channelBase,
  countAtOrBefore,
  isChannel,
  ringTimes,
  ringValues,
  slotOf,
  statsOut,
  timeAt,
} from './ring';

// Sample count and time span (newest minus oldest time) of the samples
// that the last `slope` or `windowStats` call used.
let lastWindowCount: i32 = 0;
let lastWindowSpanS: f64 = NaN;

/** Returns the sample count of the last `slope` or `windowStats` call. */
export function windowCount(): i32 {
  return lastWindowCount;
}

/** Returns the time span in seconds of the last window's samples. */
export function windowSpanS(): f64 {
  return lastWindowSpanS;
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

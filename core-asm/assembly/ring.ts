/**
 * Memory layout of the DSP core: sizes, the addresses of every buffer, and
 * the mapping of a channel's logical sample positions onto ring slots.
 * `index.ts` allocates it once in `init`; other modules only read it.
 */

export let channelCount: i32 = 0;
export let capacity: i32 = 0;
export let batchCapacity: i32 = 0;

// Ring buffers: channel c owns slots [c * capacity, (c + 1) * capacity).
export let ringTimes: usize = 0;
export let ringValues: usize = 0;
export let ringHeads: usize = 0; // i32 per channel: slot of the next write
export let ringCounts: usize = 0; // i32 per channel: stored samples

export let staleAfterS: usize = 0; // f64 per channel
export let ewmaTauS: usize = 0; // f64 per channel
export let ewmaValues: usize = 0; // f64 per channel, NaN before the first sample

// Staging area that the host fills before calling `pushBatch`.
export let batchChannels: usize = 0; // i32 per sample
export let batchTimes: usize = 0; // f64 per sample
export let batchValues: usize = 0; // f64 per sample

// Output areas read by the host.
export let resampledValues: usize = 0; // f64 per channel
export let resampledAgesS: usize = 0; // f64 per channel
export let resampledStates: usize = 0; // u8 per channel
export let statsOut: usize = 0; // f64 x 3: min, max, mean

/** Allocates every buffer for the given sizes; the caller checks them. */
export function allocateBuffers(
  channels: i32,
  ringCapacity: i32,
  stagingCapacity: i32,
): void {
  channelCount = channels;
  capacity = ringCapacity;
  batchCapacity = stagingCapacity;

  const channelTotal = <usize>channels;
  const stored = channelTotal * <usize>ringCapacity;
  ringTimes = heap.alloc(stored << 3);
  ringValues = heap.alloc(stored << 3);
  ringHeads = heap.alloc(channelTotal << 2);
  ringCounts = heap.alloc(channelTotal << 2);
  staleAfterS = heap.alloc(channelTotal << 3);
  ewmaTauS = heap.alloc(channelTotal << 3);
  ewmaValues = heap.alloc(channelTotal << 3);

  const staged = <usize>batchCapacity;
  batchChannels = heap.alloc(staged << 2);
  batchTimes = heap.alloc(staged << 3);
  batchValues = heap.alloc(staged << 3);

  resampledValues = heap.alloc(channelTotal << 3);
  resampledAgesS = heap.alloc(channelTotal << 3);
  resampledStates = heap.alloc(channelTotal);
  statsOut = heap.alloc(3 << 3);
}

// Positions below are logical: 0 is the oldest stored sample of a channel
// and count - 1 the newest.

/** Returns how many stored samples of a channel have time <= timeS. */
export function countAtOrBefore(channel: i32, timeS: f64): i32 {
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

/** Returns the time of a logical position. */
@inline
export function timeAt(channel: i32, position: i32): f64 {
  return load<f64>(ringTimes + (slotOf(channel, position) << 3));
}

/** Returns the absolute slot of a logical position. */
export function slotOf(channel: i32, position: i32): usize {
  const head = load<i32>(ringHeads + (<usize>channel << 2));
  const count = load<i32>(ringCounts + (<usize>channel << 2));
  let relative = head - count + position;
  if (relative < 0) relative += capacity;
  return channelBase(channel) + <usize>relative;
}

/** Returns the first slot of a channel. */
@inline
export function channelBase(channel: i32): usize {
  return <usize>channel * <usize>capacity;
}

/** Returns true for a valid channel index. */
@inline
export function isChannel(channel: i32): bool {
  return channel >= 0 && channel < channelCount;
}

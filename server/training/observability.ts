/**
 * @module Decides whether an injected fault ever showed in the data. It
 * compares the faulted drive with the same drive without the fault (the same
 * simulation seed, or the original real log) and finds when a monitored
 * channel first differed by more than its noise for two seconds. No monitor
 * can detect a fault that never shows, such as a boost leak on a drive that
 * never opens the throttle, so those cases are reported apart.
 */
import type { ChannelId } from '../domain/channels.ts';
import type { TickFrames } from './frames.ts';

/** Differences that count as visible, in each channel's unit. */
const VISIBLE_DIFFERENCE: Readonly<Partial<Record<ChannelId, number>>> = {
  boostKpa: 5,
  lambda: 0.03,
  fuelPressureKpa: 15,
  coolantC: 2,
  coolantPressureKpa: 10,
  oilPressureKpa: 30,
  knockRetardDeg: 1,
  knockLevel: 5,
};
const VISIBLE_FOR_S = 2;

/** Returns seconds after `onsetS` at which the fault became visible, or null if it never did. */
export function visibleAfterS(faulted: TickFrames, healthy: TickFrames, onsetS: number): number | null {
  const ticks = Math.min(faulted.timeS.length, healthy.timeS.length);
  let visibleSinceS = NaN;
  for (let i = 0; i < ticks; i++) {
    const timeS = faulted.timeS[i];
    if (timeS < onsetS) continue;
    if (!isDifferent(faulted, healthy, i)) {
      visibleSinceS = NaN;
      continue;
    }
    if (Number.isNaN(visibleSinceS)) visibleSinceS = timeS;
    if (timeS - visibleSinceS >= VISIBLE_FOR_S) return visibleSinceS - onsetS;
  }
  return null;
}

function isDifferent(faulted: TickFrames, healthy: TickFrames, i: number): boolean {
  for (const [id, limit] of Object.entries(VISIBLE_DIFFERENCE)) {
    const a = faulted.channels[id as ChannelId]?.[i];
    const b = healthy.channels[id as ChannelId]?.[i];
    if (a !== undefined && b !== undefined && Math.abs(a - b) > limit!) return true;
  }
  return false;
}

/**
 * @module Builds resampled-frame values for pipeline tests from a record of
 * channel values; channels left out are NaN (absent or stale).
 */
import { CHANNEL_IDS, type ChannelId, channelIndex } from '../../server/domain/channels.ts';

/** Returns a frame whose `value` array contains the given channel values. */
export function frameOf(values: Partial<Record<ChannelId, number>>): {
  value: Float64Array;
} {
  const value = new Float64Array(CHANNEL_IDS.length).fill(Number.NaN);
  for (const [id, v] of Object.entries(values)) {
    value[channelIndex(id as ChannelId)] = v;
  }
  return { value };
}

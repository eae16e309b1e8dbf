/**
 * @module Names the chart series of a tick and appends a tick to a
 * `SeriesHistory`: channel values under their channel id, derived metrics
 * under `derived.<id>`. A stale channel is stored as NaN, a gap in its chart,
 * and so is a jump in time longer than `MAX_JOINED_GAP_S`.
 */
import { TICK_HZ, type DerivedId, type TickMessage } from '../../server/protocol.ts';
import type { SeriesHistory } from './series-history.ts';

/**
 * Longest jump in session time, in seconds, that charts still join with a
 * line. A longer one, such as a reconnect, gets an empty row so the line
 * breaks. It spans about 12 ticks, so a few ticks dropped for a slow client
 * do not break the line.
 */
export const MAX_JOINED_GAP_S = 0.5;

/** Returns the series key of a derived metric. */
export function derivedKey(id: DerivedId): string {
  return `derived.${id}`;
}

/**
 * Appends a tick to the history. A session time that went backwards, as
 * after a server restart or a replay starting over, clears the history first.
 */
export function appendTick(history: SeriesHistory, tick: TickMessage): void {
  const latestS = history.latestTimeS();
  if (history.length > 0 && !(tick.timeS > latestS)) history.clear();
  if (tick.timeS - latestS > MAX_JOINED_GAP_S) {
    history.append(latestS + 1 / TICK_HZ, []);
  }
  history.append(tick.timeS, tickValues(tick));
}

function* tickValues(tick: TickMessage): Generator<readonly [string, number]> {
  for (const [id, reading] of Object.entries(tick.channels)) {
    yield [id, reading.value ?? Number.NaN];
  }
  for (const [id, value] of Object.entries(tick.derived)) {
    yield [derivedKey(id as DerivedId), value ?? Number.NaN];
  }
}

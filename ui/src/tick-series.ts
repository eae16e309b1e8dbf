/**
 * @module Names the chart series of a tick and appends a tick to a
 * `SeriesHistory`: channel values under their channel id, derived metrics
 * under `derived.<id>`. A stale channel is stored as NaN, a gap in its chart.
 */
import type { DerivedId, TickMessage } from '../../server/protocol.ts';
import type { SeriesHistory } from './series-history.ts';

/** Returns the series key of a derived metric. */
export function derivedKey(id: DerivedId): string {
  return `derived.${id}`;
}

/**
 * Appends a tick to the history. A session time that went backwards, as
 * after a server restart or a replay starting over, clears the history first.
 */
export function appendTick(history: SeriesHistory, tick: TickMessage): void {
  if (history.length > 0 && !(tick.timeS > history.latestTimeS())) history.clear();
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

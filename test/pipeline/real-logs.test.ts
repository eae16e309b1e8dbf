import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore, ResampledFrame } from '../../server/core/dsp.ts';
import { type ChannelId, channelSpec } from '../../server/domain/channels.ts';
import { lookupMap2D } from '../../server/domain/interpolate.ts';
import type { Sample } from '../../server/domain/sample.ts';
import {
  BOOST_GRADIENT_WINDOW_S,
  COOLANT_RISE_WINDOW_S,
  computeDerived,
  MIN_WINDOW_COVERAGE,
  OIL_SWING_WINDOW_S,
} from '../../server/pipeline/derived.ts';
import { LimitEvaluator } from '../../server/pipeline/limits.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import type { DerivedId } from '../../server/protocol.ts';
import { parseLogFile } from '../../server/sources/replay/formats.ts';
import {
  buildRecording,
  type Recording,
  type RecordedChannel,
} from '../../server/sources/replay/recording.ts';
import { sharedDataFile } from '../support/shared-data.ts';
import { loadTestCore } from '../core/load-core.ts';

const TICK_S = 1 / 23.6;
const PROFILE = bundledProfile('stock-twin')!;

interface TickResult {
  readonly timeS: number;
  readonly frame: ResampledFrame;
  readonly derived: Partial<Record<DerivedId, number>>;
}

async function loadRecording(relativePath: string): Promise<Recording | null> {
  const path = sharedDataFile(relativePath);
  if (path === null) return null;
  const bytes = new Uint8Array(await Bun.file(path).arrayBuffer());
  return buildRecording(parseLogFile(bytes, path.split('/').pop()!));
}

// Replays a recording tick by tick as the pipeline does and calls `onTick`
// with the DSP results of every tick.
function replay(
  core: DspCore,
  recording: Recording,
  onTick: (tick: TickResult) => void,
): void {
  core.reset();
  const limits = new LimitEvaluator(PROFILE);
  const cursors = recording.channels.map(() => 0);
  for (let timeS = 0; timeS <= recording.durationS + 1; timeS += TICK_S) {
    const batch: Sample[] = [];
    recording.channels.forEach((channel, i) => {
      while (cursors[i] < channel.timesS.length && channel.timesS[cursors[i]] <= timeS) {
        batch.push({
          channel: channel.id,
          timeS: channel.timesS[cursors[i]],
          value: channel.values[cursors[i]],
        });
        cursors[i] += 1;
      }
    });
    core.push(batch);
    const frame = core.resample(timeS);
    const derived = computeDerived(core, frame, PROFILE, timeS);
    limits.evaluate(frame, timeS);
    onTick({ timeS, frame, derived });
  }
}

function channelOf(recording: Recording, id: ChannelId): RecordedChannel {
  const channel = recording.channels.find((c) => c.id === id);
  if (channel === undefined) throw new Error(`recording lacks ${id}`);
  return channel;
}

// Reference hold-last with staleness, by linear scan of the recording.
function referenceHeld(channel: RecordedChannel, timeS: number): number | null {
  let last = -1;
  for (let i = 0; i < channel.timesS.length && channel.timesS[i] <= timeS; i++) last = i;
  if (last < 0) return null;
  const ageS = timeS - channel.timesS[last];
  return ageS > channelSpec(channel.id).staleAfterS ? null : channel.values[last];
}

// Reference windowed points, by linear scan of the recording.
function referenceWindow(channel: RecordedChannel, windowS: number, timeS: number) {
  const times: number[] = [];
  const values: number[] = [];
  channel.timesS.forEach((t, i) => {
    if (t >= timeS - windowS && t <= timeS) {
      times.push(t);
      values.push(channel.values[i]);
    }
  });
  const spanS = times.length > 0 ? times[times.length - 1] - times[0] : 0;
  const isCovered = times.length >= 2 && spanS >= MIN_WINDOW_COVERAGE * windowS;
  return { times, values, isCovered };
}

function referenceSlope(channel: RecordedChannel, windowS: number, timeS: number) {
  if (referenceHeld(channel, timeS) === null) return null;
  const { times, values, isCovered } = referenceWindow(channel, windowS, timeS);
  if (!isCovered) return null;
  const n = times.length;
  const meanT = times.reduce((a, b) => a + b, 0) / n;
  const meanV = values.reduce((a, b) => a + b, 0) / n;
  let stt = 0;
  let stv = 0;
  for (let i = 0; i < n; i++) {
    stt += (times[i] - meanT) ** 2;
    stv += (times[i] - meanT) * (values[i] - meanV);
  }
  return stt > 0 ? stv / stt : null;
}

// Expects a derived value to equal the reference, absent where it is null.
function expectMatch(actual: number | undefined, expected: number | null, digits: number) {
  if (expected === null) {
    expect(actual).toBeUndefined();
  } else {
    expect(actual).toBeDefined();
    expect(actual!).toBeCloseTo(expected, digits);
  }
}

describe('derived metrics on real logs', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore();
  });

  test('Speeduino log matches reference', async () => {
    const recording = await loadRecording('logs/ecu/long.mlg');
    if (recording === null) return;
    const coolant = channelOf(recording, 'coolantC');
    const boost = channelOf(recording, 'boostKpa');
    const lambda = channelOf(recording, 'lambda');
    const rpm = channelOf(recording, 'rpm');
    const map = channelOf(recording, 'mapKpa');
    let checked = 0;
    let tick = 0;

    replay(core, recording, ({ timeS, derived }) => {
      for (const value of Object.values(derived)) expect(Number.isFinite(value)).toBe(true);
      tick += 1;
      if (tick % 400 !== 0) return;

      checked += 1;
      const coolantRate = referenceSlope(coolant, COOLANT_RISE_WINDOW_S, timeS);
      const boostRate = referenceSlope(boost, BOOST_GRADIENT_WINDOW_S, timeS);
      expectMatch(derived.coolantRiseRate, coolantRate, 9);
      expectMatch(derived.boostGradient, boostRate, 6);

      const held = [lambda, rpm, map].map((c) => referenceHeld(c, timeS));
      const afr = held.includes(null)
        ? null
        : held[0]! - lookupMap2D(PROFILE.lambdaTarget, held[1]!, held[2]!);
      expectMatch(derived.afrDelta, afr, 12);
    });

    expect(checked).toBeGreaterThan(150);
    expect(core.counters().droppedOutOfOrder).toBe(0);
    expect(core.counters().rejectedInvalid).toBe(0);
  });

  test('Speeduino log gap leaves metrics absent', async () => {
    const recording = await loadRecording('logs/ecu/long.mlg');
    if (recording === null) return;
    const longest = [...recording.gaps].sort(
      (a, b) => b.endS - b.startS - (a.endS - a.startS),
    )[0];
    const inGap: TickResult[] = [];

    replay(core, recording, (result) => {
      if (result.timeS > longest.startS + 30 && result.timeS < longest.endS) {
        inGap.push(result);
      }
    });

    expect(inGap.length).toBeGreaterThan(1000);
    for (const { derived, frame } of inGap) {
      expect(derived).toEqual({});
      expect(frame.value.every((v) => Number.isNaN(v))).toBe(true);
    }
  });

  test('OBD drive with shared timestamps keeps every sample', async () => {
    const recording = await loadRecording('logs/obd/drive1.csv');
    if (recording === null) return;
    const coolant = channelOf(recording, 'coolantC');
    const rates: (number | undefined)[] = [];
    const expected: (number | null)[] = [];
    let tick = 0;

    replay(core, recording, ({ timeS, derived }) => {
      tick += 1;
      if (tick % 100 !== 0) return;
      rates.push(derived.coolantRiseRate);
      expected.push(referenceSlope(coolant, COOLANT_RISE_WINDOW_S, timeS));
    });

    expect(core.counters().droppedOutOfOrder).toBe(0);
    expect(core.storedCount('coolantC')).toBe(Math.min(coolant.timesS.length, 4096));
    expect(expected.filter((r) => r !== null).length).toBeGreaterThan(100);
    rates.forEach((rate, i) => expectMatch(rate, expected[i], 9));
  });

  test('Haltech log gives the oil temperature swing', async () => {
    const recording = await loadRecording('logs/ecu/haltech-nsp-2025-07-18.csv');
    if (recording === null) return;
    const oil = channelOf(recording, 'oilTempC');
    let last: TickResult | null = null;

    replay(core, recording, (result) => {
      if (result.timeS <= recording.durationS) last = result;
    });

    const { values } = referenceWindow(oil, OIL_SWING_WINDOW_S, last!.timeS);
    expectMatch(
      last!.derived.oilTempSwing,
      Math.max(...values) - Math.min(...values),
      12,
    );
  });
});

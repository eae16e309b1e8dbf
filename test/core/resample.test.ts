import { beforeAll, describe, expect, test } from 'bun:test';
import type { DspCore } from '../../server/core/dsp.ts';
import { channelIndex, channelSpec } from '../../server/domain/channels.ts';
import { loadTestCore } from './load-core.ts';

const RPM = channelIndex('rpm');
const COOLANT = channelIndex('coolantC');

describe('resample', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore();
  });

  test('step holds the last value', () => {
    core.reset();
    core.push([
      { channel: 'rpm', timeS: 1, value: 1000 },
      { channel: 'rpm', timeS: 2, value: 3000 },
    ]);

    expect(core.resample(1.5).value[RPM]).toBe(1000);
    expect(core.resample(1.999).value[RPM]).toBe(1000);
    expect(core.resample(2).value[RPM]).toBe(3000);
    expect(core.resample(2.4).ageS[RPM]).toBeCloseTo(0.4, 12);
  });

  test('value beyond the staleness limit is stale', () => {
    core.reset();
    const limitS = channelSpec('rpm').staleAfterS;
    core.push([{ channel: 'rpm', timeS: 10, value: 2500 }]);

    const atLimit = core.resample(10 + limitS);
    expect(atLimit.value[RPM]).toBe(2500);
    expect(atLimit.isStale[RPM]).toBe(0);

    const past = core.resample(10 + limitS + 0.01);
    expect(past.value[RPM]).toBeNaN();
    expect(past.isStale[RPM]).toBe(1);
    expect(past.isPresent[RPM]).toBe(1);
  });

  test('new sample after staleness is fresh again', () => {
    core.reset();
    core.push([{ channel: 'rpm', timeS: 0, value: 800 }]);
    expect(core.resample(5).isStale[RPM]).toBe(1);

    core.push([{ channel: 'rpm', timeS: 5.5, value: 900 }]);
    const frame = core.resample(6);
    expect(frame.isStale[RPM]).toBe(0);
    expect(frame.value[RPM]).toBe(900);
  });

  test('channel never seen is absent', () => {
    core.reset();
    core.push([{ channel: 'rpm', timeS: 0, value: 800 }]);
    const frame = core.resample(0.5);

    expect(frame.isPresent[COOLANT]).toBe(0);
    expect(frame.isStale[COOLANT]).toBe(0);
    expect(frame.value[COOLANT]).toBeNaN();
    expect(frame.ageS[COOLANT]).toBeNaN();
  });

  test('channel seen only after the tick is absent', () => {
    core.reset();
    core.push([{ channel: 'coolantC', timeS: 3, value: 85 }]);

    expect(core.resample(2.9).isPresent[COOLANT]).toBe(0);
    expect(core.resample(3).isPresent[COOLANT]).toBe(1);
  });

  test('staleness limit can be overridden', async () => {
    const quick = await loadTestCore({ staleAfterS: { coolantC: 0.25 } });
    quick.push([{ channel: 'coolantC', timeS: 0, value: 90 }]);

    expect(quick.resample(0.25).isStale[COOLANT]).toBe(0);
    expect(quick.resample(0.3).isStale[COOLANT]).toBe(1);
  });

  test('frame arrays are copies', () => {
    core.reset();
    core.push([{ channel: 'rpm', timeS: 0, value: 800 }]);
    const first = core.resample(0);
    core.push([{ channel: 'rpm', timeS: 0.1, value: 5000 }]);
    core.resample(0.1);

    expect(first.value[RPM]).toBe(800);
    expect(first.timeS).toBe(0);
  });
});

describe('push ordering and validation', () => {
  let core: DspCore;

  beforeAll(async () => {
    core = await loadTestCore({ stagingCapacity: 4 });
  });

  test('older sample is dropped and counted', () => {
    core.reset();
    const kept = core.push([
      { channel: 'rpm', timeS: 2, value: 2000 },
      { channel: 'rpm', timeS: 1, value: 1000 },
      { channel: 'coolantC', timeS: 1, value: 80 },
    ]);

    expect(kept).toBe(2);
    expect(core.counters().droppedOutOfOrder).toBe(1);
    expect(core.storedCount('rpm')).toBe(1);
    expect(core.resample(2).value[RPM]).toBe(2000);
  });

  test('sample at the same time is kept', () => {
    core.reset();
    core.push([
      { channel: 'rpm', timeS: 1, value: 1000 },
      { channel: 'rpm', timeS: 1, value: 1100 },
    ]);

    expect(core.storedCount('rpm')).toBe(2);
    expect(core.resample(1).value[RPM]).toBe(1100);
  });

  test('invalid samples are rejected and counted', () => {
    core.reset();
    const kept = core.push([
      { channel: 'rpm', timeS: Number.NaN, value: 1000 },
      { channel: 'rpm', timeS: 1, value: Number.POSITIVE_INFINITY },
      { channel: 'notAChannel' as 'rpm', timeS: 1, value: 1 },
      { channel: 'rpm', timeS: 1, value: 900 },
    ]);

    expect(kept).toBe(1);
    expect(core.counters().rejectedInvalid).toBe(2);
    expect(core.counters().rejectedUnknownChannel).toBe(1);
    expect(core.counters().accepted).toBe(1);
  });

  test('batch larger than staging area is stored whole', () => {
    core.reset();
    const batch = Array.from({ length: 10 }, (_, i) => ({
      channel: 'rpm' as const,
      timeS: i,
      value: i * 100,
    }));

    expect(core.push(batch)).toBe(10);
    expect(core.storedCount('rpm')).toBe(10);
    expect(core.windowStats('rpm', 100, 9)?.count).toBe(10);
  });

  test('reset empties buffers and counters', () => {
    core.push([{ channel: 'rpm', timeS: -5, value: 1 }]);
    core.reset();

    expect(core.storedCount('rpm')).toBe(0);
    expect(core.counters().droppedOutOfOrder).toBe(0);
    expect(core.resample(100).isPresent[RPM]).toBe(0);
    expect(core.ewma('rpm')).toBeNull();
  });
});

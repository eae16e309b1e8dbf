import { describe, expect, test } from 'bun:test';
import {
  AnomalyDetectorBank,
  detectorOptionsForRate,
} from '../../server/anomaly/channel-bank.ts';
import { StreamingAnomalyDetector } from '../../server/anomaly/detector.ts';

function wave(i: number, channel: number): number {
  return Math.sin(i * 0.37 + channel) + 0.3 * Math.cos(i * 1.91 * (channel + 1));
}

describe('anomaly detector bank', () => {
  test('channels score like separate detectors', () => {
    const bank = new AnomalyDetectorBank({ warmUpSamples: 10 });
    const separate = [0, 1].map(() => new StreamingAnomalyDetector({ warmUpSamples: 10 }));
    for (let i = 0; i < 2000; i++) {
      const oilPressureKpa = wave(i, 0) + (i > 1500 ? 6 : 0);
      const coolantTempC = wave(i, 1);
      const scores = bank.update({ oilPressureKpa, coolantTempC });
      expect(scores.oilPressureKpa).toBe(separate[0].update(oilPressureKpa));
      expect(scores.coolantTempC).toBe(separate[1].update(coolantTempC));
    }
    expect(bank.channels).toEqual(['oilPressureKpa', 'coolantTempC']);
  });

  test('absent channel keeps its state', () => {
    const bank = new AnomalyDetectorBank();
    const reference = new StreamingAnomalyDetector();
    for (let i = 0; i < 500; i++) {
      const scores = bank.update(i % 3 === 0 ? { boostKpa: 1 } : { boostKpa: wave(i, 0), rpm: 1 });
      const expected = reference.update(i % 3 === 0 ? 1 : wave(i, 0));
      expect(scores.boostKpa).toBe(expected);
      if (i % 3 === 0) expect(scores.rpm).toBeUndefined();
    }
  });

  test('rejects channels beyond the cap', () => {
    const bank = new AnomalyDetectorBank({}, 2);
    bank.update({ a: 1, b: 2 });
    expect(() => bank.update({ a: 1, c: 3 })).toThrow('limited to 2 channels');
    expect(bank.channels).toEqual(['a', 'b']);
    bank.reset('b');
    expect(bank.update({ c: 3 }).c).toBe(0);
    expect(bank.channels).toEqual(['a', 'c']);
  });

  test('rejects invalid options at construction', () => {
    expect(() => new AnomalyDetectorBank({ scalesSamples: [] })).toThrow('at least one scale');
  });
});

describe('detector options for a rate', () => {
  test('converts seconds to samples', () => {
    const options = detectorOptionsForRate(23.6, {
      scalesS: [0.04, 0.5, 5],
      baselineMemoryS: 600,
      tailMemoryS: 600,
      warmUpS: 30,
      suppressionS: 10,
    });
    expect(options.scalesSamples).toEqual([1, 12, 118]);
    expect(options.baselineMemorySamples).toBe(14_160);
    expect(options.tailMemorySamples).toBe(14_160);
    expect(options.warmUpSamples).toBe(708);
    expect(options.suppressionSamples).toBe(236);
  });

  test('rejects a non-positive rate', () => {
    const times = { scalesS: [1], baselineMemoryS: 1, tailMemoryS: 1, warmUpS: 0, suppressionS: 1 };
    expect(() => detectorOptionsForRate(0, times)).toThrow('positive number of Hz, got 0');
  });
});

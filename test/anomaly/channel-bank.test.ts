import { describe, expect, test } from 'bun:test';
import {
  AnomalyDetectorBank,
  detectorOptionsForRate,
  MONITOR_ALARM_SCORE,
  monitorDetectorOptions,
} from '../../server/anomaly/channel-bank.ts';
import { StreamingAnomalyDetector } from '../../server/anomaly/detector.ts';
import { gaussianNoise } from './gaussian-noise.ts';

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
      tailDelayS: 5,
    });
    expect(options.scalesSamples).toEqual([1, 12, 118]);
    expect(options.baselineMemorySamples).toBe(14_160);
    expect(options.tailMemorySamples).toBe(14_160);
    expect(options.warmUpSamples).toBe(708);
    expect(options.suppressionSamples).toBe(236);
    expect(options.tailDelaySamples).toBe(118);
    expect(options.baselineWarmUpSamples).toBe(708);
  });

  test('rejects a non-positive rate', () => {
    const times = {
      scalesS: [1],
      baselineMemoryS: 1,
      tailMemoryS: 1,
      warmUpS: 0,
      suppressionS: 1,
      tailDelayS: 0,
    };
    expect(() => detectorOptionsForRate(0, times)).toThrow('positive number of Hz, got 0');
  });
});

describe('monitor detector settings', () => {
  const RATE_HZ = 23.6;

  function secondsToAlarm(values: Float64Array, fromSample: number): number {
    const detector = new StreamingAnomalyDetector(monitorDetectorOptions(RATE_HZ));
    for (let i = 0; i < values.length; i++) {
      const score = detector.update(values[i]);
      if (i >= fromSample && score >= MONITOR_ALARM_SCORE) return (i - fromSample) / RATE_HZ;
    }
    return Number.POSITIVE_INFINITY;
  }

  const warmSamples = Math.round(15 * 60 * RATE_HZ);

  test('no alarm on 30 minutes of noise', () => {
    const values = gaussianNoise(7, Math.round(30 * 60 * RATE_HZ));
    expect(secondsToAlarm(values, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  test('alarms on a 2 sigma step within 5 s', () => {
    const values = gaussianNoise(8, warmSamples + 1000);
    for (let i = warmSamples; i < values.length; i++) values[i] += 2;
    expect(secondsToAlarm(values, warmSamples)).toBeLessThanOrEqual(5);
  });

  test('alarms on a slow drift within 60 s', () => {
    // The drift climbs by 1 standard deviation per minute.
    const values = gaussianNoise(9, warmSamples + Math.round(120 * RATE_HZ));
    for (let i = warmSamples; i < values.length; i++) {
      values[i] += (i - warmSamples) / (60 * RATE_HZ);
    }
    expect(secondsToAlarm(values, warmSamples)).toBeLessThanOrEqual(60);
  });
});

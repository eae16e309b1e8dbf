import { describe, expect, test } from 'bun:test';
import { DEFAULT_SCHEDULER_OPTIONS, expectedCanFrames, PollScheduler } from '../../../server/sources/obd/scheduler.ts';
import { pidSpec, type PidSpec } from '../../../server/sources/obd/pids.ts';

const specs = (...pids: number[]): PidSpec[] => pids.map((pid) => pidSpec(pid)!);
// rpm, MAP, throttle, lambda (fast); speed, load (medium); coolant, IAT, oil (slow)
const STREET = specs(0x0c, 0x0b, 0x11, 0x24, 0x0d, 0x04, 0x05, 0x0f, 0x5c);

function simulate(scheduler: PollScheduler, rounds: number, roundS: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < rounds; i++) {
    const nowS = i * roundS;
    for (const spec of scheduler.next(nowS)) {
      counts.set(spec.pid, (counts.get(spec.pid) ?? 0) + 1);
      scheduler.recordResponse(spec.pid, nowS);
    }
  }
  return counts;
}

describe('PollScheduler', () => {
  test('never exceeds the PIDs per request', () => {
    const scheduler = new PollScheduler(STREET);
    for (let i = 0; i < 100; i++) expect(scheduler.next(i * 0.1).length).toBeLessThanOrEqual(6);
  });

  test('fast PIDs polled most on CAN', () => {
    const counts = simulate(new PollScheduler(STREET), 200, 0.05);
    expect(counts.get(0x0c)).toBeGreaterThanOrEqual(190);
    expect(counts.get(0x24)).toBeGreaterThanOrEqual(190);
    expect(counts.get(0x05)).toBeGreaterThanOrEqual(4);
    expect(counts.get(0x05)).toBeLessThanOrEqual(7);
    expect(counts.get(0x0d)).toBeGreaterThanOrEqual(18);
  });

  test('K-line round robin still favours fast PIDs', () => {
    const options = { ...DEFAULT_SCHEDULER_OPTIONS, maxPidsPerRequest: 1 };
    const counts = simulate(new PollScheduler(STREET, options), 400, 0.1);
    const fast = counts.get(0x0c)!;
    expect(fast).toBeGreaterThan(counts.get(0x05)! * 3);
    expect(counts.get(0x05)).toBeGreaterThan(0);
    expect(counts.get(0x5c)).toBeGreaterThan(0);
  });

  test('overloaded K-line favours fast PIDs', () => {
    const options = { ...DEFAULT_SCHEDULER_OPTIONS, maxPidsPerRequest: 1 };
    const scheduler = new PollScheduler(STREET, options);
    let fastRequests = 0;
    for (let i = 0; i < 300; i++) {
      const [spec] = scheduler.next(i * 0.09);
      if (spec.poll === 'fast') fastRequests++;
      scheduler.recordResponse(spec.pid, i * 0.09);
    }
    expect(fastRequests).toBeGreaterThanOrEqual(199);
    expect(300 - fastRequests).toBeGreaterThanOrEqual(50);
  });

  test('every PID polled within a second', () => {
    const counts = simulate(new PollScheduler(STREET), 20, 0.05);
    for (const spec of STREET) expect(counts.get(spec.pid) ?? 0).toBeGreaterThan(0);
  });

  test('repeated misses back a PID off', () => {
    const scheduler = new PollScheduler(specs(0x0c, 0x5c));
    for (let i = 0; i < 5; i++) {
      scheduler.next(i);
      scheduler.recordMiss(0x5c, i);
      scheduler.recordResponse(0x0c, i);
    }
    const later = scheduler.next(10).map((s) => s.pid);
    expect(later).toEqual([0x0c]);
    expect(scheduler.next(40).map((s) => s.pid)).toContain(0x5c);
  });

  test('answered retry restores the rate', () => {
    const scheduler = new PollScheduler(specs(0x0c, 0x05));
    for (let i = 0; i < 5; i++) {
      scheduler.next(i);
      scheduler.recordMiss(0x0c, i);
    }
    expect(scheduler.next(10).map((s) => s.pid)).not.toContain(0x0c);

    expect(scheduler.next(35).map((s) => s.pid)).toContain(0x0c);
    scheduler.recordResponse(0x0c, 35);

    expect(scheduler.next(35.05).map((s) => s.pid)).toContain(0x0c);
  });

  test('silentFastPids lists unanswered fast PIDs', () => {
    const scheduler = new PollScheduler(specs(0x0c, 0x0b, 0x05));
    for (let i = 0; i <= 10; i++) {
      scheduler.next(i);
      scheduler.recordResponse(0x0c, i);
    }

    expect(scheduler.silentFastPids(4, 5).map((s) => s.pid)).toEqual([]);
    expect(scheduler.silentFastPids(10, 5).map((s) => s.pid)).toEqual([0x0b]);
    expect(scheduler.silentFastPids(16, 5).map((s) => s.pid)).toEqual([0x0c, 0x0b]);
  });

  test('reduceLoad halves the request size', () => {
    const scheduler = new PollScheduler(STREET);
    expect(scheduler.reduceLoad()).toBe(3);
    expect(scheduler.next(0).length).toBe(3);
    expect(scheduler.reduceLoad()).toBe(1);
    expect(scheduler.reduceLoad()).toBe(1);
  });

  test('ratesHz reports answers per second', () => {
    const scheduler = new PollScheduler(specs(0x0c, 0x05));
    simulate(scheduler, 101, 0.05);
    const rates = scheduler.ratesHz(5);
    expect(rates['0C']).toBeCloseTo(20, 0);
    expect(rates['05']).toBeCloseTo(0.6, 0);
  });
});

describe('expectedCanFrames', () => {
  test('single frame up to seven bytes', () => {
    expect(expectedCanFrames(specs(0x0c))).toBe(1);
    expect(expectedCanFrames(specs(0x0c, 0x0d))).toBe(1);
    expect(expectedCanFrames(specs(0x0d, 0x05, 0x11))).toBe(1);
  });

  test('multi-frame beyond seven bytes', () => {
    expect(expectedCanFrames(specs(0x0c, 0x0d, 0x05))).toBe(2);
    expect(expectedCanFrames(specs(0x0c, 0x0b, 0x11, 0x05))).toBe(2);
    // 41 + 4 PIDs of 1-4 bytes: 1 + 3 + 2 + 2 + 5 + 2 = 15 bytes -> FF(6) + 2 CF
    expect(expectedCanFrames(specs(0x0c, 0x0b, 0x11, 0x24, 0x05))).toBe(3);
  });
});

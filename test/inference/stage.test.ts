import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import type { ChannelId } from '../../server/domain/channels.ts';
import type { TickStage } from '../../server/pipeline/stage.ts';
import type { ChannelReading, HealthSection } from '../../server/protocol.ts';
import { SUBSYSTEMS } from '../../server/protocol.ts';
import type { InferenceService } from '../../server/inference/service.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { firstLimitWarningAfter } from '../../server/training/evaluation.ts';
import { simulatedFrames, type TickFrames } from '../../server/training/frames.ts';
import { startShippedService } from './shipped-models.ts';

const profile = bundledProfile('stock-twin')!;
let service: InferenceService;
let dataDir: string;

beforeAll(async () => {
  ({ service, dataDir } = await startShippedService());
});

afterAll(async () => {
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Feeds every tick of `frames` through a new stage; returns the health sections. */
async function replay(stage: TickStage, frames: TickFrames): Promise<HealthSection[]> {
  const sections: HealthSection[] = [];
  for (let i = 0; i < frames.timeS.length; i++) {
    const channels: Partial<Record<ChannelId, ChannelReading>> = {};
    for (const [id, column] of Object.entries(frames.channels)) {
      const value = column![i];
      channels[id as ChannelId] = { value: Number.isFinite(value) ? value : null, stale: !Number.isFinite(value), state: 'ok' };
    }
    const output = await stage.process({ seq: i, timeS: frames.timeS[i], channels, derived: {} });
    sections.push(output.health!);
  }
  return sections;
}

describe('inference stage', () => {
  test('output has every subsystem and both backends', async () => {
    const frames = simulatedFrames('short', { seed: 901, profile, scenario: 'street', durationS: 5 });
    const sections = await replay(service.createStage(), frames);
    const last = sections.at(-1)!;

    expect(Object.keys(last.subsystems).sort()).toEqual([...SUBSYSTEMS].sort());
    expect(last.backends.map((b) => b.backend).sort()).toEqual(['onnx', 'tfjs']);
    for (const backend of last.backends) {
      expect(backend.error).toBeUndefined();
      const total = Object.values(backend.classProbabilities).reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 4);
      expect(backend.latencyMs).toBeGreaterThan(0);
    }
    expect([0, 1]).toContain(last.agreement!);
    expect(typeof last.timeToWarningS).toBe('object');
  });

  test('healthy drive keeps full health', async () => {
    const frames = simulatedFrames('healthy', { seed: 902, profile, scenario: 'pulls', durationS: 300 });
    const sections = await replay(service.createStage(), frames);

    for (const subsystem of SUBSYSTEMS) {
      const lowest = Math.min(...sections.map((s) => s.subsystems[subsystem]));
      expect(`${subsystem} ${lowest}`).toBe(`${subsystem} 100`);
    }
    expect(sections.every((s) => s.reasons.every((r) => r.severity === 'info'))).toBe(true);
  });

  test('boost leak lowers airBoost with a plain reason', async () => {
    const onsetS = 120;
    const frames = simulatedFrames('leak', {
      seed: 903,
      profile,
      scenario: 'pulls',
      durationS: 300,
      faults: [{ kind: 'boost-leak', onsetS, severity: 0.6 }],
    });
    const sections = await replay(service.createStage(), frames);

    const before = sections.filter((_, i) => frames.timeS[i] < onsetS);
    expect(before.every((s) => s.subsystems.airBoost === 100)).toBe(true);

    const index = sections.findIndex((s, i) => frames.timeS[i] >= onsetS && s.subsystems.airBoost <= 70);
    expect(index).toBeGreaterThan(0);
    const reason = sections[index].reasons.find((r) => r.code === 'boost.low');
    expect(reason?.severity).toBe('warning');
    expect(reason?.text).toMatch(/^boost \d+ kPa below this engine's normal at [\d,]+-[\d,]+ rpm$/);

    const detectedAfterS = frames.timeS[index] - onsetS;
    const withoutFault = simulatedFrames('no leak', { seed: 903, profile, scenario: 'pulls', durationS: 300 });
    const limitAfterS = firstLimitWarningAfter(frames, profile, onsetS, withoutFault);
    if (limitAfterS !== null) expect(detectedAfterS).toBeLessThan(limitAfterS);
  });
});

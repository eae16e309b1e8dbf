/**
 * @module Builds protocol-conformant `TickMessage`s for the UI tests, with
 * plausible idle values on the main channels and per-test overrides.
 */
import type {
  ChannelReading,
  HealthSection,
  SourcesSection,
  TickMessage,
} from '../../../server/protocol.ts';
import { TICK_HZ } from '../../../server/protocol.ts';

/** Idle values of the main channels, in their canonical units. */
export const IDLE_VALUES: Readonly<Record<string, number>> = {
  rpm: 850,
  boostKpa: -60,
  boostTargetKpa: -60,
  mapKpa: 41,
  lambda: 1.0,
  lambdaTarget: 1.0,
  coolantC: 88,
  oilTempC: 92,
  oilPressureKpa: 180,
  iatC: 31,
  throttlePct: 0,
  knockLevel: 2,
  knockRetardDeg: 0,
  batteryV: 14.1,
  speedKmh: 0,
  fuelPressureKpa: 290,
};

/** Returns a fresh, in-limits reading. */
export function reading(value: number, state: ChannelReading['state'] = 'ok'): ChannelReading {
  return { value, stale: false, state };
}

/** Returns a stale reading: no value, as the server sends it. */
export function staleReading(state: ChannelReading['state'] = 'ok'): ChannelReading {
  return { value: null, stale: true, state };
}

const SIM_SOURCES: SourcesSection = {
  active: 'sim',
  sources: [{ id: 'sim', kind: 'simulation', state: 'live', samplesReceived: 1200 }],
};

/** Overrides of a test tick; `channels` entries replace the idle readings. */
export interface TickOverrides extends Partial<Omit<TickMessage, 'type' | 'seq' | 'timeS'>> {}

/** Returns tick number `seq` at `seq / TICK_HZ` seconds, idle unless overridden. */
export function makeTick(seq: number, overrides: TickOverrides = {}): TickMessage {
  const channels: Record<string, ChannelReading> = {};
  for (const [id, value] of Object.entries(IDLE_VALUES)) channels[id] = reading(value);
  return {
    type: 'tick',
    seq,
    timeS: seq / TICK_HZ,
    wallMs: 1_764_000_000_000 + (seq * 1000) / TICK_HZ,
    processingMs: 0.8,
    derived: { afrDelta: 0.01, coolantRiseRate: 0.02, boostGradient: 5, oilTempSwing: 1.5 },
    sources: SIM_SOURCES,
    ...overrides,
    channels: { ...channels, ...overrides.channels },
  };
}

/** Returns a health section with every subsystem at `score` and both backends. */
export function makeHealth(score: number, overrides: Partial<HealthSection> = {}): HealthSection {
  return {
    subsystems: {
      airBoost: score,
      fuel: score,
      cooling: score,
      lubrication: score,
      ignitionKnock: score,
      sensors: score,
    },
    reasons: [],
    backends: [
      {
        backend: 'onnx',
        modelVersion: 'gbt-1',
        classProbabilities: { healthy: 0.9, unknown: 0.1 },
        latencyMs: 0.04,
      },
      {
        backend: 'tfjs',
        modelVersion: 'mlp-1',
        classProbabilities: { healthy: 0.85, unknown: 0.15 },
        latencyMs: 0.3,
      },
    ],
    agreement: 1,
    timeToWarningS: {},
    ...overrides,
  };
}

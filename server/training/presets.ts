/**
 * @module The training configurations `2jz-monitor train` offers: the full
 * one that produced the shipped models, and a tiny one for tests.
 */
import type { TrainConfig } from './train.ts';

/** Returns the full configuration for `seed`. */
export function fullConfig(seed: number, realLogs: readonly string[]): TrainConfig {
  return {
    dataset: {
      seed,
      scenarios: ['street', 'track', 'pulls', 'heat-soak', 'cruise', 'idle'],
      driveDurationS: 900,
      simCasesPerKind: 12,
      healthyPerScenario: 2,
      realCasesPerKind: 1,
      heldOutEvery: 4,
      severityRange: [0.3, 1],
    },
    models: { seed, hiddenUnits: 24, epochs: 30, batchSize: 128, learningRate: 0.005 },
    realLogs,
  };
}

/** Returns a configuration that trains in seconds, for determinism tests. */
export function tinyConfig(seed: number): TrainConfig {
  return {
    dataset: {
      seed,
      scenarios: ['street', 'pulls'],
      driveDurationS: 240,
      simCasesPerKind: 2,
      healthyPerScenario: 1,
      realCasesPerKind: 0,
      heldOutEvery: 2,
      severityRange: [0.5, 1],
    },
    models: { seed, hiddenUnits: 8, epochs: 3, batchSize: 64, learningRate: 0.01 },
    realLogs: [],
  };
}

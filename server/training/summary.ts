/**
 * @module Aggregates case results into the figures of the evaluation. Per
 * fault kind these are the detection rate, time to detection,
 * right-subsystem share and detection before the fixed limit. Over all
 * healthy time it is the false warnings per hour.
 */
import type { CaseResult } from './evaluation.ts';

/** Figures of one fault kind over its held-out cases. */
export interface KindSummary {
  readonly kind: string;
  /** Held-out cases in which the fault showed in the data. */
  readonly cases: number;
  /** Held-out cases in which it never showed (no monitor could detect them). */
  readonly invisible: number;
  readonly detected: number;
  readonly medianDetectionS: number | null;
  readonly maxDetectionS: number | null;
  readonly rightSubsystem: number;
  /** Cases in which a fixed profile limit reached warning after the onset. */
  readonly limitReached: number;
  /** Of those, cases detected before the limit fired. */
  readonly beforeLimit: number;
}

/** Figures over all held-out cases. */
export interface EvaluationSummary {
  readonly kinds: KindSummary[];
  readonly detectionRate: number;
  readonly rightSubsystemRate: number;
  readonly beforeLimitRate: number | null;
  readonly falseWarnings: number;
  readonly healthyHours: number;
  readonly falseWarningsPerHour: number;
}

/** Summarises fault-case results by kind over the cases whose fault showed; healthy time comes from every result. */
export function summariseResults(results: readonly CaseResult[]): EvaluationSummary {
  const allFaults = results.filter((r) => r.kind !== null);
  const faults = allFaults.filter((r) => r.visibleAfterS !== null);
  const kinds = [...new Set(allFaults.map((r) => r.kind!))].map((kind) =>
    summariseKind(kind, faults.filter((r) => r.kind === kind), allFaults.filter((r) => r.kind === kind && r.visibleAfterS === null).length),
  );
  const detected = faults.filter((r) => r.detectedAfterS !== null);
  const limited = faults.filter((r) => r.limitAfterS !== null);
  const falseWarnings = results.reduce((sum, r) => sum + r.falseWarnings, 0);
  const healthyHours = results.reduce((sum, r) => sum + r.healthyS, 0) / 3600;
  return {
    kinds,
    detectionRate: share(detected.length, faults.length),
    rightSubsystemRate: share(detected.filter((r) => r.attributed === r.expectedSubsystem).length, detected.length),
    beforeLimitRate: limited.length === 0 ? null : share(limited.filter(isBeforeLimit).length, limited.length),
    falseWarnings,
    healthyHours: round(healthyHours, 3),
    falseWarningsPerHour: healthyHours > 0 ? round(falseWarnings / healthyHours, 3) : 0,
  };
}

function summariseKind(kind: string, cases: readonly CaseResult[], invisible: number): KindSummary {
  const times = cases.map((r) => r.detectedAfterS).filter((t): t is number => t !== null).sort((a, b) => a - b);
  const limited = cases.filter((r) => r.limitAfterS !== null);
  return {
    kind,
    cases: cases.length,
    invisible,
    detected: times.length,
    medianDetectionS: times.length ? round(times[Math.floor((times.length - 1) / 2)], 1) : null,
    maxDetectionS: times.length ? round(times[times.length - 1], 1) : null,
    rightSubsystem: cases.filter((r) => r.detectedAfterS !== null && r.attributed === r.expectedSubsystem).length,
    limitReached: limited.length,
    beforeLimit: limited.filter(isBeforeLimit).length,
  };
}

function isBeforeLimit(result: CaseResult): boolean {
  return result.detectedAfterS !== null && result.limitAfterS !== null && result.detectedAfterS < result.limitAfterS;
}

function share(count: number, total: number): number {
  return total === 0 ? 0 : round(count / total, 4);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

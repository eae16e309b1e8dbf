/**
 * @module Runs a source with a recording context and lets tests wait for
 * samples or states without sleeping for fixed times.
 */
import type { Sample } from '../../../server/domain/sample.ts';
import type { SourceStatus } from '../../../server/protocol.ts';
import type { Source, SourceContext } from '../../../server/sources/source.ts';

/** Everything a source reported, with waits on it. */
export interface SourceRecording {
  readonly samples: Sample[];
  readonly states: SourceStatus['state'][];
  readonly context: SourceContext;
  /** Resolves once `predicate` holds for the samples, or rejects after `timeoutMs`. */
  waitForSamples(predicate: (samples: Sample[]) => boolean, timeoutMs?: number): Promise<void>;
  waitForState(state: SourceStatus['state'], timeoutMs?: number): Promise<void>;
}

/** Creates a recording context whose clock reads `nowS()`. */
export function recordSource(nowS: () => number = () => performance.now() / 1000): SourceRecording {
  const samples: Sample[] = [];
  const states: SourceStatus['state'][] = [];
  const checks = new Set<() => void>();
  const runChecks = () => {
    for (const check of [...checks]) check();
  };
  const context: SourceContext = {
    sink: (batch) => {
      samples.push(...batch);
      runChecks();
    },
    clock: { nowS },
    onStatus: (status) => {
      states.push(status.state);
      runChecks();
    },
    onEvent: () => {},
  };
  const waitFor = (isDone: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!isDone()) return;
        checks.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        checks.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      checks.add(check);
      check();
    });
  return {
    samples,
    states,
    context,
    waitForSamples: (predicate, timeoutMs = 10_000) =>
      waitFor(() => predicate(samples), 'samples', timeoutMs),
    waitForState: (state, timeoutMs = 10_000) =>
      waitFor(() => states.includes(state), `state ${state}`, timeoutMs),
  };
}

/** Starts `source` with a fresh recording. */
export async function startRecorded(source: Source): Promise<SourceRecording> {
  const recording = recordSource();
  await source.start(recording.context);
  return recording;
}

/**
 * @module Estimates how the detector scores on a series it was not tuned
 * on: for each file, the detector settings and the threshold are chosen on
 * the other files only (nested leave-one-file-out), and the held-out file
 * is scored with that choice.
 */
import { scoreSeriesValues, type DetectorOptions } from './detector.ts';
import { loadNabCorpus, normaliseCorpus } from './nab.ts';
import { readNabProfiles } from './nab-data.ts';
import { optimiseThreshold, scoreSeries, type CostMatrix, type ScoredSeries } from './scorer.ts';

/** Settings and threshold chosen without one file. */
export interface HeldOutChoice {
  readonly file: string;
  /** Index into the candidate list. */
  readonly candidateIndex: number;
  readonly threshold: number;
  readonly raw: number;
}

/** Cross-validated score for one profile. */
export interface CrossValidatedProfile {
  readonly profile: string;
  readonly normalised: number;
  readonly choices: readonly HeldOutChoice[];
}

/**
 * Returns the normalised score per profile when, for each held-out file,
 * the best of `candidates` and its threshold are chosen on the other files.
 */
export async function crossValidateNab(
  dataDir: string,
  candidates: readonly Partial<DetectorOptions>[],
): Promise<CrossValidatedProfile[]> {
  if (candidates.length === 0) throw new Error('Cross-validation needs at least one candidate.');
  const { corpus, series } = await loadNabCorpus(dataDir);
  if (corpus.length < 2) throw new Error('Cross-validation needs at least two files.');

  const scoredPerCandidate = candidates.map((options) =>
    corpus.map((layout, index) => ({
      layout,
      anomalyScores: scoreSeriesValues(series[index].values, options),
    })),
  );

  const profiles = await readNabProfiles(dataDir);
  return [...profiles].map(([profile, cost]) => {
    const choices = corpus.map((_, heldOut) => {
      const choice = chooseWithout(scoredPerCandidate, heldOut, cost);
      const held = scoredPerCandidate[choice.candidateIndex][heldOut];
      const raw = scoreSeries(held, choice.threshold, cost).score;
      return { file: corpus[heldOut].name, ...choice, raw };
    });
    const raw = choices.reduce((sum, choice) => sum + choice.raw, 0);
    return { profile, normalised: normaliseCorpus(raw, corpus, cost), choices };
  });
}

function chooseWithout(
  scoredPerCandidate: ScoredSeries[][],
  heldOut: number,
  cost: CostMatrix,
): { candidateIndex: number; threshold: number } {
  let best = { candidateIndex: 0, threshold: Number.POSITIVE_INFINITY, score: -Infinity };
  scoredPerCandidate.forEach((scored, candidateIndex) => {
    const others = scored.filter((_, index) => index !== heldOut);
    const { threshold, score } = optimiseThreshold(others, cost);
    if (score > best.score) best = { candidateIndex, threshold, score };
  });
  return { candidateIndex: best.candidateIndex, threshold: best.threshold };
}

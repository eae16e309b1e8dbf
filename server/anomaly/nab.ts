/**
 * @module Runs the streaming anomaly detector over a Numenta Anomaly
 * Benchmark folder and scores it the way NAB 1.1 scores published
 * detectors: one threshold per profile, swept over all files together,
 * then the null-to-perfect normalisation. The published detectors' per-file
 * scores found in the folder are normalised the same way beside it.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { scoreSeriesValues, type DetectorOptions } from './detector.ts';
import {
  listNabSeries,
  listPublishedDetectors,
  readNabProfiles,
  readNabSeries,
  readNabWindows,
  readPublishedScores,
  type NabSeries,
} from './nab-data.ts';
import {
  normaliseScore,
  nullScore,
  optimiseThreshold,
  perfectScore,
  scoreSeries,
  type CostMatrix,
  type ScoredSeries,
} from './scorer.ts';
import { layoutSeries, type ScoringLayout } from './windows.ts';

export { formatNabReport } from './nab-report.ts';

/** Produces one anomaly score per row of a series; the layout is for reference detectors only. */
export type SeriesDetector = (series: NabSeries, layout: ScoringLayout) => Float64Array;

/** Options of {@link evaluateNab}. */
export interface NabEvaluationOptions {
  /** Detector to score; the streaming detector when absent. */
  readonly detect?: SeriesDetector;
  readonly detectorName?: string;
  /** Settings of the streaming detector when `detect` is absent. */
  readonly detectorOptions?: Partial<DetectorOptions>;
  /** Published detectors to show beside it; every folder under `results/` when absent. */
  readonly publishedDetectors?: readonly string[];
}

/** Score of the evaluated detector on one file for one profile. */
export interface NabFileResult {
  readonly file: string;
  readonly rowCount: number;
  readonly windowCount: number;
  readonly raw: number;
  readonly normalised: number;
  readonly detectedWindows: number;
  /** Scorable rows outside every window at or above the threshold. */
  readonly falsePositiveRows: number;
}

/** Score of the evaluated detector for one profile. */
export interface NabProfileResult {
  readonly profile: string;
  readonly cost: CostMatrix;
  /** Threshold that maximises the raw score over all files together. */
  readonly threshold: number;
  readonly raw: number;
  readonly normalised: number;
  /**
   * Normalised score when each file is scored at the threshold optimised on
   * the other files only, which shows how much the shared threshold is
   * fitted to the files it is measured on.
   */
  readonly leaveOneFileOutNormalised: number;
  readonly files: readonly NabFileResult[];
}

/** A published detector's score on the same files for one profile. */
export interface PublishedResult {
  readonly detector: string;
  readonly profile: string;
  /** Threshold the detector's authors optimised on the full benchmark. */
  readonly threshold: number;
  /** Per-file normalised scores; null where the detector has no score for a file. */
  readonly files: readonly { readonly file: string; readonly normalised: number | null }[];
  /** Normalised score over the files it has scores for, or null when it has none. */
  readonly normalised: number | null;
  /** Published normalised score over the full 58-file benchmark, when recorded. */
  readonly fullBenchmarkNormalised: number | null;
}

/** Result of {@link evaluateNab}. */
export interface NabReport {
  readonly dataDir: string;
  readonly detectorName: string;
  readonly files: readonly string[];
  readonly valueCount: number;
  /** Wall-clock time to run the detector over all files, in ms. */
  readonly detectMs: number;
  readonly profiles: readonly NabProfileResult[];
  readonly published: readonly PublishedResult[];
}

/**
 * Runs the detector over every series under `dataDir/data`, scores it for
 * every profile in `dataDir/config/profiles.json`, and collects the
 * published detectors' scores on the same files.
 */
export async function evaluateNab(
  dataDir: string,
  options: NabEvaluationOptions = {},
): Promise<NabReport> {
  const { corpus, series } = await loadNabCorpus(dataDir);
  const profiles = await readNabProfiles(dataDir);
  const detect =
    options.detect ??
    ((one: NabSeries) => scoreSeriesValues(one.values, options.detectorOptions));

  const started = performance.now();
  const scored = corpus.map((layout, index) => ({
    layout,
    anomalyScores: detect(series[index], layout),
  }));
  const detectMs = performance.now() - started;

  const profileResults = [...profiles].map(([name, cost]) => scoreProfile(name, cost, scored));
  const detectors = options.publishedDetectors ?? listPublishedDetectors(dataDir);
  const published = await collectPublished(dataDir, detectors, profiles, corpus);

  return {
    dataDir,
    detectorName: options.detectorName ?? 'StreamingAnomalyDetector',
    files: corpus.map((layout) => layout.name),
    valueCount: corpus.reduce((sum, layout) => sum + layout.rowCount, 0),
    detectMs,
    profiles: profileResults,
    published,
  };
}

/** Reads every series under `dataDir/data` with its scoring layout, in the same order. */
export async function loadNabCorpus(
  dataDir: string,
): Promise<{ corpus: ScoringLayout[]; series: NabSeries[] }> {
  const windows = await readNabWindows(dataDir);
  const names = listNabSeries(dataDir);
  if (names.length === 0) throw new Error(`No series CSV files under ${join(dataDir, 'data')}.`);

  const series = await Promise.all(names.map((name) => readNabSeries(dataDir, name)));
  const corpus = series.map((one) => {
    const limits = windows.get(one.name);
    if (limits === undefined) {
      throw new Error(`Series ${one.name} has no entry in labels/combined_windows.json.`);
    }
    return layoutSeries(one.name, one.timestampsMs, limits);
  });
  return { corpus, series };
}

function scoreProfile(profile: string, cost: CostMatrix, scored: ScoredSeries[]): NabProfileResult {
  const best = optimiseThreshold(scored, cost);
  const files = scored.map((one) => fileResult(one, best.threshold, cost));
  const layouts = scored.map((one) => one.layout);

  return {
    profile,
    cost,
    threshold: best.threshold,
    raw: best.score,
    normalised: normaliseCorpus(best.score, layouts, cost),
    leaveOneFileOutNormalised: leaveOneFileOut(scored, cost),
    files,
  };
}

function fileResult(one: ScoredSeries, threshold: number, cost: CostMatrix): NabFileResult {
  const score = scoreSeries(one, threshold, cost);
  return {
    file: one.layout.name,
    rowCount: one.layout.rowCount,
    windowCount: one.layout.windows.length,
    raw: score.score,
    normalised: normaliseFile(score.score, one.layout, cost),
    detectedWindows: score.detectedWindows,
    falsePositiveRows: score.fp,
  };
}

function leaveOneFileOut(scored: ScoredSeries[], cost: CostMatrix): number {
  if (scored.length < 2) return Number.NaN;
  let raw = 0;
  scored.forEach((heldOut, index) => {
    const others = scored.filter((_, other) => other !== index);
    const { threshold } = optimiseThreshold(others, cost);
    raw += scoreSeries(heldOut, threshold, cost).score;
  });
  return normaliseCorpus(raw, scored.map((one) => one.layout), cost);
}

/** Normalises a raw score summed over `layouts` by their summed null and perfect scores. */
export function normaliseCorpus(
  raw: number,
  layouts: readonly ScoringLayout[],
  cost: CostMatrix,
): number {
  const nullRaw = layouts.reduce((sum, layout) => sum + nullScore(layout, cost), 0);
  const perfectRaw = layouts.reduce((sum, layout) => sum + perfectScore(layout, cost), 0);
  return normaliseScore(raw, nullRaw, perfectRaw);
}

function normaliseFile(raw: number, layout: ScoringLayout, cost: CostMatrix): number {
  return normaliseScore(raw, nullScore(layout, cost), perfectScore(layout, cost));
}

async function collectPublished(
  dataDir: string,
  detectors: readonly string[],
  profiles: Map<string, CostMatrix>,
  corpus: ScoringLayout[],
): Promise<PublishedResult[]> {
  const finalResults = await readFinalResults(dataDir);
  const results: PublishedResult[] = [];

  for (const detector of detectors) {
    for (const [profile, cost] of profiles) {
      const rows = await readPublishedScores(dataDir, detector, profile);
      if (rows.length === 0) continue;

      const byFile = new Map(rows.map((row) => [row.file, row]));
      const covered = corpus.filter((layout) => byFile.has(layout.name));
      const files = corpus.map((layout) => {
        const row = byFile.get(layout.name);
        return {
          file: layout.name,
          normalised: row === undefined ? null : normaliseFile(row.score, layout, cost),
        };
      });
      const raw = covered.reduce((sum, layout) => sum + byFile.get(layout.name)!.score, 0);

      results.push({
        detector,
        profile,
        threshold: rows[0].threshold,
        files,
        normalised: covered.length === 0 ? null : normaliseCorpus(raw, covered, cost),
        fullBenchmarkNormalised: finalResults[detector]?.[profile] ?? null,
      });
    }
  }
  return results;
}

async function readFinalResults(
  dataDir: string,
): Promise<Record<string, Record<string, number>>> {
  const path = join(dataDir, 'results', 'final_results.json');
  if (!existsSync(path)) return {};
  return (await Bun.file(path).json()) as Record<string, Record<string, number>>;
}

/**
 * @module Reads a Numenta Anomaly Benchmark folder: the series CSV files
 * under `data/`, the windows in `labels/combined_windows.json`, the cost
 * matrices in `config/profiles.json` and the published per-file scores in
 * `results/<detector>/<detector>_<profile>_scores.csv`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CostMatrix } from './scorer.ts';

/** One series of the benchmark. */
export interface NabSeries {
  /** Path relative to `data/`, such as `realKnownCause/nyc_taxi.csv`. */
  readonly name: string;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/** A published detector's raw score on one file for one profile. */
export interface PublishedFileScore {
  readonly detector: string;
  readonly profile: string;
  readonly file: string;
  readonly threshold: number;
  readonly score: number;
  readonly tp: number;
  readonly tn: number;
  readonly fp: number;
  readonly fn: number;
}

const TIMESTAMP_PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/** Parses a NAB timestamp such as `2014-07-01 00:30:00` or `...00.000000` as UTC epoch ms. */
export function parseNabTimestamp(text: string, where: string): number {
  const match = TIMESTAMP_PATTERN.exec(text.trim());
  if (match === null) {
    throw new Error(`Invalid timestamp "${text}" at ${where}; expected YYYY-MM-DD HH:MM:SS.`);
  }
  const [, year, month, day, hour, minute, second, fraction = '0'] = match;
  const milliseconds = Math.round(Number(`0.${fraction}`) * 1000);
  return (
    Date.UTC(+year, +month - 1, +day, +hour, +minute, +second) + milliseconds
  );
}

/** Reads one `timestamp,value` CSV file of the benchmark. */
export async function readNabSeries(dataDir: string, name: string): Promise<NabSeries> {
  const path = join(dataDir, 'data', name);
  const lines = (await Bun.file(path).text()).split(/\r?\n/).filter((line) => line.length > 0);
  if (lines[0]?.trim() !== 'timestamp,value') {
    throw new Error(`Expected the header "timestamp,value" in ${path}, but found "${lines[0]}".`);
  }

  const rowCount = lines.length - 1;
  const timestampsMs = new Float64Array(rowCount);
  const values = new Float64Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const where = `${path} line ${row + 2}`;
    const [timestamp, value] = lines[row + 1].split(',');
    timestampsMs[row] = parseNabTimestamp(timestamp, where);
    values[row] = Number(value);
    if (!Number.isFinite(values[row])) {
      throw new Error(`Invalid value "${value}" at ${where}; expected a finite number.`);
    }
  }
  return { name, timestampsMs, values };
}

/** Reads the windows of every file, as [start, end] epoch ms pairs keyed by file name. */
export async function readNabWindows(
  dataDir: string,
): Promise<Map<string, [number, number][]>> {
  const path = join(dataDir, 'labels', 'combined_windows.json');
  const json = (await Bun.file(path).json()) as Record<string, [string, string][]>;
  const windows = new Map<string, [number, number][]>();
  for (const [name, limits] of Object.entries(json)) {
    const where = `${path} entry ${name}`;
    windows.set(
      name,
      limits.map(([start, end]) => [parseNabTimestamp(start, where), parseNabTimestamp(end, where)]),
    );
  }
  return windows;
}

/** Reads the cost matrix of every profile from `config/profiles.json`. */
export async function readNabProfiles(dataDir: string): Promise<Map<string, CostMatrix>> {
  const path = join(dataDir, 'config', 'profiles.json');
  const json = (await Bun.file(path).json()) as Record<string, { CostMatrix: CostMatrix }>;
  const profiles = new Map<string, CostMatrix>();
  for (const [name, { CostMatrix: cost }] of Object.entries(json)) {
    for (const key of ['tpWeight', 'fpWeight', 'fnWeight'] as const) {
      if (typeof cost?.[key] !== 'number') {
        throw new Error(`Missing number ${key} in profile ${name} of ${path}.`);
      }
    }
    profiles.set(name, cost);
  }
  return profiles;
}

/** Lists the series CSV files under `data/`, as names relative to it, sorted. */
export function listNabSeries(dataDir: string): string[] {
  const root = join(dataDir, 'data');
  const names: string[] = [];
  for (const category of readdirSync(root, { withFileTypes: true })) {
    if (!category.isDirectory()) continue;
    for (const file of readdirSync(join(root, category.name))) {
      if (file.endsWith('.csv')) names.push(`${category.name}/${file}`);
    }
  }
  return names.sort();
}

/** Lists the detectors that have a folder under `results/`. */
export function listPublishedDetectors(dataDir: string): string[] {
  const root = join(dataDir, 'results');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * Reads a published detector's per-file scores for one profile, or an
 * empty list when its score file is absent.
 */
export async function readPublishedScores(
  dataDir: string,
  detector: string,
  profile: string,
): Promise<PublishedFileScore[]> {
  const path = join(dataDir, 'results', detector, `${detector}_${profile}_scores.csv`);
  if (!existsSync(path)) return [];
  const lines = (await Bun.file(path).text()).split(/\r?\n/).filter((line) => line.length > 0);
  const header = lines[0].split(',');
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`Missing column ${name} in ${path}.`);
    return index;
  };
  const columns = ['File', 'Threshold', 'Score', 'TP', 'TN', 'FP', 'FN'].map(column);

  return lines
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells[columns[0]] !== '')
    .map((cells) => {
      const [file, threshold, score, tp, tn, fp, fn] = columns.map((index) => cells[index]);
      return {
        detector,
        profile,
        file,
        threshold: Number(threshold),
        score: Number(score),
        tp: Number(tp),
        tn: Number(tn),
        fp: Number(fp),
        fn: Number(fn),
      };
    });
}

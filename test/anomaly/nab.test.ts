import { beforeAll, describe, expect, test } from 'bun:test';
import { evaluateNab, formatNabReport, type NabReport } from '../../server/anomaly/nab.ts';
import { crossValidateNab } from '../../server/anomaly/nab-cross-validation.ts';
import {
  listNabSeries,
  readNabSeries,
  readNabWindows,
  readPublishedScores,
} from '../../server/anomaly/nab-data.ts';
import { layoutSeries } from '../../server/anomaly/windows.ts';
import { hasSharedData, SHARED_DATA_DIR } from '../support/shared-data.ts';
import { join } from 'node:path';

const NAB_DIR = join(SHARED_DATA_DIR, 'nab');
const hasNab = hasSharedData('nab/labels/combined_windows.json');
if (!hasNab) console.warn(`skipped: NAB folder ${NAB_DIR} is absent`);

const PROFILES = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];

describe.skipIf(!hasNab)('NAB evaluation on the benchmark files', () => {
  let report: NabReport;

  beforeAll(async () => {
    report = await evaluateNab(NAB_DIR);
  });

  test('report has every file and profile', () => {
    expect(report.files.length).toBe(listNabSeries(NAB_DIR).length);
    expect(report.profiles.map((profile) => profile.profile).sort()).toEqual([...PROFILES].sort());
    for (const profile of report.profiles) {
      expect(profile.files).toHaveLength(report.files.length);
      expect(Number.isFinite(profile.normalised)).toBe(true);
      expect(Number.isFinite(profile.leaveOneFileOutNormalised)).toBe(true);
    }
    expect(report.valueCount).toBeGreaterThan(0);
  });

  test('published detectors sit beside the detector', () => {
    const detectors = new Set(report.published.map((result) => result.detector));
    for (const name of ['ARTime', 'contextOSE', 'numenta', 'null']) expect(detectors.has(name)).toBe(true);
    const artime = report.published.find(
      (result) => result.detector === 'ARTime' && result.profile === 'standard',
    );
    expect(artime?.fullBenchmarkNormalised).toBeCloseTo(74.85, 1);
  });

  test('published null scores normalise to 0 per file', () => {
    // The null detector's published raw scores equal this scorer's null scores, file by file.
    for (const result of report.published.filter((one) => one.detector === 'null')) {
      for (const file of result.files) expect(file.normalised).toBeCloseTo(0, 9);
    }
  });

  test('detector beats the null detector', () => {
    // Measured: 73.7 standard, 58.3 reward_low_FP_rate, 82.5 reward_low_FN_rate.
    for (const profile of report.profiles) expect(profile.normalised).toBeGreaterThan(40);
  });

  test('cross-validation of one setting equals leave-one-file-out', async () => {
    // With a single candidate only the threshold is chosen per held-out file.
    const results = await crossValidateNab(NAB_DIR, [{}]);
    for (const result of results) {
      const profile = report.profiles.find((one) => one.profile === result.profile)!;
      expect(result.normalised).toBeCloseTo(profile.leaveOneFileOutNormalised, 9);
      expect(result.choices).toHaveLength(report.files.length);
    }
  });

  test('Markdown report lists every profile', () => {
    const markdown = formatNabReport(report);
    for (const profile of PROFILES) expect(markdown).toContain(`| ${profile} |`);
    expect(markdown).toContain('| realKnownCause/nyc_taxi.csv |');
  });
});

describe.skipIf(!hasNab)('NAB scorer against the benchmark', () => {
  test('null detector scores 0', async () => {
    const report = await evaluateNab(NAB_DIR, {
      detectorName: 'constant',
      detect: (series) => new Float64Array(series.values.length).fill(0.5),
      publishedDetectors: [],
    });
    for (const profile of report.profiles) {
      expect(profile.normalised).toBe(0);
      expect(profile.threshold).toBe(Number.POSITIVE_INFINITY);
    }
  });

  test('perfect detector scores 100', async () => {
    const report = await evaluateNab(NAB_DIR, {
      detectorName: 'perfect',
      detect: (series, layout) => {
        const scores = new Float64Array(series.values.length);
        for (const window of layout.windows) scores[window.startIndex] = 1;
        return scores;
      },
      publishedDetectors: [],
    });
    for (const profile of report.profiles) {
      expect(profile.normalised).toBeCloseTo(100, 9);
      for (const file of profile.files) expect(file.normalised).toBeCloseTo(100, 9);
    }
  });

  test('scorable rows match published row counts', async () => {
    // ARTime's TP + FN counts the scorable rows inside windows, and all four counts
    // add up to the rows after the probationary period.
    const windows = await readNabWindows(NAB_DIR);
    const published = await readPublishedScores(NAB_DIR, 'ARTime', 'standard');
    for (const name of listNabSeries(NAB_DIR)) {
      const series = await readNabSeries(NAB_DIR, name);
      const layout = layoutSeries(name, series.timestampsMs, windows.get(name)!);
      const row = published.find((one) => one.file === name)!;
      let inWindows = 0;
      for (let i = layout.probationLength; i < layout.rowCount; i++) {
        if (layout.windowOfRow[i] >= 0) inWindows++;
      }
      expect(inWindows).toBe(row.tp + row.fn);
      expect(layout.rowCount - layout.probationLength).toBe(row.tp + row.tn + row.fp + row.fn);
    }
  });
});

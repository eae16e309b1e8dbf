/**
 * @module Formats a NAB evaluation as Markdown: one summary table over all
 * profiles, then one per-file table per profile, each with the published
 * detectors beside the evaluated one.
 */
import type { NabProfileResult, NabReport, PublishedResult } from './nab.ts';

/** Formats a NAB report as Markdown tables of normalised scores (null 0, perfect 100). */
export function formatNabReport(report: NabReport): string {
  const detectors = publishedDetectorNames(report);
  const sections = [
    summaryTable(report, detectors),
    ...report.profiles.map((profile) => fileTable(report, profile, detectors)),
    runLine(report),
  ];
  return `${sections.join('\n\n')}\n`;
}

function summaryTable(report: NabReport, detectors: string[]): string {
  const header = [
    'profile',
    'threshold',
    report.detectorName,
    'leave one file out',
    ...detectors.map((name) => `${name} (full benchmark)`),
  ];
  const rows = report.profiles.map((profile) => {
    const published = detectors.map((detector) => {
      const result = findPublished(report, detector, profile.profile);
      return `${formatScore(result?.normalised)} (${formatScore(result?.fullBenchmarkNormalised)})`;
    });
    return [
      profile.profile,
      formatThreshold(profile.threshold),
      formatScore(profile.normalised),
      formatScore(profile.leaveOneFileOutNormalised),
      ...published,
    ];
  });
  const title = `Normalised NAB scores on ${report.files.length} files (null 0, perfect 100)`;
  return `### ${title}\n\n${markdownTable(header, rows)}`;
}

function fileTable(report: NabReport, profile: NabProfileResult, detectors: string[]): string {
  const header = ['file', 'rows', 'windows', report.detectorName, 'detected', 'FP rows', ...detectors];
  const rows = profile.files.map((file) => {
    const published = detectors.map((detector) => {
      const result = findPublished(report, detector, profile.profile);
      const entry = result?.files.find((one) => one.file === file.file);
      return formatScore(entry?.normalised);
    });
    return [
      file.file,
      String(file.rowCount),
      String(file.windowCount),
      formatScore(file.normalised),
      `${file.detectedWindows}/${file.windowCount}`,
      String(file.falsePositiveRows),
      ...published,
    ];
  });
  return `### Profile ${profile.profile}, per file\n\n${markdownTable(header, rows)}`;
}

function runLine(report: NabReport): string {
  const seconds = (report.detectMs / 1000).toFixed(2);
  const rate = Math.round(report.valueCount / (report.detectMs / 1000));
  return (
    `Detector run: ${report.valueCount} values in ${seconds} s ` +
    `(${rate.toLocaleString('en-US')} values/s), data folder ${report.dataDir}.`
  );
}

function publishedDetectorNames(report: NabReport): string[] {
  return [...new Set(report.published.map((result) => result.detector))];
}

function findPublished(
  report: NabReport,
  detector: string,
  profile: string,
): PublishedResult | undefined {
  return report.published.find((one) => one.detector === detector && one.profile === profile);
}

function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return value.toFixed(1);
}

function formatThreshold(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : 'none';
}

function markdownTable(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => '---'), ...rows];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

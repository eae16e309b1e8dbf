/**
 * @module `2jz-monitor evaluate`: rebuilds the held-out cases of the model
 * set's training configuration, runs both backends over them as the
 * inference stage does, and writes a Markdown report with the NAB section.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseMetadata } from '../inference/model-files.ts';
import { readModelFiles } from '../inference/model-store.ts';
import { RUNTIME_FILES } from '../assets.ts';
import { loadRuntimeFiles } from '../inference/runtime-files.ts';
import { trainedThresholds } from '../inference/training-record.ts';
import { bundledProfile } from '../profiles/index.ts';
import { listLogFiles } from '../training/real-logs.ts';
import { formatEvaluationReport } from '../training/report.ts';
import { summariseResults } from '../training/summary.ts';
import { buildDataSet, evaluateHeldOut, type TrainConfig } from '../training/train.ts';
import type { Command } from './index.ts';

const USAGE = `Usage: 2jz-monitor evaluate [options]

Evaluates a model set on the held-out cases of its training configuration
and writes a Markdown report.

Options:
  --models DIR   model set folder (default models)
  --logs DIR     real healthy logs (default ../shared/data/logs)
  --nab DIR      Numenta Anomaly Benchmark folder (default ../shared/data/nab)
  --out FILE     report path (default docs/evaluation.md)
  --quiet        no progress bar
`;

/** Runs the evaluate command; returns the exit code. */
export const runEvaluate: Command = async (argv) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        models: { type: 'string', default: 'models' },
        logs: { type: 'string', default: '../shared/data/logs' },
        nab: { type: 'string', default: '../shared/data/nab' },
        out: { type: 'string', default: 'docs/evaluation.md' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const files = readModelFiles(resolve(values.models!));
  const metadata = parseMetadata(files);
  const training = metadata.training as { config?: TrainConfig; profile?: string; seed?: number; dataset?: Record<string, unknown> };
  const profile = bundledProfile(training.profile ?? 'stock-twin');
  if (training.config === undefined || profile === null) {
    process.stderr.write('The model set records no training configuration or a profile this build lacks; retrain it with "2jz-monitor train".\n');
    return 1;
  }

  const logsDir = resolve(values.logs!);
  const realLogs = existsSync(logsDir) ? listLogFiles(logsDir) : [];
  const config: TrainConfig = { ...training.config, realLogs };
  const data = buildDataSet(config, profile, values.quiet!);
  const modelThresholds = trainedThresholds(metadata);
  // The WebAssembly runtimes embedded in the executable, so the command runs from any folder.
  const runtime = await loadRuntimeFiles(RUNTIME_FILES);
  const { results, latencies } = await evaluateHeldOut(
    files,
    data.testCases,
    profile,
    data.baselineOf,
    (item) => ({ ...modelThresholds, ...(data.baselineOf(item).thresholds ?? {}) }),
    runtime,
    values.quiet!,
  );

  const report = formatEvaluationReport({
    command: ['2jz-monitor evaluate', ...argv].join(' '),
    modelVersion: metadata.version,
    seed: training.seed ?? NaN,
    summary: summariseResults(results),
    results,
    latencies,
    datasetDescription: training.dataset ?? {},
    nabSection: await nabSection(resolve(values.nab!)),
    machine: `${platform()} ${arch()}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Bun ${Bun.version}`,
  });
  const out = resolve(values.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, report);
  process.stderr.write(`Wrote ${out}\n`);
  return 0;
};

async function nabSection(dir: string): Promise<string> {
  if (!existsSync(dir)) return `Not run: the benchmark folder ${dir} is absent.`;
  try {
    const nab = await import('../anomaly/nab.ts');
    return nab.formatNabReport(await nab.evaluateNab(dir));
  } catch (error) {
    return `Not run: ${(error as Error).message}`;
  }
}

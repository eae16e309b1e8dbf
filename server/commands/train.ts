/**
 * @module `2jz-monitor train`: trains both health models from simulated
 * drives and real healthy logs and writes the model set, or with
 * `--baseline LOG...` refits this engine's own baseline from its logs.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundledProfile, BUNDLED_PROFILE_IDS, DEFAULT_PROFILE_ID } from '../profiles/index.ts';
import { RUNTIME_FILES } from '../assets.ts';
import { loadRuntimeFiles } from '../inference/runtime-files.ts';
import { writeModelFiles } from '../inference/model-store.ts';
import { fullConfig, tinyConfig } from '../training/presets.ts';
import { listLogFiles, readRealLogs } from '../training/real-logs.ts';
import { fitEngineBaseline, trainHealthModels } from '../training/train.ts';
import type { Command } from './index.ts';

const USAGE = `Usage: 2jz-monitor train [options]
       2jz-monitor train --baseline LOG... [--out FILE]

Trains the ONNX and TensorFlow.js health models and writes them with their
metadata (features, classes, seed, data set, thresholds, evaluation).

Options:
  --seed N          seed of the whole run (default 1); the same seed gives the same files
  --out PATH        output folder (default models), or baseline file with --baseline
                    (default baseline.json; the monitor reads DATA_DIR/baseline.json)
  --logs DIR        folder of real healthy logs (default ../shared/data/logs; absent = none)
  --profile ID      engine profile: ${BUNDLED_PROFILE_IDS.join(', ')} (default ${DEFAULT_PROFILE_ID})
  --tiny            a small configuration that trains in seconds (for tests)
  --baseline        fit this engine's baseline from the healthy LOG files given
  --quiet           no progress bar
`;

/** Runs the train command; returns the exit code. */
export const runTrain: Command = async (argv) => {
  let args;
  try {
    args = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        seed: { type: 'string', default: '1' },
        out: { type: 'string' },
        logs: { type: 'string', default: '../shared/data/logs' },
        profile: { type: 'string', default: DEFAULT_PROFILE_ID },
        tiny: { type: 'boolean', default: false },
        baseline: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) {
    process.stderr.write(`Invalid --seed ${values.seed}: give a non-negative integer.\n`);
    return 2;
  }
  const profile = bundledProfile(values.profile!);
  if (profile === null) {
    process.stderr.write(`Unknown --profile ${values.profile}: use one of ${BUNDLED_PROFILE_IDS.join(', ')}.\n`);
    return 2;
  }

  if (values.baseline) return writeEngineBaseline(positionals, values.out ?? 'baseline.json', profile);
  if (positionals.length > 0) {
    process.stderr.write(`Unexpected arguments: ${positionals.join(' ')}. Log files are only taken with --baseline.\n`);
    return 2;
  }

  const logsDir = resolve(values.logs!);
  const realLogs = values.tiny ? [] : safeList(logsDir);
  const config = values.tiny ? tinyConfig(seed) : fullConfig(seed, realLogs);
  // The WebAssembly runtimes embedded in the executable, so the command runs from any folder.
  const runtime = await loadRuntimeFiles(RUNTIME_FILES);
  const result = await trainHealthModels({ ...config, isQuiet: values.quiet }, profile, runtime);

  const outDir = resolve(values.out ?? 'models');
  writeModelFiles(outDir, result.files);
  const e = result.evaluation;
  process.stderr.write(
    `Wrote ${[...result.files.keys()].join(', ')} to ${outDir}\n` +
      `Held out: ${Math.round(100 * e.detectionRate)} % of faults detected, ` +
      `${Math.round(100 * e.rightSubsystemRate)} % in the right subsystem, ` +
      `${e.falseWarnings} false warnings in ${e.healthyHours} h of healthy driving.\n`,
  );
  return 0;
};

function safeList(dir: string): string[] {
  try {
    return listLogFiles(dir);
  } catch {
    process.stderr.write(`No real logs read: ${dir} is not a readable folder; training on simulation only.\n`);
    return [];
  }
}

function writeEngineBaseline(logs: readonly string[], out: string, profile: NonNullable<ReturnType<typeof bundledProfile>>): number {
  if (logs.length === 0) {
    process.stderr.write('--baseline needs at least one healthy log file of this engine, such as: train --baseline drive1.mlg drive2.mlg\n');
    return 2;
  }
  const real = readRealLogs(logs.map((l) => resolve(l)));
  for (const skipped of real.skipped) process.stderr.write(`Skipped ${skipped.file}: ${skipped.reason}\n`);
  if (real.drives.length === 0) {
    process.stderr.write('No usable log: the baseline needs at least one healthy drive of two minutes or more.\n');
    return 1;
  }
  const baseline = fitEngineBaseline(real.drives, profile, real.drives.map((d) => d.name).join(', '));
  writeFileSync(resolve(out), `${JSON.stringify(baseline, null, 1)}\n`);
  const parts = ['boost', 'oilPressure', 'coolantPressure', 'knockLevel'].filter((k) => baseline[k as keyof typeof baseline] !== null);
  process.stderr.write(`Wrote ${resolve(out)}: fitted ${parts.join(', ') || 'no curves'}; warm coolant up to ${baseline.coolant.warmMaxC} °C.\n`);
  return 0;
}

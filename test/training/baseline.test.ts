import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTrain } from '../../server/commands/train.ts';
import { BaselineError, parseBaseline } from '../../server/inference/health/baseline.ts';
import { bundledProfile } from '../../server/profiles/index.ts';
import { fitBaseline } from '../../server/training/baseline-fit.ts';
import { simulatedFrames } from '../../server/training/frames.ts';
import { hasSharedData, sharedDataFile } from '../support/shared-data.ts';

const root = mkdtempSync(join(tmpdir(), 'baseline-'));
const profile = bundledProfile('stock-twin')!;

afterAll(() => rmSync(root, { recursive: true, force: true }));

test('fit finds the engine model curves', () => {
  const drive = simulatedFrames('pulls', { seed: 21, profile, scenario: 'pulls', durationS: 600 });
  const baseline = fitBaseline([drive], profile, 'test drive');

  expect(baseline.boost).not.toBeNull();
  const boostAt5500 = baseline.boost!.value[baseline.boost!.x.indexOf(5500)];
  expect(boostAt5500).toBeGreaterThan(60);
  expect(boostAt5500).toBeLessThan(95);
  expect(baseline.oilPressure).not.toBeNull();
  expect(baseline.coolant.warmMaxC).toBeGreaterThan(profile.cooling.thermostatOpenC);
  expect(parseBaseline(JSON.parse(JSON.stringify(baseline)), 'round trip')).toEqual(baseline);
});

test('baseline without boost spread is rejected', () => {
  const drive = simulatedFrames('street', { seed: 22, profile, scenario: 'street', durationS: 120 });
  const json = JSON.parse(JSON.stringify(fitBaseline([drive], profile, 'test')));
  delete json.boostSigmaKpa;
  expect(() => parseBaseline(json, 'bad.json')).toThrow(BaselineError);
  expect(() => parseBaseline(json, 'bad.json')).toThrow('boostSigmaKpa');
});

test.skipIf(!hasSharedData('logs/ecu/ms_test.msl'))('train --baseline fits a real log', async () => {
  const log = sharedDataFile('logs/ecu/ms_test.msl')!;
  const out = join(root, 'baseline.json');

  expect(await runTrain(['--baseline', log, '--out', out])).toBe(0);
  const baseline = parseBaseline(JSON.parse(readFileSync(out, 'utf8')), out);
  expect(baseline.source).toContain('ms_test.msl');
  expect(Object.keys(baseline.thresholds ?? {}).length).toBeGreaterThan(0);
});

test('train --baseline without logs is rejected', async () => {
  expect(await runTrain(['--baseline'])).toBe(2);
});

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfile, ProfileError } from '../../server/domain/profiles.ts';
import { bundledProfile, BUNDLED_PROFILE_IDS } from '../../server/profiles/index.ts';
import { REPO_DIR } from '../support/shared-data.ts';

const PROFILE_DIR = join(REPO_DIR, 'server/profiles');

function stockJson(): Record<string, any> {
  return JSON.parse(readFileSync(join(PROFILE_DIR, 'stock-twin.json'), 'utf8'));
}

/** Applies `edit` to a copy of the stock profile and returns the error. */
function errorOf(edit: (profile: Record<string, any>) => void): ProfileError {
  const profile = stockJson();
  edit(profile);
  try {
    parseProfile(JSON.stringify(profile), 'edited.json');
  } catch (error) {
    if (error instanceof ProfileError) return error;
    throw error;
  }
  throw new Error('expected a ProfileError, but the profile was accepted');
}

describe('bundled profiles', () => {
  for (const file of ['stock-twin.json', 'big-single.json']) {
    test(`${file} is valid`, () => {
      const text = readFileSync(join(PROFILE_DIR, file), 'utf8');
      const profile = parseProfile(text, file);
      expect(profile.limits.coolantC?.hiWarning).toBeGreaterThan(90);
      expect(profile.lambdaTarget.values.length).toBe(profile.lambdaTarget.rows.length);
    });
  }

  test('lookup by id returns both', () => {
    expect(BUNDLED_PROFILE_IDS).toEqual(['stock-twin', 'big-single']);
    expect(bundledProfile('stock-twin')?.turbo.layout).toBe('sequential-twin');
    expect(bundledProfile('big-single')?.turbo.layout).toBe('single');
    expect(bundledProfile('nope')).toBeNull();
  });

  test('stock twin boost map dips in the handover', () => {
    const map = bundledProfile('stock-twin')!.expectedBoostKpa;
    const wot = map.values.map((row) => row[row.length - 1]);
    const at = (rpm: number) => wot[map.rows.indexOf(rpm)];
    expect(at(3750)).toBeLessThan(at(3500));
    expect(at(3750)).toBeLessThan(at(4000));
    expect(at(4500)).toBeGreaterThan(at(3500));
  });
});

describe('parseProfile rejects', () => {
  const cases: [string, (p: Record<string, any>) => void, string, RegExp][] = [
    ['invalid JSON', () => {}, '(root)', /not valid JSON/],
    ['a missing field', (p) => delete p.redlineRpm, 'redlineRpm', /is missing/],
    ['a string number', (p) => (p.redlineRpm = '6800'), 'redlineRpm', /finite number/],
    ['an unknown field', (p) => (p.turbo.boost = 1), 'turbo.boost', /not a known field/],
    ['an unknown channel', (p) => (p.limits.coolant = { hiWarning: 1 }), 'limits.coolant', /canonical channel/],
    ['warning above danger', (p) => (p.limits.coolantC.hiWarning = 120), 'limits.coolantC.hiDanger', /below hiWarning/],
    ['lo above hi', (p) => (p.limits.batteryV.loWarning = 15), 'limits.batteryV.hiWarning', /not above loWarning/],
    ['a descending axis', (p) => (p.lambdaTarget.rows[2] = 100), 'lambdaTarget.rows[2]', /strictly ascending/],
    ['a short table row', (p) => p.expectedBoostKpa.values[3].pop(), 'expectedBoostKpa.values[3]', /one value per column/],
    ['a missing table row', (p) => p.expectedBoostKpa.values.pop(), 'expectedBoostKpa.values', /one row of values/],
    ['a lambda out of range', (p) => (p.lambdaTarget.values[0][0] = 3), 'lambdaTarget.values[0][0]', /outside the allowed range/],
    ['a curve length mismatch', (p) => p.limits.oilPressureKpa.loWarningByRpm.value.pop(), 'limits.oilPressureKpa.loWarningByRpm.value', /one value per rpm/],
    ['a negative debounce', (p) => (p.limits.coolantC.debounceS = -1), 'limits.coolantC.debounceS', /outside the allowed range/],
    ['an empty limit', (p) => (p.limits.iatC = { description: 'x' }), 'limits.iatC', /sets no threshold/],
    ['fan off above on', (p) => (p.cooling.fanOffC = 99), 'cooling.fanOffC', /not below fanOnC/],
    ['an unknown turbo layout', (p) => (p.turbo.layout = 'triple'), 'turbo.layout', /sequential-twin/],
    ['a twin without handover', (p) => delete p.turbo.handoverRpm, 'turbo.handoverRpm', /is missing/],
    ['a bad id', (p) => (p.id = 'Stock Twin'), 'id', /lower-case/],
  ];

  for (const [name, edit, fieldPath, reason] of cases) {
    test(name, () => {
      const error =
        name === 'invalid JSON'
          ? captureInvalidJson()
          : errorOf(edit);
      expect(error.fileName).toBe(name === 'invalid JSON' ? 'broken.json' : 'edited.json');
      expect(error.fieldPath).toBe(fieldPath);
      expect(error.message).toMatch(reason);
      expect(error.message).toContain(fieldPath);
      expect(error.fix.length).toBeGreaterThan(5);
    });
  }
});

function captureInvalidJson(): ProfileError {
  try {
    parseProfile('{"id": ', 'broken.json');
  } catch (error) {
    return error as ProfileError;
  }
  throw new Error('expected a ProfileError for invalid JSON');
}

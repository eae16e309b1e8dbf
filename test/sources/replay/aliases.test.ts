import { describe, expect, test } from 'bun:test';
import {
  applyGaugeDefault,
  findAlias,
  normaliseChannelName,
  parseLogUnit,
  splitNameAndUnit,
} from '../../../server/domain/aliases.ts';

describe('channel aliases', () => {
  const cases: [string, string][] = [
    ['RPM', 'rpm'],
    ['Engine Speed', 'rpm'],
    ['ENGINE_RPM', 'rpm'],
    ['MAP', 'mapKpa'],
    ['Manifold Pressure', 'mapKpa'],
    ['INTAKE_MANIFOLD_PRESSURE', 'mapKpa'],
    ['TPS', 'throttlePct'],
    ['AFR', 'lambda'],
    ['Lambda', 'lambda'],
    ['CLT', 'coolantC'],
    ['Coolant Temperature', 'coolantC'],
    ['COOLANT_TEMPERATURE', 'coolantC'],
    ['IAT', 'iatC'],
    ['MAT', 'iatC'],
    ['Batt V', 'batteryV'],
    ['Oil Pres', 'oilPressureKpa'],
    ['VBatt', 'batteryV'],
    ['Timing', 'ignitionAdvanceDeg'],
  ];
  for (const [name, channel] of cases) {
    test(`${name} maps to ${channel}`, () => {
      expect(findAlias(name)?.channel as string | undefined).toBe(channel);
    });
  }

  test('case, spaces and punctuation are ignored', () => {
    expect(normaliseChannelName('Batt V')).toBe(normaliseChannelName('BATT_V'));
    expect(findAlias('batt-v')?.channel).toBe('batteryV');
    expect(findAlias('  coolant   temperature ')?.channel).toBe('coolantC');
  });

  test('longer names do not match a prefix', () => {
    expect(findAlias('Manifold Pressure Derivative')).toBeNull();
    expect(findAlias('RPM/s')).toBeNull();
  });

  test('AFR columns hint AFR units', () => {
    expect(findAlias('AFR')?.unitHint).toBe('AFR');
    expect(findAlias('Lambda')?.unitHint).toBe('lambda');
  });

  test('oil pressure in psi is gauge', () => {
    const oil = findAlias('Oil Pressure')!;
    const map = findAlias('MAP')!;

    expect(applyGaugeDefault(oil, 'psi')).toBe('psi gauge');
    expect(applyGaugeDefault(map, 'psi')).toBe('psi');
  });

  test('names split from bracketed units', () => {
    expect(splitNameAndUnit('Engine RPM(rpm)')).toEqual({ name: 'Engine RPM', unit: 'rpm' });
    expect(splitNameAndUnit('Speed (OBD)(km/h)')).toEqual({ name: 'Speed (OBD)', unit: 'km/h' });
    expect(splitNameAndUnit('ENGINE_RPM ()')).toEqual({ name: 'ENGINE_RPM', unit: '' });
    expect(splitNameAndUnit('Speed (OBD)')).toEqual({ name: 'Speed (OBD)', unit: '' });
    expect(splitNameAndUnit('Coolant')).toEqual({ name: 'Coolant', unit: '' });
    expect(splitNameAndUnit('Fuel Level (From Engine ECU)').name).toBe('Fuel Level (From Engine ECU)');
  });

  test('log unit spellings parse', () => {
    expect(parseLogUnit('kpa')).toBe('kPa');
    expect(parseLogUnit('MPH')).toBe('mph');
    expect(parseLogUnit('seconds')).toBe('s');
    expect(parseLogUnit('O2')).toBeNull();
  });
});

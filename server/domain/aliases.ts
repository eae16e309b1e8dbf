/**
 * @module Alias table from the channel names found in real logs
 * (MegaLogViewer and TunerStudio from Speeduino, MegaSquirt and rusEFI,
 * Haltech NSP exports, OBD-II logger CSVs) to canonical channel ids, with
 * the unit to assume when the log gives none. Pure: no I/O.
 */
import type { ChannelId } from './channels.ts';
import { parseUnit, type SourceUnit } from './units.ts';

/** Mapping of a log column name onto a canonical channel. */
export interface ChannelAlias {
  readonly channel: ChannelId;
  /** Unit to assume when the log has no usable unit for this column. */
  readonly unitHint?: SourceUnit;
  /**
   * True for pressures that loggers report relative to the atmosphere (oil,
   * fuel, coolant, boost), so a plain `psi`, `bar` or `kPa` is read as gauge.
   */
  readonly isGaugeByDefault?: boolean;
}

interface AliasEntry extends ChannelAlias {
  readonly names: readonly string[];
}

// Names are compared after `normaliseChannelName`, so `Batt V`, `batt_v` and
// `BATT-V` are one key. Matching is exact on the normalised key: a column
// such as `Manifold Pressure Derivative` never matches `Manifold Pressure`.
const ALIAS_ENTRIES: readonly AliasEntry[] = [
  { channel: 'rpm', unitHint: 'rpm', names: ['RPM', 'Engine Speed', 'Engine RPM', 'rpm1'] },
  {
    channel: 'mapKpa',
    unitHint: 'kPa',
    names: [
      'MAP', 'Manifold Pressure', 'INTAKE_MANIFOLD_PRESSURE',
      'Intake Manifold Absolute Pressure', 'Manifold Absolute Pressure', 'MAP kPa',
    ],
  },
  {
    channel: 'boostKpa',
    unitHint: 'kPa gauge',
    isGaugeByDefault: true,
    names: ['Boost', 'Boost Pressure', 'Turbo Boost'],
  },
  { channel: 'boostKpa', unitHint: 'psi gauge', isGaugeByDefault: true, names: ['Boost PSI'] },
  {
    channel: 'boostKpa',
    unitHint: 'kPa gauge',
    isGaugeByDefault: true,
    names: ['Boost Control Actual Pressure'],
  },
  {
    channel: 'baroKpa',
    unitHint: 'kPa',
    names: [
      'Baro', 'Baro Pressure', 'Barometric Pressure', 'ABSOLUTE_BAROMETRIC_PRESSURE',
      'Barometer', 'Barometric Pressure (from vehicle)',
    ],
  },
  // Speeduino logs its boost target in kPa absolute with the unit `kPa`. The
  // conversion turns it into gauge against the barometric pressure.
  {
    channel: 'boostTargetKpa',
    unitHint: 'kPa',
    names: ['Boost Target', 'Boost Control Target Pressure (Corrected)', 'Boost Control Target'],
  },
  {
    channel: 'wastegateDutyPct',
    unitHint: '%',
    names: ['Boost Duty', 'Wastegate Duty', 'Boost Control Solenoid Duty Cycle', 'WG Duty'],
  },
  {
    channel: 'throttlePct',
    unitHint: '%',
    names: ['TPS', 'Throttle', 'Throttle Position', 'Throttle Pos', 'Absolute Throttle Position'],
  },
  {
    channel: 'lambda',
    unitHint: 'AFR',
    names: ['AFR', 'AFR1', 'Air Fuel Ratio', 'Air Fuel Ratio (Measured)', 'Wideband AFR'],
  },
  // MegaSquirt names its wideband `O2` with the unit `O2` and logs AFR.
  { channel: 'lambda', unitHint: 'AFR', names: ['O2', 'EGO'] },
  {
    channel: 'lambda',
    unitHint: 'lambda',
    names: ['Lambda', 'Lambda1', 'Wideband O2 Overall', 'Wideband Lambda'],
  },
  { channel: 'lambdaTarget', unitHint: 'AFR', names: ['AFR Target', 'Target AFR', 'AFR Target 1'] },
  {
    channel: 'lambdaTarget',
    unitHint: 'lambda',
    names: [
      'Lambda Target', 'Target Lambda', 'O2 Control Bank 1 Target',
      'FUEL_AIR_COMMANDED_EQUIV_RATIO', 'Commanded Equivalence Ratio',
    ],
  },
  {
    channel: 'coolantC',
    unitHint: '°C',
    names: [
      'CLT', 'Coolant', 'Coolant Temp', 'Coolant Temperature', 'Engine Coolant Temperature',
      'ECT', 'Water Temp', 'Water Temperature',
    ],
  },
  {
    channel: 'coolantPressureKpa',
    unitHint: 'kPa gauge',
    isGaugeByDefault: true,
    names: ['Coolant Pressure', 'Coolant Pres'],
  },
  {
    channel: 'oilTempC',
    unitHint: '°C',
    names: ['Oil Temp', 'Oil Temperature', 'Engine Oil Temperature'],
  },
  {
    channel: 'oilPressureKpa',
    unitHint: 'kPa gauge',
    isGaugeByDefault: true,
    names: ['Oil Pres', 'Oil Pressure', 'Oil Press', 'OilP', 'Engine Oil Pressure'],
  },
  {
    channel: 'fuelPressureKpa',
    unitHint: 'kPa gauge',
    isGaugeByDefault: true,
    names: ['Fuel Pres', 'Fuel Pressure', 'Fuel Press', 'FuelP', 'Fuel Rail Pressure'],
  },
  { channel: 'fuelTempC', unitHint: '°C', names: ['Fuel Temp', 'Fuel Temperature'] },
  {
    channel: 'iatC',
    unitHint: '°C',
    names: [
      'IAT', 'MAT', 'Intake Air Temp', 'Intake Air Temperature', 'Air Temp', 'Charge Temp',
      'Manifold Air Temperature',
    ],
  },
  {
    channel: 'ambientC',
    unitHint: '°C',
    names: ['Ambient Temp', 'Ambient Air Temperature', 'AMBIENT_AIR_TEMP', 'Ambient Temperature'],
  },
  {
    channel: 'egtC',
    unitHint: '°C',
    names: ['EGT', 'EGT1', 'Exhaust Gas Temperature', 'Exhaust Temp'],
  },
  { channel: 'knockLevel', unitHint: 'count', names: ['Knock', 'Knock Level', 'Knock Count'] },
  { channel: 'knockRetardDeg', unitHint: 'deg', names: ['Knock Retard', 'Knock Correction'] },
  {
    channel: 'ignitionAdvanceDeg',
    unitHint: 'deg',
    names: [
      'Advance', 'Ignition Advance', 'Ignition Angle', 'Ignition Timing', 'Timing Advance',
      'Spark Advance', 'SparkAdv', 'Timing',
    ],
  },
  {
    channel: 'injectorDutyPct',
    unitHint: '%',
    names: [
      'Injector Duty', 'Injector Duty Cycle', 'DutyCycle1', 'Duty Cycle', 'Inj Duty',
      'Injection Stage 1 Outputs Highest Duty Cycle',
    ],
  },
  {
    channel: 'engineLoadPct',
    unitHint: '%',
    names: ['Engine Load', 'Calculated Load', 'Calculated Engine Load', 'Load'],
  },
  { channel: 'mafGs', unitHint: 'g/s', names: ['MAF', 'Mass Air Flow', 'MAF Air Flow Rate'] },
  {
    channel: 'stftPct',
    unitHint: '%',
    names: [
      'STFT', 'STFT1', 'Short Term Fuel Trim', 'SHORT_TERM_FUEL_TRIM_BANK_1',
      'O2 Control Bank 1 Short Term Fuel Trim',
    ],
  },
  {
    channel: 'ltftPct',
    unitHint: '%',
    names: ['LTFT', 'LTFT1', 'Long Term Fuel Trim', 'LONG_TERM_FUEL_TRIM_BANK_1'],
  },
  {
    channel: 'speedKmh',
    unitHint: 'km/h',
    names: ['VSS', 'Vehicle Speed', 'Speed', 'Speed (OBD)', 'Road Speed'],
  },
  {
    channel: 'batteryV',
    unitHint: 'V',
    names: [
      'Batt V', 'Battery V', 'Battery Voltage', 'Batt', 'Device Battery Voltage',
      'CONTROL_MODULE_VOLTAGE', 'Voltage (Control Module)', 'VBatt',
    ],
  },
  {
    channel: 'camAngleDeg',
    unitHint: 'deg',
    names: [
      'Cam Angle', 'Intake Cam Angle', 'VVT Angle', 'Cam Control Intake 1 Angle', 'VVT1 Angle',
    ],
  },
  {
    channel: 'camTargetDeg',
    unitHint: 'deg',
    names: ['Cam Target', 'VVT Target', 'Cam Control Intake Target Angle', 'VVT1 Target'],
  },
  {
    channel: 'ethanolPct',
    unitHint: '%',
    names: [
      'Ethanol', 'Ethanol Content', 'Flex', 'Fuel Composition', 'Ethanol Fuel %', 'ETHANOL_FUEL',
    ],
  },
  {
    channel: 'fuelRateLh',
    unitHint: 'L/h',
    names: ['Fuel Rate', 'Engine Fuel Rate', 'Fuel Flow Rate', 'Fuel Flow'],
  },
  { channel: 'gear', unitHint: 'count', names: ['Gear', 'Current Gear'] },
  { channel: 'lateralG', unitHint: 'g', names: ['Lateral G', 'Lateral Acceleration'] },
  {
    channel: 'longitudinalG',
    unitHint: 'g',
    names: ['Longitudinal G', 'Longitudinal Acceleration'],
  },
  // `ENGINE_RUN_TINE` is the misspelt header that some OBD-II logging apps write.
  {
    channel: 'runTimeS',
    unitHint: 's',
    names: [
      'Engine Run Time', 'ENGINE_RUN_TINE', 'Run Time', 'Run Time Since Engine Start',
      'Time Since Engine Start',
    ],
  },
];

const ALIAS_BY_KEY = buildAliasIndex(ALIAS_ENTRIES);

/**
 * Normalises a channel name for alias lookup: lower case, with spaces,
 * underscores and punctuation removed, so `Batt V` and `BATT_V` compare equal.
 */
export function normaliseChannelName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9%]+/g, '');
}

/** Looks up the canonical channel of a log column name, or null when unknown. */
export function findAlias(name: string): ChannelAlias | null {
  return ALIAS_BY_KEY.get(normaliseChannelName(name)) ?? null;
}

/**
 * Splits a column header that carries its unit in brackets, such as
 * `Engine RPM(rpm)`, `Speed (OBD)(km/h)` or `ENGINE_RPM ()`, into name and
 * unit. Only the last bracket group can be the unit, and only when the name
 * without it is not empty.
 */
export function splitNameAndUnit(header: string): { name: string; unit: string } {
  const text = header.trim();
  const match = /^(.*?)\s*[([]([^()[\]]*)[)\]]$/.exec(text);
  if (match === null || match[1].trim() === '') return { name: text, unit: '' };

  // A bracket holding several words, such as `(From Engine ECU)`, is part
  // of the name; so is one that completes a known alias, such as `(OBD)`.
  const unit = match[2].trim();
  if (unit === '' || parseLogUnit(unit) !== null) return { name: match[1].trim(), unit };
  if (/\s/.test(unit) || findAlias(text) !== null) return { name: text, unit: '' };
  return { name: match[1].trim(), unit };
}

// Spellings met in logs that the domain's unit parser does not list.
const EXTRA_UNIT_SPELLINGS: Readonly<Record<string, SourceUnit>> = {
  'rev/min': 'rpm',
  revs: 'rpm',
  degrees: 'deg',
  'deg btdc': 'deg',
  '°btdc': 'deg',
  degf: '°F',
  'degrees f': '°F',
  'degrees c': '°C',
  volt: 'V',
  'kpa(a)': 'kPa abs',
  'psi(a)': 'psi abs',
  'kpa(g)': 'kPa gauge',
  'psi(g)': 'psi gauge',
  secs: 's',
  seconds: 's',
  msec: 'ms',
  millis: 'ms',
  milliseconds: 'ms',
  'g/sec': 'g/s',
  'l/hr': 'L/h',
  percent: '%',
};

/** Parses a unit as written in a log header, or returns null when unknown. */
export function parseLogUnit(text: string): SourceUnit | null {
  const known = parseUnit(text);
  if (known !== null) return known;
  return EXTRA_UNIT_SPELLINGS[text.trim().toLowerCase()] ?? null;
}

/**
 * Turns a plain pressure unit into its gauge form for channels that loggers
 * report relative to the atmosphere; other units are returned unchanged.
 */
export function applyGaugeDefault(alias: ChannelAlias, unit: SourceUnit): SourceUnit {
  if (alias.isGaugeByDefault !== true) return unit;
  if (unit === 'psi') return 'psi gauge';
  if (unit === 'bar') return 'bar gauge';
  if (unit === 'kPa') return 'kPa gauge';
  return unit;
}

function buildAliasIndex(entries: readonly AliasEntry[]): Map<string, ChannelAlias> {
  const index = new Map<string, ChannelAlias>();
  for (const entry of entries) {
    const alias: ChannelAlias = {
      channel: entry.channel,
      unitHint: entry.unitHint,
      isGaugeByDefault: entry.isGaugeByDefault,
    };
    for (const name of entry.names) {
      const key = normaliseChannelName(name);
      if (index.has(key)) throw new Error(`alias ${name} is listed twice`);
      index.set(key, alias);
    }
  }
  return index;
}

/**
 * @module Unit conversion into the canonical units of `channels.ts`.
 * Sources call `toCanonical` once at ingest; nothing downstream converts.
 */
import { channelSpec, type ChannelId, type Unit } from './channels.ts';

/** A unit as found in logs and adapter data, normalised to one spelling. */
export type SourceUnit =
  | Unit
  | '°F'
  | 'K'
  | 'psi'
  | 'psi gauge'
  | 'bar'
  | 'bar gauge'
  | 'mbar'
  | 'inHg'
  | 'AFR'
  | 'mph'
  | 'mV';

/** Standard atmosphere, used to turn absolute pressure into gauge pressure. */
export const STANDARD_BARO_KPA = 101.325;
export const PSI_TO_KPA = 6.894757;
const INHG_TO_KPA = 3.386389;
const MPH_TO_KMH = 1.609344;

/** Stoichiometric air-fuel ratio of pump petrol; E85 is about 9.8. */
export const PETROL_STOICH_AFR = 14.7;

/** Context needed by conversions that depend on the car, not the unit. */
export interface ConversionContext {
  /** Stoichiometric AFR of the fuel, for AFR to lambda. */
  readonly stoichAfr: number;
  /** Barometric pressure in kPa, for absolute to gauge pressure. */
  readonly baroKpa: number;
}

export const DEFAULT_CONVERSION: ConversionContext = {
  stoichAfr: PETROL_STOICH_AFR,
  baroKpa: STANDARD_BARO_KPA,
};

const UNIT_SPELLINGS: Record<string, SourceUnit> = {
  rpm: 'rpm',
  kpa: 'kPa',
  'kpa abs': 'kPa',
  'kpa gauge': 'kPa gauge',
  'kpa g': 'kPa gauge',
  lambda: 'lambda',
  λ: 'lambda',
  c: '°C',
  '°c': '°C',
  degc: '°C',
  'deg c': '°C',
  f: '°F',
  '°f': '°F',
  degf: '°F',
  'deg f': '°F',
  k: 'K',
  '%': '%',
  pct: '%',
  v: 'V',
  volts: 'V',
  mv: 'mV',
  'km/h': 'km/h',
  kph: 'km/h',
  kmh: 'km/h',
  mph: 'mph',
  deg: 'deg',
  '°': 'deg',
  'g/s': 'g/s',
  'l/h': 'L/h',
  s: 's',
  sec: 's',
  ms: 'ms',
  g: 'g',
  psi: 'psi',
  psig: 'psi gauge',
  'psi gauge': 'psi gauge',
  bar: 'bar',
  'bar gauge': 'bar gauge',
  mbar: 'mbar',
  inhg: 'inHg',
  afr: 'AFR',
  'a/f': 'AFR',
  count: 'count',
};

/** Parses a unit string from a log header; returns null when unknown. */
export function parseUnit(text: string): SourceUnit | null {
  const key = text.trim().toLowerCase();
  return UNIT_SPELLINGS[key] ?? null;
}

/**
 * Converts `value` in `from` to the canonical unit of `channel`, or returns
 * NaN when the two units measure different quantities.
 */
export function toCanonical(
  value: number,
  from: SourceUnit,
  channel: ChannelId,
  context: ConversionContext = DEFAULT_CONVERSION,
): number {
  const to = channelSpec(channel).unit;
  if (from === to) return value;
  const kind = quantityOf(to);
  if (kind !== quantityOf(from)) return NaN;

  switch (kind) {
    case 'temperature':
      return temperatureToC(value, from);
    case 'pressure':
      return pressureTo(value, from, to === 'kPa gauge', context.baroKpa);
    case 'mixture':
      return from === 'AFR' ? value / context.stoichAfr : value;
    case 'speed':
      return from === 'mph' ? value * MPH_TO_KMH : value;
    case 'voltage':
      return from === 'mV' ? value / 1000 : value;
    case 'time':
      return from === 'ms' ? value / 1000 : value * 1000;
    default:
      return NaN;
  }
}

type Quantity =
  | 'temperature'
  | 'pressure'
  | 'mixture'
  | 'speed'
  | 'voltage'
  | 'time'
  | 'other';

function quantityOf(unit: SourceUnit): Quantity {
  switch (unit) {
    case '°C':
    case '°F':
    case 'K':
      return 'temperature';
    case 'kPa':
    case 'kPa gauge':
    case 'psi':
    case 'psi gauge':
    case 'bar':
    case 'bar gauge':
    case 'mbar':
    case 'inHg':
      return 'pressure';
    case 'lambda':
    case 'AFR':
      return 'mixture';
    case 'km/h':
    case 'mph':
      return 'speed';
    case 'V':
    case 'mV':
      return 'voltage';
    case 's':
    case 'ms':
      return 'time';
    default:
      return 'other';
  }
}

function temperatureToC(value: number, from: SourceUnit): number {
  if (from === '°F') return ((value - 32) * 5) / 9;
  if (from === 'K') return value - 273.15;
  return value;
}

/**
 * Converts a pressure to kPa, absolute or gauge. `psi`, `bar`, `mbar`,
 * `inHg` and `kPa` are taken as absolute; the `gauge` spellings as gauge.
 */
function pressureTo(
  value: number,
  from: SourceUnit,
  isGaugeWanted: boolean,
  baroKpa: number,
): number {
  let kpa: number;
  let isGauge = false;
  switch (from) {
    case 'psi':
      kpa = value * PSI_TO_KPA;
      break;
    case 'psi gauge':
      kpa = value * PSI_TO_KPA;
      isGauge = true;
      break;
    case 'bar':
      kpa = value * 100;
      break;
    case 'bar gauge':
      kpa = value * 100;
      isGauge = true;
      break;
    case 'mbar':
      kpa = value / 10;
      break;
    case 'inHg':
      kpa = value * INHG_TO_KPA;
      break;
    case 'kPa gauge':
      kpa = value;
      isGauge = true;
      break;
    default:
      kpa = value;
  }
  if (isGauge === isGaugeWanted) return kpa;
  return isGaugeWanted ? kpa - baroKpa : kpa + baroKpa;
}

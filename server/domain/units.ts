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
  | 'kPa abs'
  | 'psi'
  | 'psi abs'
  | 'psi gauge'
  | 'bar'
  | 'bar abs'
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
  'kpa abs': 'kPa abs',
  kpaa: 'kPa abs',
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
  psia: 'psi abs',
  'psi abs': 'psi abs',
  bara: 'bar abs',
  'bar abs': 'bar abs',
  barg: 'bar gauge',
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
    case 'kPa abs':
    case 'kPa gauge':
    case 'psi':
    case 'psi abs':
    case 'psi gauge':
    case 'bar':
    case 'bar abs':
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
 * Converts a pressure to kPa, absolute or gauge. A bare `kPa`, `psi` or
 * `bar` takes the channel's own reference, because a unit alone does not
 * say it: 60 psi of oil pressure and 1 bar of boost are gauge readings,
 * 14.7 psi of manifold pressure is absolute. The `abs` and `gauge`
 * spellings convert between the two; `mbar` and `inHg` are barometric
 * units and always absolute.
 */
function pressureTo(
  value: number,
  from: SourceUnit,
  isGaugeWanted: boolean,
  baroKpa: number,
): number {
  const [kpa, reference] = pressureInKpa(value, from);
  const isGauge = reference === 'channel' ? isGaugeWanted : reference === 'gauge';
  if (isGauge === isGaugeWanted) return kpa;
  return isGaugeWanted ? kpa - baroKpa : kpa + baroKpa;
}

type PressureReference = 'gauge' | 'absolute' | 'channel';

function pressureInKpa(value: number, from: SourceUnit): [number, PressureReference] {
  switch (from) {
    case 'psi':
      return [value * PSI_TO_KPA, 'channel'];
    case 'psi abs':
      return [value * PSI_TO_KPA, 'absolute'];
    case 'psi gauge':
      return [value * PSI_TO_KPA, 'gauge'];
    case 'bar':
      return [value * 100, 'channel'];
    case 'bar abs':
      return [value * 100, 'absolute'];
    case 'bar gauge':
      return [value * 100, 'gauge'];
    case 'mbar':
      return [value / 10, 'absolute'];
    case 'inHg':
      return [value * INHG_TO_KPA, 'absolute'];
    case 'kPa abs':
      return [value, 'absolute'];
    case 'kPa gauge':
      return [value, 'gauge'];
    default:
      return [value, 'channel'];
  }
}

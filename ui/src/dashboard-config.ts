/**
 * @module Layout of the first dashboard as data: which channels get tiles,
 * which series share a chart, and how derived metrics are labelled. A later
 * dashboard can load other lists without new markup.
 */
import { DERIVED_IDS, DERIVED_UNITS, type DerivedId } from '../../server/protocol.ts';
import { channelDisplay } from './channel-catalog.ts';
import { derivedKey } from './tick-series.ts';

/** One tile: a channel and an optional companion shown under its value. */
export interface TileSpec {
  readonly channel: string;
  /** Channel shown as a second line, such as the lambda target under lambda. */
  readonly companion?: string;
}

/** One line of a chart. */
export interface ChartSeriesSpec {
  /** Series key in the history: a channel id or `derived.<id>`. */
  readonly key: string;
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
  /** CSS colour of the line, chosen for contrast on the dark background. */
  readonly color: string;
  readonly isDashed?: boolean;
}

/** A chart and the series it draws, with one y axis per unit (keep to two units). */
export interface ChartGroup {
  readonly id: string;
  readonly title: string;
  /** Width of the time window, in seconds. */
  readonly windowS: number;
  /** Plot height in CSS pixels. */
  readonly heightPx: number;
  readonly series: readonly ChartSeriesSpec[];
}

/** Tiles of the main channels, in display order. */
export const MAIN_TILES: readonly TileSpec[] = [
  { channel: 'rpm' },
  { channel: 'boostKpa', companion: 'boostTargetKpa' },
  { channel: 'mapKpa' },
  { channel: 'lambda', companion: 'lambdaTarget' },
  { channel: 'coolantC' },
  { channel: 'oilTempC' },
  { channel: 'oilPressureKpa' },
  { channel: 'iatC' },
  { channel: 'throttlePct' },
  { channel: 'knockLevel', companion: 'knockRetardDeg' },
  { channel: 'batteryV' },
  { channel: 'speedKmh' },
];

/** Returns a chart series for a canonical channel. */
export function channelSeries(id: string, color: string, isDashed = false): ChartSeriesSpec {
  const display = channelDisplay(id);
  const { label, unit, decimals } = display;
  return { key: id, label, unit, decimals, color, isDashed };
}

/** Charts of the main channels. */
export const CHART_GROUPS: readonly ChartGroup[] = [
  {
    id: 'speed',
    title: 'Engine speed and throttle',
    windowS: 60,
    heightPx: 170,
    series: [channelSeries('rpm', '#5cc8ff'), channelSeries('throttlePct', '#f2c14e')],
  },
  {
    id: 'boost',
    title: 'Boost',
    windowS: 60,
    heightPx: 170,
    series: [
      channelSeries('boostKpa', '#ff8a5c'),
      channelSeries('boostTargetKpa', '#c9c9c9', true),
    ],
  },
  {
    id: 'mixture',
    title: 'Mixture',
    windowS: 60,
    heightPx: 170,
    series: [channelSeries('lambda', '#7ee07e'), channelSeries('lambdaTarget', '#c9c9c9', true)],
  },
  {
    id: 'temperatures',
    title: 'Temperatures',
    windowS: 300,
    heightPx: 170,
    series: [
      channelSeries('coolantC', '#5cc8ff'),
      channelSeries('oilTempC', '#f2c14e'),
      channelSeries('iatC', '#d59cff'),
    ],
  },
];

/** People's names of the derived metrics. */
export const DERIVED_LABELS: Readonly<Record<DerivedId, string>> = {
  afrDelta: 'Lambda minus target',
  coolantRiseRate: 'Coolant rise rate',
  boostGradient: 'Boost gradient',
  turboDeviation: 'Boost deviation from expected',
  oilTempSwing: 'Oil temperature swing',
};

const DERIVED_DECIMALS: Readonly<Record<DerivedId, number>> = {
  afrDelta: 3,
  coolantRiseRate: 2,
  boostGradient: 0,
  turboDeviation: 2,
  oilTempSwing: 1,
};

/** Returns the chart series of a derived metric. */
export function derivedSeries(id: DerivedId): ChartSeriesSpec {
  return {
    key: derivedKey(id),
    label: DERIVED_LABELS[id],
    unit: DERIVED_UNITS[id],
    decimals: DERIVED_DECIMALS[id],
    color: '#9fd3ff',
  };
}

/** One small chart per derived metric. */
export const DERIVED_CHARTS: readonly ChartGroup[] = DERIVED_IDS.map((id) => ({
  id: `derived-${id}`,
  title: DERIVED_LABELS[id],
  windowS: 120,
  heightPx: 110,
  series: [derivedSeries(id)],
}));

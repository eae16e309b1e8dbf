/**
 * @module Display facts of the canonical channels: label, unit and the number
 * of decimals a tile shows. The UI may not import the server's channel table,
 * so a test checks this copy against it. A channel missing here is still
 * shown, labelled with its id and without a unit.
 */

/** Label, unit and decimals of one channel on the dashboard. */
export interface ChannelDisplay {
  readonly id: string;
  readonly label: string;
  /** Canonical unit as the server sends it, such as `kPa gauge` or `°C`. */
  readonly unit: string;
  /** Decimals shown on tiles and in chart legends. */
  readonly decimals: number;
}

const DISPLAY_TABLE: readonly (readonly [string, string, string, number])[] = [
  ['rpm', 'Engine speed', 'rpm', 0],
  ['mapKpa', 'Manifold pressure (absolute)', 'kPa', 0],
  ['boostKpa', 'Boost (gauge)', 'kPa gauge', 0],
  ['baroKpa', 'Barometric pressure', 'kPa', 1],
  ['boostTargetKpa', 'Boost target (gauge)', 'kPa gauge', 0],
  ['wastegateDutyPct', 'Wastegate duty', '%', 0],
  ['throttlePct', 'Throttle position', '%', 0],
  ['lambda', 'Lambda (wideband)', 'lambda', 3],
  ['lambdaTarget', 'Lambda target', 'lambda', 3],
  ['coolantC', 'Coolant temperature', '°C', 0],
  ['coolantPressureKpa', 'Coolant pressure (gauge)', 'kPa gauge', 0],
  ['oilTempC', 'Oil temperature', '°C', 0],
  ['oilPressureKpa', 'Oil pressure (gauge)', 'kPa gauge', 0],
  ['fuelPressureKpa', 'Fuel pressure (gauge)', 'kPa gauge', 0],
  ['fuelTempC', 'Fuel temperature', '°C', 0],
  ['iatC', 'Intake air temperature', '°C', 0],
  ['ambientC', 'Ambient air temperature', '°C', 0],
  ['egtC', 'Exhaust gas temperature', '°C', 0],
  ['knockLevel', 'Knock level', 'count', 0],
  ['knockRetardDeg', 'Knock retard', 'deg', 1],
  ['ignitionAdvanceDeg', 'Ignition advance', 'deg', 1],
  ['injectorDutyPct', 'Injector duty', '%', 0],
  ['engineLoadPct', 'Calculated load', '%', 0],
  ['mafGs', 'Mass air flow', 'g/s', 1],
  ['stftPct', 'Short-term fuel trim', '%', 1],
  ['ltftPct', 'Long-term fuel trim', '%', 1],
  ['speedKmh', 'Vehicle speed', 'km/h', 0],
  ['batteryV', 'Battery voltage', 'V', 2],
  ['camAngleDeg', 'Intake cam angle', 'deg', 1],
  ['camTargetDeg', 'Intake cam target', 'deg', 1],
  ['ethanolPct', 'Ethanol content', '%', 0],
  ['fuelRateLh', 'Fuel rate', 'L/h', 1],
  ['gear', 'Gear', 'count', 0],
  ['lateralG', 'Lateral acceleration', 'g', 2],
  ['longitudinalG', 'Longitudinal acceleration', 'g', 2],
  ['runTimeS', 'Engine run time', 's', 0],
];

/** Display facts of every canonical channel, in the server's channel order. */
export const CHANNEL_DISPLAYS: readonly ChannelDisplay[] = DISPLAY_TABLE.map(
  ([id, label, unit, decimals]) => ({ id, label, unit, decimals }),
);

const DISPLAY_BY_ID = new Map(CHANNEL_DISPLAYS.map((d) => [d.id, d]));

/**
 * Returns the display facts of a channel; an id the catalog does not list
 * gets its id as label, no unit and two decimals.
 */
export function channelDisplay(id: string): ChannelDisplay {
  return DISPLAY_BY_ID.get(id) ?? { id, label: id, unit: '', decimals: 2 };
}

/**
 * @module Strict validation of engine profiles. A profile is JSON written by
 * hand, so every field is checked once, when it is loaded: types, finite
 * numbers, ascending axes, table shapes, limit ordering and channel ids.
 * A bad profile raises a `ProfileError` that names the file, the field path,
 * the reason and the fix. This module does no I/O.
 */
import { isChannelId } from './channels.ts';
import type {
  ChannelLimits,
  EngineProfile,
  Map2D,
  RpmCurve,
} from './profile-types.ts';

/** A profile that cannot be used; the message names file, field and fix. */
export class ProfileError extends Error {
  override name = 'ProfileError';

  constructor(
    readonly fileName: string,
    readonly fieldPath: string,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`Invalid engine profile ${fileName}: ${fieldPath} ${reason}. ${fix}`);
  }
}

type JsonObject = Record<string, unknown>;

/** A cursor on one field of the profile being validated. */
class Field {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly value: unknown,
  ) {}

  fail(reason: string, fix: string): never {
    throw new ProfileError(this.file, this.path || '(root)', reason, fix);
  }

  child(key: string | number): Field {
    const path =
      typeof key === 'number' ? `${this.path}[${key}]` : joinPath(this.path, key);
    const object = this.value as JsonObject;
    return new Field(this.file, path, object[key as string]);
  }

  isPresent(): boolean {
    return this.value !== undefined;
  }
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function object(field: Field, allowedKeys: readonly string[] | null): JsonObject {
  const value = requireField(field).value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    field.fail(`must be an object, got ${describe(value)}`, 'Write it as { ... }.');
  }
  for (const key of Object.keys(value)) {
    if (allowedKeys !== null && !allowedKeys.includes(key)) {
      field
        .child(key)
        .fail(
          'is not a known field',
          `Remove it or correct the spelling; known fields: ${allowedKeys.join(', ')}.`,
        );
    }
  }
  return value as JsonObject;
}

function requireField(field: Field): Field {
  if (!field.isPresent()) field.fail('is missing', 'Add it to the profile.');
  return field;
}

function text(field: Field): string {
  const value = requireField(field).value;
  if (typeof value !== 'string' || value.trim() === '') {
    field.fail(`must be a non-empty string, got ${describe(value)}`, 'Write a text.');
  }
  return value;
}

function finite(field: Field, min = -Infinity, max = Infinity): number {
  const value = requireField(field).value;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    field.fail(`must be a finite number, got ${describe(value)}`, 'Write a number.');
  }
  if (value < min || value > max) {
    field.fail(
      `is ${value}, outside the allowed range ${min} to ${max}`,
      'Use a value inside that range.',
    );
  }
  return value;
}

function optionalFinite(
  field: Field,
  min = -Infinity,
  max = Infinity,
): number | undefined {
  return field.isPresent() ? finite(field, min, max) : undefined;
}

function numberArray(
  field: Field,
  minLength: number,
  min = -Infinity,
  max = Infinity,
): number[] {
  const value = requireField(field).value;
  if (!Array.isArray(value)) {
    field.fail(`must be an array of numbers, got ${describe(value)}`, 'Write [a, b, ...].');
  }
  if (value.length < minLength) {
    field.fail(
      `has ${value.length} entries, needs at least ${minLength}`,
      'Add breakpoints.',
    );
  }
  return value.map((_, i) => finite(field.child(i), min, max));
}

function ascending(field: Field, minLength: number): number[] {
  const axis = numberArray(field, minLength);
  for (let i = 1; i < axis.length; i++) {
    if (axis[i] <= axis[i - 1]) {
      field
        .child(i)
        .fail(
          `is ${axis[i]}, not above the previous breakpoint ${axis[i - 1]}`,
          'Axis breakpoints must be strictly ascending.',
        );
    }
  }
  return axis;
}

function rpmCurve(field: Field): RpmCurve {
  object(field, ['rpm', 'value']);
  const rpm = ascending(field.child('rpm'), 1);
  const value = numberArray(field.child('value'), 1);
  if (value.length !== rpm.length) {
    field
      .child('value')
      .fail(
        `has ${value.length} entries but rpm has ${rpm.length}`,
        'Give one value per rpm breakpoint.',
      );
  }
  return { rpm, value };
}

function map2D(field: Field, min: number, max: number): Map2D {
  object(field, ['rows', 'columns', 'values', 'description']);
  const rows = ascending(field.child('rows'), 1);
  const columns = ascending(field.child('columns'), 1);
  const valuesField = requireField(field.child('values'));
  const table = valuesField.value;
  if (!Array.isArray(table)) {
    return valuesField.fail(
      `must be an array of rows, got ${describe(table)}`,
      'Write [[...], ...].',
    );
  }
  if (table.length !== rows.length) {
    valuesField.fail(
      `has ${table.length} rows but rows has ${rows.length} breakpoints`,
      'Give one row of values per row breakpoint.',
    );
  }
  const values = rows.map((_, i) => {
    const row = numberArray(valuesField.child(i), 1, min, max);
    if (row.length !== columns.length) {
      valuesField
        .child(i)
        .fail(
          `has ${row.length} values but columns has ${columns.length} breakpoints`,
          'Give one value per column breakpoint.',
        );
    }
    return row;
  });
  return { rows, columns, values };
}

const LIMIT_KEYS = [
  'loDanger',
  'loWarning',
  'hiWarning',
  'hiDanger',
  'loWarningByRpm',
  'loDangerByRpm',
  'hysteresis',
  'debounceS',
  'minRpm',
  'description',
] as const;

function channelLimits(field: Field): ChannelLimits {
  object(field, LIMIT_KEYS);
  const limits: Record<string, unknown> = {};
  for (const key of ['loDanger', 'loWarning', 'hiWarning', 'hiDanger']) {
    const value = optionalFinite(field.child(key));
    if (value !== undefined) limits[key] = value;
  }
  for (const key of ['hysteresis', 'debounceS', 'minRpm']) {
    const value = optionalFinite(field.child(key), 0);
    if (value !== undefined) limits[key] = value;
  }
  for (const key of ['loWarningByRpm', 'loDangerByRpm']) {
    if (field.child(key).isPresent()) limits[key] = rpmCurve(field.child(key));
  }
  checkLimitOrder(field, limits as ChannelLimits);
  if (Object.keys(limits).length === 0) {
    field.fail(
      'sets no threshold',
      'Set at least one of loDanger, loWarning, hiWarning, hiDanger.',
    );
  }
  return limits as ChannelLimits;
}

/** Checks loDanger <= loWarning < hiWarning <= hiDanger over the fields present. */
function checkLimitOrder(field: Field, limits: ChannelLimits): void {
  const order = [
    ['loDanger', limits.loDanger],
    ['loWarning', limits.loWarning],
    ['hiWarning', limits.hiWarning],
    ['hiDanger', limits.hiDanger],
  ] as const;
  const present = order.filter(([, value]) => value !== undefined) as [string, number][];
  for (let i = 1; i < present.length; i++) {
    const [lowKey, low] = present[i - 1];
    const [highKey, high] = present[i];
    const crossesBand = lowKey.startsWith('lo') && highKey.startsWith('hi');
    const isOrdered = crossesBand ? low < high : low <= high;
    if (!isOrdered) {
      field
        .child(highKey)
        .fail(
          `is ${high}, ${crossesBand ? 'not above' : 'below'} ${lowKey} ${low}`,
          'Order the limits loDanger <= loWarning < hiWarning <= hiDanger.',
        );
    }
  }
}

function limitsTable(field: Field): EngineProfile['limits'] {
  const table = object(field, null);
  const limits: Record<string, ChannelLimits> = {};
  for (const channel of Object.keys(table)) {
    if (!isChannelId(channel)) {
      field
        .child(channel)
        .fail(
          'is not a canonical channel id',
          'Use an id from server/domain/channels.ts, such as coolantC.',
        );
    }
    limits[channel] = channelLimits(field.child(channel));
  }
  return limits;
}

function turbo(field: Field): EngineProfile['turbo'] {
  object(field, [
    'layout',
    'handoverRpm',
    'wastegateSpringKpa',
    'fuelCutMapKpa',
    'description',
  ]);
  const layout = text(field.child('layout'));
  if (layout !== 'sequential-twin' && layout !== 'single') {
    return field.child('layout').fail(`is "${layout}"`, 'Use "sequential-twin" or "single".');
  }
  const wastegateSpringKpa = finite(field.child('wastegateSpringKpa'), 0, 400);
  const fuelCutMapKpa = optionalFinite(field.child('fuelCutMapKpa'), 100, 600);
  if (layout === 'single') return { layout, wastegateSpringKpa, fuelCutMapKpa };

  const band = ascending(field.child('handoverRpm'), 2);
  if (band.length !== 2) {
    field.child('handoverRpm').fail(`has ${band.length} entries`, 'Write [startRpm, endRpm].');
  }
  const handoverRpm: [number, number] = [band[0], band[1]];
  return { layout, wastegateSpringKpa, fuelCutMapKpa, handoverRpm };
}

function fuel(field: Field): EngineProfile['fuel'] {
  object(field, [
    'stoichAfr',
    'basePressureKpa',
    'injectorFlowCcMin',
    'pumpFlowLh',
    'description',
  ]);
  return {
    stoichAfr: finite(field.child('stoichAfr'), 5, 20),
    basePressureKpa: finite(field.child('basePressureKpa'), 50, 1000),
    injectorFlowCcMin: optionalFinite(field.child('injectorFlowCcMin'), 50, 5000),
    pumpFlowLh: optionalFinite(field.child('pumpFlowLh'), 20, 2000),
  };
}

function cooling(field: Field): EngineProfile['cooling'] {
  object(field, ['thermostatOpenC', 'fanOnC', 'fanOffC', 'description']);
  const thermostatOpenC = finite(field.child('thermostatOpenC'), 40, 130);
  const fanOnC = finite(field.child('fanOnC'), 40, 130);
  const fanOffC = finite(field.child('fanOffC'), 40, 130);
  if (fanOffC >= fanOnC) {
    field
      .child('fanOffC')
      .fail(
        `is ${fanOffC}, not below fanOnC ${fanOnC}`,
        'The fan must switch off below the temperature it switches on at.',
      );
  }
  return { thermostatOpenC, fanOnC, fanOffC };
}

const PROFILE_KEYS = [
  'id',
  'name',
  'description',
  'turbo',
  'fuel',
  'cooling',
  'redlineRpm',
  'limits',
  'lambdaTarget',
  'expectedBoostKpa',
];

/**
 * Validates an already parsed JSON value as an engine profile.
 * Throws a `ProfileError` naming `fileName`, the field path and the fix.
 */
export function validateProfile(value: unknown, fileName: string): EngineProfile {
  const root = new Field(fileName, '', value);
  object(root, PROFILE_KEYS);
  const id = text(root.child('id'));
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    root.child('id').fail(`is "${id}"`, 'Use lower-case letters, digits and dashes.');
  }
  return {
    id,
    name: text(root.child('name')),
    description: text(root.child('description')),
    turbo: turbo(root.child('turbo')),
    fuel: fuel(root.child('fuel')),
    cooling: cooling(root.child('cooling')),
    redlineRpm: finite(root.child('redlineRpm'), 1000, 12000),
    limits: limitsTable(root.child('limits')),
    lambdaTarget: map2D(root.child('lambdaTarget'), 0.6, 1.3),
    expectedBoostKpa: map2D(root.child('expectedBoostKpa'), -101.3, 400),
  };
}

/**
 * Parses and validates the JSON text of an engine profile.
 * Throws a `ProfileError` naming `fileName`, the field path and the fix.
 */
export function parseProfile(jsonText: string, fileName: string): EngineProfile {
  let value: unknown;
  try {
    value = JSON.parse(jsonText);
  } catch (error) {
    throw new ProfileError(
      fileName,
      '(root)',
      `is not valid JSON (${(error as Error).message})`,
      'Fix the JSON syntax.',
    );
  }
  return validateProfile(value, fileName);
}

/**
 * @module The file set of a health model: one ONNX graph, one TensorFlow.js
 * layers model (topology JSON plus weights) and a metadata JSON that names
 * the features and classes, carries reference inputs with the outputs each
 * backend must reproduce, and keeps the training summary and evaluation.
 */
import type { Subsystem } from '../protocol.ts';
import { SUBSYSTEMS } from '../protocol.ts';

/** File names of a model set, the same on disk, in the binary and in uploads. */
export const MODEL_FILE_NAMES = {
  onnx: 'health.onnx',
  tfjsTopology: 'model.json',
  tfjsWeights: 'weights.bin',
  metadata: 'metadata.json',
} as const;

/** Files of a model set by file name. */
export type ModelFiles = ReadonlyMap<string, Uint8Array>;

/** Value of `format` in every metadata file this version reads. */
export const METADATA_FORMAT = '2jz-health-model';

/** Feature vectors and the class probabilities each backend returned for them. */
export interface ReferenceCases {
  readonly inputs: readonly (readonly number[])[];
  readonly outputs: Readonly<Record<'onnx' | 'tfjs', readonly (readonly number[])[]>>;
  /** Largest accepted absolute difference per probability. */
  readonly tolerance: number;
}

/** Contents of `metadata.json`. */
export interface ModelMetadata {
  readonly format: typeof METADATA_FORMAT;
  readonly version: string;
  readonly featureNames: readonly string[];
  readonly classNames: readonly string[];
  /** Subsystem each fault class belongs to; null for `healthy` and `unknown`. */
  readonly classSubsystems: Readonly<Record<string, Subsystem | null>>;
  readonly reference: ReferenceCases;
  /** Everything else the trainer records: seed, data set, evaluation, thresholds. */
  readonly training: Readonly<Record<string, unknown>>;
}

/** A model file set that cannot be used; the message names the file and the fix. */
export class ModelValidationError extends Error {
  override name = 'ModelValidationError';

  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(`${fileName}: ${message}`);
  }
}

/** Returns the bytes of `name` in `files`, or throws a `ModelValidationError`. */
export function requireFile(files: ModelFiles, name: string): Uint8Array {
  const bytes = files.get(name);
  if (bytes === undefined || bytes.length === 0) {
    throw new ModelValidationError(name, 'is missing or empty; a model set needs ' +
      Object.values(MODEL_FILE_NAMES).join(', '));
  }
  return bytes;
}

/** Parses and checks `metadata.json`; throws a `ModelValidationError` naming the field. */
export function parseMetadata(files: ModelFiles): ModelMetadata {
  const name = MODEL_FILE_NAMES.metadata;
  const json = parseJson(requireFile(files, name), name);
  const fail = (field: string, problem: string): never => {
    throw new ModelValidationError(name, `field ${field} ${problem}`);
  };

  if (json.format !== METADATA_FORMAT) fail('format', `must be "${METADATA_FORMAT}"`);
  if (typeof json.version !== 'string' || json.version === '') fail('version', 'must be a non-empty string');
  const featureNames = stringList(json.featureNames, 'featureNames', fail);
  const classNames = stringList(json.classNames, 'classNames', fail);
  if (!classNames.includes('healthy')) fail('classNames', 'must include "healthy"');

  const classSubsystems = (json.classSubsystems ?? {}) as Record<string, unknown>;
  for (const className of classNames) {
    const subsystem = classSubsystems[className];
    if (subsystem !== null && !SUBSYSTEMS.includes(subsystem as Subsystem)) {
      fail(`classSubsystems.${className}`, `must be one of ${SUBSYSTEMS.join(', ')} or null`);
    }
  }

  const reference = checkReference(json.reference, featureNames.length, classNames.length, fail);
  const training = typeof json.training === 'object' && json.training !== null ? json.training : {};
  return {
    format: METADATA_FORMAT,
    version: json.version as string,
    featureNames,
    classNames,
    classSubsystems: classSubsystems as Record<string, Subsystem | null>,
    reference,
    training: training as Record<string, unknown>,
  };
}

function parseJson(bytes: Uint8Array, name: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ModelValidationError(name, `is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelValidationError(name, 'must contain a JSON object');
  }
  return value as Record<string, unknown>;
}

/** Parses a JSON file of a model set as an object; throws a `ModelValidationError`. */
export function parseJsonFile(files: ModelFiles, name: string): Record<string, unknown> {
  return parseJson(requireFile(files, name), name);
}

type Fail = (field: string, problem: string) => never;

function stringList(value: unknown, field: string, fail: Fail): string[] {
  const isValid =
    Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '');
  if (!isValid) fail(field, 'must be a non-empty list of non-empty strings');
  return value as string[];
}

function checkReference(value: unknown, featureCount: number, classCount: number, fail: Fail): ReferenceCases {
  const reference = (value ?? {}) as Record<string, unknown>;
  const inputs = matrix(reference.inputs, featureCount, 'reference.inputs', fail);
  if (inputs.length === 0) fail('reference.inputs', 'must hold at least one feature vector');

  const outputs = (reference.outputs ?? {}) as Record<string, unknown>;
  const onnx = matrix(outputs.onnx, classCount, 'reference.outputs.onnx', fail);
  const tfjs = matrix(outputs.tfjs, classCount, 'reference.outputs.tfjs', fail);
  if (onnx.length !== inputs.length || tfjs.length !== inputs.length) {
    fail('reference.outputs', `must hold one row per reference input (${inputs.length})`);
  }

  const tolerance = reference.tolerance;
  if (typeof tolerance !== 'number' || !(tolerance > 0 && tolerance < 0.1)) {
    fail('reference.tolerance', 'must be a number between 0 and 0.1');
  }
  return { inputs, outputs: { onnx, tfjs }, tolerance: tolerance as number };
}

function matrix(value: unknown, width: number, field: string, fail: Fail): number[][] {
  if (!Array.isArray(value)) return fail(field, 'must be a list of rows');
  value.forEach((row, i) => {
    const isValid =
      Array.isArray(row) && row.length === width && row.every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!isValid) fail(`${field}[${i}]`, `must be a row of ${width} finite numbers`);
  });
  return value as number[][];
}

/**
 * Checks that `actual` reproduces the reference outputs of `backend`; throws
 * a `ModelValidationError` naming the first row and class that differ.
 */
export function checkReferenceOutputs(
  metadata: ModelMetadata,
  backend: 'onnx' | 'tfjs',
  fileName: string,
  actual: readonly Float32Array[],
): void {
  const { outputs, tolerance } = metadata.reference;
  outputs[backend].forEach((expectedRow, row) => {
    expectedRow.forEach((expected, column) => {
      const difference = Math.abs(actual[row][column] - expected);
      if (!(difference <= tolerance)) {
        throw new ModelValidationError(
          fileName,
          `reference input ${row} gives ${actual[row][column]} for class ` +
            `${metadata.classNames[column]}, expected ${expected} within ${tolerance}; ` +
            'the model does not match its metadata',
        );
      }
    });
  });
}

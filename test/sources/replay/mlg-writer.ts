/**
 * @module Writes small MegaLogViewer binary logs (format version 1 or 2) for
 * tests, from field descriptors and raw block values. It encodes the
 * layout independently of the parser so that the two check each other.
 */

/** One field descriptor to write. */
export interface MlgFieldSpec {
  readonly type: number;
  readonly name: string;
  readonly units?: string;
  readonly scale?: number;
  readonly transform?: number;
  readonly digits?: number;
  readonly category?: string;
}

/** One block to write; raw values are before scale and transform. */
export type MlgBlockSpec =
  | {
      readonly kind: 'data';
      readonly ticks: number;
      readonly raw: readonly number[];
      readonly counter?: number;
      readonly isCheckByteWrong?: boolean;
    }
  | {
      readonly kind: 'marker';
      readonly ticks: number;
      readonly text: string;
      readonly counter?: number;
    };

const SIZES: Record<number, number> = {
  0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 8, 7: 4, 10: 1, 11: 2, 12: 4,
};

/**
 * Encodes an MLG file. With `info` null it writes no info section and an
 * info offset of 0, as rusEFI firmware does.
 */
export function writeMlg(
  version: 1 | 2,
  fields: readonly MlgFieldSpec[],
  blocks: readonly MlgBlockSpec[],
  info: string | null = 'test writer',
  bitFieldNames: readonly string[] = [],
): Uint8Array {
  const isV2 = version === 2;
  const descriptorLength = isV2 ? 89 : 55;
  const headerLength = isV2 ? 24 : 22;
  const recordLength = fields.reduce((sum, f) => sum + SIZES[f.type], 0);
  const bitNames = bitFieldNames.map((n) => `${n}\0`).join('');
  const infoDataStart = headerLength + fields.length * descriptorLength + bitNames.length;
  const infoText = info === null ? '' : `${info}\0`;
  const dataBeginIndex = infoDataStart + infoText.length;
  const blockLength = (b: MlgBlockSpec): number => (b.kind === 'data' ? 5 + recordLength : 54);
  const blockBytes = blocks.reduce((sum, b) => sum + blockLength(b), 0);

  const bytes = new Uint8Array(dataBeginIndex + blockBytes);
  const view = new DataView(bytes.buffer);
  writeText(bytes, 0, 'MLVLG', 6);
  view.setInt16(6, version);
  view.setInt32(8, 1_600_000_000);
  let at = 12;
  const infoOffset = info === null ? 0 : infoDataStart;
  if (isV2) view.setInt32(at, infoOffset);
  else view.setInt16(at, infoOffset);
  at += isV2 ? 4 : 2;
  view.setInt32(at, dataBeginIndex);
  view.setInt16(at + 4, recordLength);
  view.setInt16(at + 6, fields.length);
  at += 8;

  for (const field of fields) {
    bytes[at] = field.type;
    writeText(bytes, at + 1, field.name, 34);
    writeText(bytes, at + 35, field.units ?? '', 10);
    view.setFloat32(at + 46, field.scale ?? 1);
    view.setFloat32(at + 50, field.transform ?? 0);
    bytes[at + 54] = field.digits ?? 0;
    if (isV2) writeText(bytes, at + 55, field.category ?? '', 34);
    at += descriptorLength;
  }
  writeText(bytes, at, bitNames, bitNames.length);
  writeText(bytes, infoDataStart, infoText, infoText.length);

  at = dataBeginIndex;
  blocks.forEach((block, index) => {
    bytes[at] = block.kind === 'data' ? 0 : 1;
    bytes[at + 1] = (block.counter ?? index) & 0xff;
    view.setUint16(at + 2, block.ticks & 0xffff);
    at += 4;
    if (block.kind === 'marker') {
      writeText(bytes, at, block.text, 50);
      at += 50;
      return;
    }
    const start = at;
    fields.forEach((field, j) => {
      writeRaw(view, at, field.type, block.raw[j]);
      at += SIZES[field.type];
    });
    let sum = 0;
    for (let i = start; i < at; i++) sum += bytes[i];
    bytes[at] = (sum + (block.isCheckByteWrong === true ? 1 : 0)) & 0xff;
    at += 1;
  });
  return bytes;
}

function writeRaw(view: DataView, at: number, type: number, value: number): void {
  switch (type) {
    case 0:
    case 10:
      return view.setUint8(at, value);
    case 1:
      return view.setInt8(at, value);
    case 2:
    case 11:
      return view.setUint16(at, value);
    case 3:
      return view.setInt16(at, value);
    case 4:
    case 12:
      return view.setUint32(at, value);
    case 5:
      return view.setInt32(at, value);
    case 6:
      return view.setBigInt64(at, BigInt(value));
    default:
      return view.setFloat32(at, value);
  }
}

function writeText(bytes: Uint8Array, at: number, text: string, length: number): void {
  for (let i = 0; i < length && i < text.length; i++) bytes[at + i] = text.charCodeAt(i);
}

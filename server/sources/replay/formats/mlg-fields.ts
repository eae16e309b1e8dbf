/**
 * @module Field types of MLG logs: their sizes and how to read a raw value.
 */

/** Byte size of each field type; types 10-12 are bit fields. */
export const FIELD_TYPE_SIZES: Readonly<Record<number, number>> = {
  0: 1, // U08
  1: 1, // S08
  2: 2, // U16
  3: 2, // S16
  4: 4, // U32
  5: 4, // S32
  6: 8, // S64
  7: 4, // F32
  10: 1, // U08 bit field
  11: 2, // U16 bit field
  12: 4, // U32 bit field
};

/** Reads one raw field value of the given type. */
export function readRaw(view: DataView, at: number, type: number): number {
  switch (type) {
    case 0:
    case 10:
      return view.getUint8(at);
    case 1:
      return view.getInt8(at);
    case 2:
    case 11:
      return view.getUint16(at);
    case 3:
      return view.getInt16(at);
    case 4:
    case 12:
      return view.getUint32(at);
    case 5:
      return view.getInt32(at);
    case 6:
      return Number(view.getBigInt64(at));
    default:
      return view.getFloat32(at);
  }
}

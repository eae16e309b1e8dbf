/**
 * @module Encodes the emulated car's replies that are not live values:
 * supported-PID bitmaps and trouble codes.
 */

/**
 * Returns the 4-byte bitmap of PIDs `base + 1` to `base + 32` in
 * `supported`. The last bit (the next bitmap PID) is set whenever any
 * higher PID is supported.
 */
export function supportedBitmap(supported: ReadonlySet<number>, base: number): number[] {
  const bitmap = [0, 0, 0, 0];
  const hasHigher = [...supported].some((pid) => pid > base + 32);
  for (let bit = 0; bit < 32; bit++) {
    const pid = base + bit + 1;
    if (supported.has(pid) || (bit === 31 && hasHigher)) bitmap[bit >> 3] |= 0x80 >> (bit & 7);
  }
  return bitmap;
}

/** Returns the two bytes of a code such as `P0301`. */
export function dtcToBytes(code: string): [number, number] {
  const system = 'PCBU'.indexOf(code[0].toUpperCase());
  const first = (system << 6) | (Number(code[1]) << 4) | Number.parseInt(code[2], 16);
  return [first, Number.parseInt(code.slice(3, 5), 16)];
}

/**
 * Returns the data of a mode 03/07 reply after the service byte: on CAN a
 * count byte and the codes, on K-line the codes padded with 00 00 to a
 * multiple of three (one frame's worth), at least one frame.
 */
export function dtcBytes(codes: readonly string[], isCan: boolean): number[] {
  const bytes = codes.flatMap((code) => dtcToBytes(code));
  if (isCan) return [codes.length, ...bytes];
  const frames = Math.max(1, Math.ceil(codes.length / 3));
  while (bytes.length < frames * 6) bytes.push(0);
  return bytes;
}

/**
 * @module Formats OBD replies as an ELM327 prints them: ISO-TP frames with
 * 11-bit or 29-bit headers, the byte-count and `0:` form without headers,
 * and K-line frames with 3-byte headers and a checksum.
 */

/** Output settings of the emulated adapter that shape a reply. */
export interface FrameFormat {
  readonly headers: boolean;
  readonly spaces: boolean;
  readonly kind: 'can11' | 'can29' | 'legacy';
}

/**
 * Returns what an ELM327 prints for one ECU's reply, one entry per frame
 * received from the bus, each entry the lines (without line ends) that
 * frame causes. The byte-count line of a header-less multi-frame reply
 * belongs to the first frame: it is no frame of its own, so the
 * response-count digit, which counts frames, must not count it.
 */
export function formatReplyFrames(
  payload: readonly number[],
  format: FrameFormat,
  canId: number,
  address: number,
): string[][] {
  if (format.kind === 'legacy') return [[formatLegacy(payload, format, address)]];
  const frames = isoTpFrames(payload);
  if (format.headers) {
    const header = canHeader(format.kind, canId, format.spaces);
    return frames.map((frame) => [joinBytes(header, frame, format.spaces)]);
  }
  if (frames.length === 1) return [[joinBytes('', payload, format.spaces)]];

  // Without headers a multi-frame reply is a byte-count line and indexed lines.
  const count = payload.length.toString(16).toUpperCase().padStart(3, '0');
  return frames.map((frame, index) => {
    const data = index === 0 ? frame.slice(2) : frame.slice(1);
    const label = (index % 16).toString(16).toUpperCase();
    const line = `${label}:${format.spaces ? ' ' : ''}${hex(data, format.spaces)}`;
    return index === 0 ? [count, line] : [line];
  });
}

/** Splits a payload into ISO-TP frames including their PCI bytes, unpadded. */
export function isoTpFrames(payload: readonly number[]): number[][] {
  if (payload.length <= 7) return [[payload.length, ...payload]];
  const firstFrame = [0x10 | (payload.length >> 8), payload.length & 0xff, ...payload.slice(0, 6)];
  const frames: number[][] = [firstFrame];
  let sequence = 1;
  for (let at = 6; at < payload.length; at += 7) {
    frames.push([0x20 | sequence, ...payload.slice(at, at + 7)]);
    sequence = (sequence + 1) & 0x0f;
  }
  return frames;
}

function formatLegacy(payload: readonly number[], format: FrameFormat, address: number): string {
  if (!format.headers) return hex(payload, format.spaces);
  const bytes = [0x48, 0x6b, address, ...payload];
  const checksum = bytes.reduce((sum, value) => sum + value, 0) & 0xff;
  return hex([...bytes, checksum], format.spaces);
}

function canHeader(kind: 'can11' | 'can29', canId: number, spaces: boolean): string {
  if (kind === 'can11') return canId.toString(16).toUpperCase();
  // 29-bit physical response: priority 18, DA, tester F1, ECU address (7E8 -> 10).
  return hex([0x18, 0xda, 0xf1, (canId - 0x7e8) + 0x10], spaces);
}

function joinBytes(header: string, bytes: readonly number[], spaces: boolean): string {
  const body = hex(bytes, spaces);
  if (header === '') return body;
  return spaces ? `${header} ${body}` : header + body;
}

function hex(bytes: readonly number[], spaces: boolean): string {
  return bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(spaces ? ' ' : '');
}

/**
 * @module Pure decoding of the OBD-II replies that are not live data:
 * supported-PID bitmaps, trouble codes (modes 03 and 07) and the VIN
 * (mode 09 PID 02), and the masking of a VIN for logs and exports.
 */

/** Returns the PIDs that a bitmap reply (PID 00, 20, 40, ...) marks as supported. */
export function decodeSupportedPids(basePid: number, bitmap: ArrayLike<number>): number[] {
  const pids: number[] = [];
  for (let bit = 0; bit < 32 && bit >> 3 < bitmap.length; bit++) {
    if ((bitmap[bit >> 3] & (0x80 >> (bit & 7))) !== 0) pids.push(basePid + bit + 1);
  }
  return pids;
}

/** Formats a two-byte trouble code as P/C/B/U and four hex digits, such as `P0301`. */
export function formatDtc(first: number, second: number): string {
  const system = 'PCBU'[first >> 6];
  const digits = ((first >> 4) & 0x03).toString() + (first & 0x0f).toString(16);
  return (system + digits + second.toString(16).padStart(2, '0')).toUpperCase();
}

/**
 * Decodes the codes of one mode 03/07 reply; `data` starts after the
 * service byte. On CAN the first byte is the number of codes; K-line and
 * J1850 send three codes per frame padded with 00 00, which are skipped.
 */
export function decodeDtcs(data: ArrayLike<number>, isCan: boolean): string[] {
  const start = isCan ? 1 : 0;
  const count = isCan ? data[0] : Number.POSITIVE_INFINITY;
  const codes: string[] = [];

  for (let i = start; i + 1 < data.length && codes.length < count; i += 2) {
    if (data[i] === 0 && data[i + 1] === 0) continue;
    codes.push(formatDtc(data[i], data[i + 1]));
  }
  return codes;
}

/** Characters allowed in a VIN (ISO 3779: digits and capitals except I, O and Q). */
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

/**
 * Extracts the VIN from the mode 09 PID 02 messages of one ECU, in order;
 * each message starts with 0x49 0x02. Returns null when no 17-character
 * VIN is present. Handles the CAN form (one message, a count byte, then
 * 17 characters) and the K-line form (five frames of a sequence byte and
 * four characters, the first padded with zeros).
 */
export function decodeVin(messages: readonly ArrayLike<number>[]): string | null {
  let text = '';
  for (const data of messages) {
    if (data.length < 3 || data[0] !== 0x49 || data[1] !== 0x02) continue;
    // Byte 2 is the count of data items (CAN) or the frame sequence (K-line).
    for (let i = 3; i < data.length; i++) {
      if (data[i] >= 0x20 && data[i] < 0x7f) text += String.fromCharCode(data[i]);
    }
  }
  const vin = text.trim().slice(-17);
  return VIN_PATTERN.test(vin) ? vin : null;
}

/**
 * Masks a VIN for logs, exports and API replies without write access. It
 * keeps the world manufacturer identifier (first 3 characters, the maker)
 * and the last 4 characters, enough to tell two cars of one owner apart.
 * It hides the 10 characters that describe the car and its serial number.
 */
export function maskVin(vin: string): string {
  if (vin.length <= 7) return '*'.repeat(vin.length);
  return vin.slice(0, 3) + '*'.repeat(vin.length - 7) + vin.slice(-4);
}

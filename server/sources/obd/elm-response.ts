/**
 * @module Parses what an ELM327 prints for one OBD request into messages
 * per ECU. It handles echo that stays on, progress dots, `SEARCHING...`
 * and spaces on or off. It reads 11-bit and 29-bit CAN headers with ISO-TP
 * frames, the byte-count and `0:`/`1:` form of multi-frame replies without
 * headers, and 3-byte K-line and J1850 headers with a checksum byte. It
 * recognises every error string and never throws: a line that fits no form
 * is counted.
 */
import { matchElmError, type ElmErrorSpec } from './elm-errors.ts';

/** Header form of the adapter's output on the current protocol. */
export type HeaderFormat = 'can11' | 'can29' | 'legacy' | 'none';

/** One reassembled OBD message, from the service byte (such as 0x41) on. */
export interface EcuMessage {
  /** Header of the sender: `7E8`, `18DAF110`, `10` (K-line source), or `ECU` without headers. */
  readonly ecu: string;
  readonly data: Uint8Array;
}

/** Everything found in one reply. */
export interface ParsedResponse {
  readonly messages: EcuMessage[];
  /** The first error string in the reply, if any. */
  readonly error: ElmErrorSpec | null;
  /** The line that carried `error`, as printed (such as `ERR94`). */
  readonly errorLine: string | null;
  /** Lines that were neither data, status nor a known error. */
  readonly invalidLines: string[];
  /** True when the adapter printed `SEARCHING...` (it was choosing a protocol). */
  readonly isSearching: boolean;
}

interface CanFrameLine {
  readonly ecu: string;
  readonly bytes: Uint8Array;
}

const HEX_LINE = /^[0-9A-F]+$/;
const INDEXED_LINE = /^([0-9A-F]):([0-9A-F]*)$/;
const STATUS_LINES = [/^SEARCHING/, /^BUS INIT:?\s*\.*\s*OK$/, /^OK$/];

/** Parses one reply of `command`; `headers` is how the protocol's headers look. */
export function parseElmResponse(raw: string, command: string, headers: HeaderFormat): ParsedResponse {
  const echo = normaliseCommand(command);
  const result = {
    messages: [] as EcuMessage[],
    error: null as ElmErrorSpec | null,
    errorLine: null as string | null,
  };
  const invalidLines: string[] = [];
  let isSearching = false;
  const canLines: CanFrameLine[] = [];
  const indexed = new IndexedReply();

  for (const rawLine of raw.split(/[\r\n]+/)) {
    const line = rawLine.replace(/[>\0]/g, '').trim().toUpperCase();
    if (line === '' || /^\.+$/.test(line)) continue;
    if (normaliseCommand(line) === echo) continue;
    if (line.startsWith('SEARCHING')) isSearching = true;
    if (STATUS_LINES.some((pattern) => pattern.test(line))) continue;

    // `<DATA ERROR` and `<RX ERROR` follow the bad frame's bytes on the same line.
    const marker = line.indexOf('<');
    const error = matchElmError(marker > 0 ? line.slice(marker) : line);
    if (error !== null) {
      result.errorLine ??= marker > 0 ? line.slice(marker) : line;
      result.error ??= error;
      continue;
    }

    // Slow K-line ECUs print progress dots before the data on the same line.
    const hex = line.replace(/^\.+/, '').replace(/ /g, '');
    if (!acceptDataLine(hex, headers, canLines, indexed, result.messages)) invalidLines.push(line);
  }

  result.messages.push(...assembleCanFrames(canLines, invalidLines));
  const fromIndexed = indexed.assemble();
  if (fromIndexed !== null) result.messages.push(fromIndexed);
  else if (indexed.hasLines) invalidLines.push(...indexed.describe());

  return { ...result, invalidLines, isSearching };
}

function acceptDataLine(
  hex: string,
  headers: HeaderFormat,
  canLines: CanFrameLine[],
  indexed: IndexedReply,
  messages: EcuMessage[],
): boolean {
  const indexedMatch = INDEXED_LINE.exec(hex);
  if (indexedMatch !== null) return indexed.addLine(indexedMatch[1], indexedMatch[2]);
  if (!HEX_LINE.test(hex)) return false;

  // A three-digit line with no header is the byte count of a multi-frame reply.
  if (hex.length === 3) return indexed.setByteCount(hex);

  const format = effectiveFormat(hex, headers);
  if (format === 'can11' || format === 'can29') {
    const headerLength = format === 'can11' ? 3 : 8;
    if (hex.length < headerLength + 2) return false;
    canLines.push({ ecu: hex.slice(0, headerLength), bytes: hexBytes(hex.slice(headerLength)) });
    return true;
  }
  if (hex.length % 2 !== 0) return false;

  const bytes = hexBytes(hex);
  if (format === 'legacy') {
    // Priority, target and source bytes, then data, then the checksum byte.
    if (bytes.length < 5) return false;
    messages.push({ ecu: hex.slice(4, 6), data: bytes.slice(3, -1) });
    return true;
  }
  messages.push({ ecu: 'ECU', data: bytes });
  return true;
}

/**
 * Decides the header form of one line. Clones that ignore `ATH1` print
 * CAN data without a header. With 11-bit IDs that shows as an even count
 * of digits, where a header would make it odd. With 29-bit IDs the line
 * does not start with the 18 DA / 18 DB priority and type of a header.
 */
function effectiveFormat(hex: string, headers: HeaderFormat): HeaderFormat {
  const looks29 = /^18D[AB][0-9A-F]{4}/.test(hex) && hex.length >= 12;
  if (headers === 'can11') return hex.length % 2 === 1 ? 'can11' : 'none';
  if (headers === 'can29') return looks29 ? 'can29' : 'none';
  if (headers === 'none' && hex.length % 2 === 1) return 'can11';
  if (headers === 'none' && looks29) return 'can29';
  return headers;
}

/** Reassembles ISO-TP single, first and consecutive frames per sender. */
function assembleCanFrames(lines: readonly CanFrameLine[], invalidLines: string[]): EcuMessage[] {
  const messages: EcuMessage[] = [];
  const pending = new Map<string, { length: number; parts: number[]; nextSequence: number }>();

  for (const { ecu, bytes } of lines) {
    const pci = bytes[0];
    const frameType = pci >> 4;

    if (frameType === 0) {
      const length = pci & 0x0f;
      if (length === 0 || length > bytes.length - 1) invalidLines.push(`${ecu} single frame`);
      else messages.push({ ecu, data: bytes.slice(1, 1 + length) });
    } else if (frameType === 1 && bytes.length >= 2) {
      const length = ((pci & 0x0f) << 8) | bytes[1];
      pending.set(ecu, { length, parts: Array.from(bytes.slice(2)), nextSequence: 1 });
    } else if (frameType === 2 && pending.has(ecu)) {
      const message = pending.get(ecu)!;
      if ((pci & 0x0f) !== message.nextSequence) {
        invalidLines.push(`${ecu} consecutive frame out of sequence`);
        pending.delete(ecu);
        continue;
      }
      message.parts.push(...bytes.slice(1));
      message.nextSequence = (message.nextSequence + 1) & 0x0f;
    } else {
      invalidLines.push(`${ecu} frame with PCI ${pci.toString(16)}`);
    }
    completePending(pending, ecu, messages);
  }

  for (const ecu of pending.keys()) invalidLines.push(`${ecu} multi-frame reply incomplete`);
  return messages;
}

function completePending(
  pending: Map<string, { length: number; parts: number[] }>,
  ecu: string,
  messages: EcuMessage[],
): void {
  const message = pending.get(ecu);
  if (message === undefined || message.parts.length < message.length) return;
  messages.push({ ecu, data: Uint8Array.from(message.parts.slice(0, message.length)) });
  pending.delete(ecu);
}

/** The header-less multi-frame form: a byte-count line, then `0:`, `1:` ... lines. */
class IndexedReply {
  private byteCount: number | null = null;
  private readonly parts: { index: number; bytes: Uint8Array }[] = [];

  get hasLines(): boolean {
    return this.byteCount !== null || this.parts.length > 0;
  }

  setByteCount(hex: string): boolean {
    this.byteCount = Number.parseInt(hex, 16);
    return true;
  }

  addLine(indexDigit: string, hex: string): boolean {
    if (hex.length % 2 !== 0) return false;
    this.parts.push({ index: Number.parseInt(indexDigit, 16), bytes: hexBytes(hex) });
    return true;
  }

  /** Joins the lines in order (the index wraps from F to 0); null when incomplete. */
  assemble(): EcuMessage | null {
    if (this.byteCount === null || this.parts.length === 0) return null;
    const joined: number[] = [];
    for (const [position, part] of this.parts.entries()) {
      if (part.index !== position % 16) return null;
      joined.push(...part.bytes);
    }
    if (joined.length < this.byteCount) return null;
    return { ecu: 'ECU', data: Uint8Array.from(joined.slice(0, this.byteCount)) };
  }

  describe(): string[] {
    return [`multi-frame reply of ${this.byteCount ?? '?'} bytes incomplete or out of order`];
  }
}

function hexBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

function normaliseCommand(text: string): string {
  return text.replace(/[\s.]/g, '').toUpperCase();
}

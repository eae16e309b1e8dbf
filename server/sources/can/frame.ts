/**
 * @module The CAN frame as every CAN input (SocketCAN, SLCAN, captures)
 * delivers it to the decoder.
 */

/** Largest payload: 64 bytes for CAN FD, 8 for classic CAN. */
export const MAX_PAYLOAD_BYTES = 64;

/**
 * One CAN frame. Readers reuse one object and its `data` buffer for every
 * frame, so a consumer copies what it keeps beyond the callback.
 */
export interface CanFrame {
  /** Receive time in seconds, on the clock of the input (capture or adapter). */
  timeS: number;
  /** 11-bit or 29-bit identifier, without flags. */
  id: number;
  isExtended: boolean;
  isRemote: boolean;
  /** An error frame; `errorClass` then contains the SocketCAN error class bits. */
  isError: boolean;
  errorClass: number;
  isFd: boolean;
  /** Payload length in bytes (the DLC for classic frames). */
  length: number;
  /** Payload buffer; only the first `length` bytes belong to this frame. */
  data: Uint8Array;
  /** Interface or channel name, such as `can0` or `1`. */
  channel: string;
}

/** SocketCAN error class bit for bus-off (`CAN_ERR_BUSOFF` in linux/can/error.h). */
export const CAN_ERROR_BUS_OFF = 0x40;

/** Creates an empty frame with a full-size payload buffer, for readers to fill. */
export function createFrame(): CanFrame {
  return {
    timeS: 0,
    id: 0,
    isExtended: false,
    isRemote: false,
    isError: false,
    errorClass: 0,
    isFd: false,
    length: 0,
    data: new Uint8Array(MAX_PAYLOAD_BYTES),
    channel: '',
  };
}

/** Fills `frame` as a data frame, clearing the flags. */
export function setDataFrame(
  frame: CanFrame,
  timeS: number,
  id: number,
  isExtended: boolean,
  length: number,
): void {
  frame.timeS = timeS;
  frame.id = id;
  frame.isExtended = isExtended;
  frame.isRemote = false;
  frame.isError = false;
  frame.errorClass = 0;
  frame.isFd = false;
  frame.length = length;
}

/** Reads frames one at a time into a caller-owned frame. */
export interface FrameReader {
  /** Fills `frame` with the next frame and returns true, or returns false at the end. */
  next(frame: CanFrame): boolean;
}

const HEX_VALUES = new Int8Array(128).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUES['0123456789abcdef'.charCodeAt(digit)] = digit;
  HEX_VALUES['0123456789ABCDEF'.charCodeAt(digit)] = digit;
}

/** Returns the value of hex digit `code` (a char code), or -1 when it is not one. */
export function hexDigit(code: number): number {
  return code < 128 ? HEX_VALUES[code] : -1;
}

/**
 * @module The in-memory form of a DBC file: messages, signals, value
 * tables, comments and attributes, as the parser produces them and the
 * decoder, encoder and mapping consume them.
 */

/** Bit 31 of a DBC message id marks a 29-bit (extended) identifier. */
export const DBC_EXTENDED_FLAG = 0x80000000;

/** How a signal's bits are laid out: Intel (`@1`) or Motorola (`@0`). */
export type ByteOrder = 'little_endian' | 'big_endian';

/** Integer, or IEEE 754 float32/double as declared by `SIG_VALTYPE_`. */
export type ValueType = 'integer' | 'float32' | 'float64';

/** One multiplexor value range `[min, max]`, both ends included. */
export interface MuxRange {
  readonly min: number;
  readonly max: number;
}

/** A signal as written in a `SG_` line plus the sections that refer to it. */
export interface DbcSignal {
  readonly name: string;
  /** DBC start bit: the LSB for Intel, the MSB in sawtooth numbering for Motorola. */
  readonly startBit: number;
  readonly bitLength: number;
  readonly byteOrder: ByteOrder;
  readonly isSigned: boolean;
  valueType: ValueType;
  readonly factor: number;
  readonly offset: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly unit: string;
  readonly receivers: readonly string[];
  /** True for a multiplexor (`M`, or `mNM` in extended multiplexing). */
  readonly isMultiplexor: boolean;
  /**
   * Raw values of the multiplexor that select this signal: `mN` gives one
   * value, `SG_MUL_VAL_` gives ranges. Null for a signal present in every frame.
   */
  muxRanges: MuxRange[] | null;
  /**
   * Name of the multiplexor that selects this signal; null when the signal
   * is not multiplexed. Simple multiplexing names the message's only `M`.
   */
  multiplexerName: string | null;
  comment: string;
  /** `VAL_` labels by raw value. */
  readonly valueLabels: Map<number, string>;
  readonly attributes: Map<string, AttributeValue>;
  /** 1-based line of the `SG_` line, for error messages. */
  readonly line: number;
}

/** A `BO_` message with its signals. */
export interface DbcMessage {
  /** CAN identifier without the extended flag. */
  readonly id: number;
  readonly isExtended: boolean;
  readonly name: string;
  /** Declared payload length in bytes. */
  readonly length: number;
  readonly sender: string;
  readonly signals: DbcSignal[];
  comment: string;
  readonly attributes: Map<string, AttributeValue>;
  /** Expected period from `GenMsgCycleTime` in ms, or null when not given or 0. */
  cycleTimeMs: number | null;
  readonly line: number;
}

export type AttributeValue = number | string;

/** A `BA_DEF_` declaration; `objectType` is '' for the whole network. */
export interface AttributeDefinition {
  readonly name: string;
  readonly objectType: '' | 'BU_' | 'BO_' | 'SG_' | 'EV_';
  readonly valueType: 'INT' | 'HEX' | 'FLOAT' | 'STRING' | 'ENUM';
  readonly enumValues: readonly string[];
  defaultValue: AttributeValue | undefined;
}

/** A parsed DBC file. */
export interface DbcDatabase {
  readonly version: string;
  readonly nodes: string[];
  readonly messages: DbcMessage[];
  readonly attributeDefinitions: Map<string, AttributeDefinition>;
  readonly networkAttributes: Map<string, AttributeValue>;
  readonly valueTables: Map<string, Map<number, string>>;
  comment: string;
  /** Problems that leave some signals or checks idle without stopping decoding. */
  readonly warnings: string[];
}

/** Returns the key used to look a message up by id: extended ids carry bit 31. */
export function messageKey(id: number, isExtended: boolean): number {
  return isExtended ? (id | DBC_EXTENDED_FLAG) >>> 0 : id;
}

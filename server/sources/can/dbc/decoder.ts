/**
 * @module Decodes CAN frames with a parsed DBC database. Each message is
 * compiled once; frames with unknown ids or a length other than the DBC's
 * are counted, never thrown.
 */
import { CompiledMessage } from './compiled-message.ts';
import { messageKey, type DbcDatabase } from './types.ts';

/** Counters of what the decoder saw, for bus health and the decode command. */
export interface DecoderCounters {
  decodedFrames: number;
  unknownIdFrames: number;
  /** Frames whose length differs from the DBC length; signals that fit are still decoded. */
  wrongLengthFrames: number;
}

/** Decodes frames of one DBC database. */
export class DbcDecoder {
  readonly counters: DecoderCounters = {
    decodedFrames: 0,
    unknownIdFrames: 0,
    wrongLengthFrames: 0,
  };
  private readonly byKey = new Map<number, CompiledMessage>();

  constructor(readonly database: DbcDatabase) {
    for (const message of database.messages) {
      this.byKey.set(messageKey(message.id, message.isExtended), new CompiledMessage(message));
    }
  }

  /** Returns the compiled message for an id, or undefined when the DBC lacks it. */
  lookup(id: number, isExtended: boolean): CompiledMessage | undefined {
    return this.byKey.get(isExtended ? messageKey(id, true) : id);
  }

  /** Returns every compiled message, in DBC order. */
  messages(): CompiledMessage[] {
    return [...this.byKey.values()];
  }

  /**
   * Decodes one frame and returns its compiled message, whose `values` and
   * `isPresent` then hold the result until the next frame of that message,
   * or undefined (counted) when the id is not in the DBC.
   */
  decode(
    id: number,
    isExtended: boolean,
    data: Uint8Array,
    length: number = data.length,
  ): CompiledMessage | undefined {
    const compiled = this.lookup(id, isExtended);
    if (compiled === undefined) {
      this.counters.unknownIdFrames++;
      return undefined;
    }
    if (length !== compiled.message.length) this.counters.wrongLengthFrames++;
    compiled.decode(data, length);
    this.counters.decodedFrames++;
    return compiled;
  }
}

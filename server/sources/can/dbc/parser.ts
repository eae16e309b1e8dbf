/**
 * @module Parses DBC text into a `DbcDatabase`. The grammar follows the
 * Vector DBC format: `BO_` messages with `SG_` signals, `VAL_` tables,
 * `CM_` comments, `BA_DEF_`/`BA_` attributes, `SIG_VALTYPE_` floats and
 * `SG_MUL_VAL_` extended multiplexing. Sections the monitor does not use
 * (environment variables, signal groups, relations) are skipped whole.
 */
import { DbcSyntaxError } from '../errors.ts';
import { TokenReader } from './token-reader.ts';
import { tokenize, TokenError } from './tokenizer.ts';
import {
  checkSignalBounds,
  MAX_FRAME_BYTES,
  parseMuxIndicator,
  TOP_LEVEL_KEYWORDS,
} from './grammar.ts';
import { resolveMultiplexing, resolveCycleTimes } from './resolve.ts';
import { layoutWarnings } from './warnings.ts';
import {
  DBC_EXTENDED_FLAG,
  messageKey,
  type AttributeDefinition,
  type AttributeValue,
  type DbcDatabase,
  type DbcMessage,
  type DbcSignal,
} from './types.ts';

/**
 * Parses DBC text. Throws `DbcSyntaxError` naming `file`, line and column
 * and what was expected when the text is not a valid DBC file.
 */
export function parseDbc(text: string, file = '<dbc>'): DbcDatabase {
  let reader: TokenReader;
  try {
    reader = new TokenReader(tokenize(text), file);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw new DbcSyntaxError(file, error.line, error.column, error.expected, error.found);
  }
  return new DbcParser(reader).parse();
}

class DbcParser {
  private readonly database: DbcDatabase = {
    version: '',
    nodes: [],
    messages: [],
    attributeDefinitions: new Map(),
    networkAttributes: new Map(),
    valueTables: new Map(),
    comment: '',
    warnings: [],
  };
  private readonly messagesByKey = new Map<number, DbcMessage>();
  private currentMessage: DbcMessage | null = null;

  constructor(private readonly reader: TokenReader) {}

  parse(): DbcDatabase {
    let version = '';
    while (!this.reader.isAtEnd()) {
      const token = this.reader.peek();
      if (token.kind !== 'ident' || !TOP_LEVEL_KEYWORDS.has(token.text)) {
        this.reader.fail('a DBC keyword such as BO_, SG_, CM_, BA_ or VAL_');
      }
      this.reader.next();
      if (token.text === 'VERSION') version = this.reader.expectString('a version string');
      else this.parseStatement(token.text, token.line);
    }

    resolveMultiplexing(this.database, this.reader.file);
    this.database.warnings.push(...resolveCycleTimes(this.database), ...layoutWarnings(this.database));
    return { ...this.database, version };
  }

  private parseStatement(keyword: string, line: number): void {
    switch (keyword) {
      case 'NS_':
        return this.skipSymbolList();
      case 'BS_':
        return this.skipBitTiming();
      case 'BU_':
        return this.parseNodes(line);
      case 'VAL_TABLE_':
        return this.parseValueTable();
      case 'BO_':
        return this.parseMessage(line);
      case 'SG_':
        return this.parseSignal(line);
      case 'CM_':
        return this.parseComment();
      case 'BA_DEF_':
        return this.parseAttributeDefinition();
      case 'BA_DEF_DEF_':
        return this.parseAttributeDefault();
      case 'BA_':
        return this.parseAttribute();
      case 'VAL_':
        return this.parseValueLabels();
      case 'SIG_VALTYPE_':
        return this.parseSignalValueType();
      case 'SG_MUL_VAL_':
        return this.parseExtendedMux();
      default:
        this.currentMessage = null;
        return this.reader.skipStatement();
    }
  }

  // `NS_ :` lists symbol names until the next top-level keyword.
  private skipSymbolList(): void {
    this.reader.expectPunct(':');
    while (!this.reader.isAtEnd()) {
      const token = this.reader.peek();
      if (token.kind === 'ident' && TOP_LEVEL_KEYWORDS.has(token.text)) {
        if (token.text !== 'NS_' && this.isStatementStart()) return;
      }
      this.reader.next();
    }
  }

  // Symbol names in `NS_` equal the keywords, so a keyword only starts a
  // statement when it is the first token on its line and unindented.
  private isStatementStart(): boolean {
    const token = this.reader.peek();
    return token.column === 1;
  }

  private skipBitTiming(): void {
    this.reader.expectPunct(':');
    const line = this.reader.peek(-1).line;
    while (!this.reader.isAtEnd() && this.reader.peek().line === line) this.reader.next();
  }

  private parseNodes(line: number): void {
    this.reader.expectPunct(':');
    while (this.reader.peek().kind === 'ident' && this.reader.peek().line === line) {
      this.database.nodes.push(this.reader.next().text);
    }
  }

  private parseValueTable(): void {
    const name = this.reader.expectIdent('a value table name');
    this.database.valueTables.set(name, this.parseLabelPairs());
  }

  private parseLabelPairs(): Map<number, string> {
    const labels = new Map<number, string>();
    while (!this.reader.acceptPunct(';')) {
      const value = this.reader.expectNumber('a raw value or ;');
      labels.set(value, this.reader.expectString('a quoted value label'));
    }
    return labels;
  }

  private parseMessage(line: number): void {
    const idToken = this.reader.peek();
    const rawId = this.reader.expectUnsigned('a message id (decimal)');
    const name = this.reader.expectIdent('a message name');
    this.reader.expectPunct(':');
    const lengthToken = this.reader.peek();
    const length = this.reader.expectUnsigned('a message length in bytes');
    if (length > MAX_FRAME_BYTES) {
      this.reader.fail(`a message length of at most ${MAX_FRAME_BYTES} bytes`, lengthToken);
    }
    const sender = this.reader.peek().kind === 'ident' ? this.reader.next().text : '';

    const isExtended = rawId >= DBC_EXTENDED_FLAG;
    const id = isExtended ? rawId - DBC_EXTENDED_FLAG : rawId;
    // A second BO_ with the same id would replace the first in the id
    // lookup and leave its signals undecodable without a word.
    const earlier = this.messagesByKey.get(messageKey(id, isExtended));
    if (earlier) {
      this.reader.fail(
        `a message id not already used by ${earlier.name} (line ${earlier.line})`,
        idToken,
      );
    }
    const message: DbcMessage = {
      id,
      isExtended,
      name,
      length,
      sender,
      signals: [],
      comment: '',
      attributes: new Map(),
      cycleTimeMs: null,
      line,
    };
    this.database.messages.push(message);
    this.messagesByKey.set(messageKey(id, isExtended), message);
    this.currentMessage = message;
  }

  private parseSignal(line: number): void {
    const message = this.currentMessage;
    if (!message) this.reader.fail('SG_ inside a BO_ message', this.reader.peek(-1));
    const nameToken = this.reader.peek();
    const name = this.reader.expectIdent('a signal name');
    const earlier = message.signals.find((signal) => signal.name === name);
    if (earlier) {
      this.reader.fail(
        `a signal name not already used in ${message.name} (line ${earlier.line})`,
        nameToken,
      );
    }

    let muxIndicator = '';
    if (this.reader.peek().kind === 'ident') muxIndicator = this.reader.next().text;
    const mux = parseMuxIndicator(muxIndicator);
    if (!mux) this.reader.fail("a multiplex indicator (M, mN or mNM) or ':'", this.reader.peek(-1));
    this.reader.expectPunct(':');

    const startToken = this.reader.peek();
    const startBit = this.reader.expectUnsigned('a start bit');
    this.reader.expectPunct('|');
    const lengthToken = this.reader.peek();
    const bitLength = this.reader.expectUnsigned('a bit length');
    if (bitLength < 1 || bitLength > 64) this.reader.fail('a bit length from 1 to 64', lengthToken);
    this.reader.expectPunct('@');
    const orderToken = this.reader.peek();
    const orderAndSign = this.parseOrderAndSign();
    const byteOrder = orderAndSign.order === 1 ? 'little_endian' : 'big_endian';
    checkSignalBounds(this.reader, startBit, bitLength, byteOrder, startToken, orderToken);

    this.reader.expectPunct('(');
    const factor = this.reader.expectNumber('a factor');
    this.reader.expectPunct(',');
    const offset = this.reader.expectNumber('an offset');
    this.reader.expectPunct(')');
    this.reader.expectPunct('[');
    const minimum = this.reader.expectNumber('a minimum');
    this.reader.expectPunct('|');
    const maximum = this.reader.expectNumber('a maximum');
    this.reader.expectPunct(']');
    const unit = this.reader.expectString('a quoted unit');
    const receivers = this.parseReceivers(this.reader.peek(-1).line);

    message.signals.push({
      name,
      startBit,
      bitLength,
      byteOrder,
      isSigned: orderAndSign.isSigned,
      valueType: 'integer',
      factor,
      offset,
      minimum,
      maximum,
      unit,
      receivers,
      isMultiplexor: mux.isMultiplexor,
      muxRanges: mux.value === null ? null : [{ min: mux.value, max: mux.value }],
      multiplexerName: null,
      comment: '',
      valueLabels: new Map(),
      attributes: new Map(),
      line,
    });
  }

  // `@1+` arrives as '@', number '1' and punctuation '+': the tokenizer
  // never glues a sign to the digit before it.
  private parseOrderAndSign(): { order: number; isSigned: boolean } {
    const token = this.reader.peek();
    if (token.kind !== 'number' || (token.text !== '0' && token.text !== '1')) {
      this.reader.fail('byte order 0 (Motorola) or 1 (Intel)');
    }
    this.reader.next();
    const sign = this.reader.peek();
    if (sign.kind !== 'punct' || (sign.text !== '+' && sign.text !== '-')) {
      this.reader.fail("a sign, '+' (unsigned) or '-' (signed)");
    }
    this.reader.next();
    return { order: Number(token.text), isSigned: sign.text === '-' };
  }

  // Receivers run to the end of the `SG_` line: names separated by commas
  // or spaces.
  private parseReceivers(line: number): string[] {
    const receivers: string[] = [];
    while (this.reader.peek().line === line) {
      const token = this.reader.peek();
      if (token.kind === 'ident') receivers.push(token.text);
      else if (token.kind !== 'punct' || token.text !== ',') this.reader.fail('a receiver node name');
      this.reader.next();
    }
    return receivers;
  }

  private parseComment(): void {
    this.currentMessage = null;
    const token = this.reader.peek();
    if (token.kind === 'string') {
      this.database.comment = this.reader.next().text;
      this.reader.expectPunct(';');
      return;
    }
    const target = this.reader.expectIdent('BU_, BO_, SG_, EV_ or a comment string');
    if (target === 'BO_') {
      const message = this.messageById();
      message.comment = this.reader.expectString('a quoted comment');
    } else if (target === 'SG_') {
      const signal = this.signalByIds();
      signal.comment = this.reader.expectString('a quoted comment');
    } else if (target === 'BU_' || target === 'EV_') {
      this.reader.expectIdent('a node or variable name');
      this.reader.expectString('a quoted comment');
    } else {
      this.reader.fail('BU_, BO_, SG_ or EV_', this.reader.peek(-1));
    }
    this.reader.expectPunct(';');
  }

  private messageById(): DbcMessage {
    const token = this.reader.peek();
    const rawId = this.reader.expectUnsigned('a message id');
    const isExtended = rawId >= DBC_EXTENDED_FLAG;
    const key = messageKey(isExtended ? rawId - DBC_EXTENDED_FLAG : rawId, isExtended);
    const message = this.messagesByKey.get(key);
    if (!message) this.reader.fail('the id of a message defined by BO_', token);
    return message;
  }

  private signalByIds(): DbcSignal {
    const message = this.messageById();
    const token = this.reader.peek();
    const name = this.reader.expectIdent('a signal name');
    const signal = message.signals.find((s) => s.name === name);
    if (!signal) this.reader.fail(`a signal of message ${message.name}`, token);
    return signal;
  }

  private parseAttributeDefinition(): void {
    this.currentMessage = null;
    let objectType: AttributeDefinition['objectType'] = '';
    const first = this.reader.peek();
    if (first.kind === 'ident' && ['BU_', 'BO_', 'SG_', 'EV_'].includes(first.text)) {
      objectType = this.reader.next().text as AttributeDefinition['objectType'];
    }
    const name = this.reader.expectString('a quoted attribute name');
    const typeToken = this.reader.peek();
    const valueType = this.reader.expectIdent('INT, HEX, FLOAT, STRING or ENUM');
    if (!['INT', 'HEX', 'FLOAT', 'STRING', 'ENUM'].includes(valueType)) {
      this.reader.fail('INT, HEX, FLOAT, STRING or ENUM', typeToken);
    }
    const enumValues: string[] = [];
    if (valueType === 'ENUM') {
      while (this.reader.peek().kind === 'string') {
        enumValues.push(this.reader.next().text);
        this.reader.acceptPunct(',');
      }
    } else if (valueType !== 'STRING') {
      this.reader.expectNumber('an attribute minimum');
      this.reader.expectNumber('an attribute maximum');
    }
    this.reader.expectPunct(';');
    this.database.attributeDefinitions.set(name, {
      name,
      objectType,
      valueType: valueType as AttributeDefinition['valueType'],
      enumValues,
      defaultValue: undefined,
    });
  }

  private parseAttributeDefault(): void {
    this.currentMessage = null;
    const nameToken = this.reader.peek();
    const name = this.reader.expectString('a quoted attribute name');
    const definition = this.database.attributeDefinitions.get(name);
    if (!definition) this.reader.fail('the name of an attribute defined by BA_DEF_', nameToken);
    definition.defaultValue = this.parseAttributeValue();
    this.reader.expectPunct(';');
  }

  private parseAttributeValue(): AttributeValue {
    if (this.reader.peek().kind === 'string') return this.reader.next().text;
    return this.reader.expectNumber('an attribute value');
  }

  private parseAttribute(): void {
    this.currentMessage = null;
    const name = this.reader.expectString('a quoted attribute name');
    const target = this.reader.peek();
    let attributes = this.database.networkAttributes;
    if (target.kind === 'ident') {
      this.reader.next();
      if (target.text === 'BO_') attributes = this.messageById().attributes;
      else if (target.text === 'SG_') attributes = this.signalByIds().attributes;
      else if (target.text === 'BU_' || target.text === 'EV_') {
        this.reader.expectIdent('a node or variable name');
        attributes = new Map();
      } else this.reader.fail('BU_, BO_, SG_, EV_ or an attribute value', target);
    }
    attributes.set(name, this.parseAttributeValue());
    this.reader.expectPunct(';');
  }

  private parseValueLabels(): void {
    this.currentMessage = null;
    if (this.reader.peek().kind === 'ident') {
      // `VAL_ envVar ...` labels an environment variable: not used.
      this.reader.skipStatement();
      return;
    }
    const signal = this.signalByIds();
    for (const [value, label] of this.parseLabelPairs()) signal.valueLabels.set(value, label);
  }

  private parseSignalValueType(): void {
    this.currentMessage = null;
    const signal = this.signalByIds();
    this.reader.acceptPunct(':');
    const token = this.reader.peek();
    const code = this.reader.expectUnsigned('value type 0 (integer), 1 (float32) or 2 (double)');
    if (code > 2) this.reader.fail('value type 0, 1 or 2', token);
    const valueType = code === 1 ? 'float32' : code === 2 ? 'float64' : 'integer';
    const bits = valueType === 'float32' ? 32 : valueType === 'float64' ? 64 : signal.bitLength;
    if (signal.bitLength !== bits) {
      this.reader.fail(`value type matching the ${signal.bitLength}-bit length of ${signal.name}`, token);
    }
    signal.valueType = valueType;
    this.reader.expectPunct(';');
  }

  // `SG_MUL_VAL_ msg signal multiplexor 1-1, 3-5;` The ranges come
  // tokenised as number then negative number ("3" "-5").
  private parseExtendedMux(): void {
    this.currentMessage = null;
    const signal = this.signalByIds();
    const multiplexerName = this.reader.expectIdent('the name of the multiplexor signal');
    const ranges: Array<{ min: number; max: number }> = [];
    while (!this.reader.acceptPunct(';')) {
      const min = this.reader.expectUnsigned('a multiplexor range such as 3-5');
      const endToken = this.reader.peek();
      let max: number;
      if (endToken.kind === 'number' && endToken.text.startsWith('-')) {
        max = -Number(this.reader.next().text);
      } else {
        this.reader.expectPunct('-');
        max = this.reader.expectUnsigned('the end of a multiplexor range');
      }
      if (max < min) this.reader.fail('a range whose end is not below its start', endToken);
      ranges.push({ min, max });
      this.reader.acceptPunct(',');
    }
    signal.multiplexerName = multiplexerName;
    signal.muxRanges = ranges;
  }
}

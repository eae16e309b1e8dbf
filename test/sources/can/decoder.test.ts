import { describe, expect, test } from 'bun:test';
import { loadBundled, BUNDLED_DBCS } from '../../../server/sources/can/bundled.ts';
import {
  DbcDecoder,
  encodeMessage,
  parseDbc,
  type DbcDatabase,
} from '../../../server/sources/can/dbc/index.ts';
import { randomLayoutDbc } from './random-dbc.ts';
import { randomBytes, randomInt, seededRandom } from './random.ts';

function database(body: string): DbcDatabase {
  return parseDbc(`VERSION ""\n\nBU_: E\n\n${body}`, 'test.dbc');
}

/** Decodes `bytes` as message `id` and returns present values by signal name. */
function decode(db: DbcDatabase, id: number, bytes: number[], isExtended = false): Record<string, number> {
  const decoder = new DbcDecoder(db);
  const compiled = decoder.decode(id, isExtended, Uint8Array.from(bytes));
  const values: Record<string, number> = {};
  compiled?.signals.forEach((signal, k) => {
    if (compiled.isPresent[k] === 1) values[signal.name] = compiled.values[k];
  });
  return values;
}

describe('byte order', () => {
  const db = database(`BO_ 1 LAYOUTS: 8 E
 SG_ Motorola16 : 7|16@0+ (1,0) [0|0] "" E
 SG_ Motorola12 : 3|12@0+ (1,0) [0|0] "" E
 SG_ Motorola10 : 29|10@0+ (1,0) [0|0] "" E
 SG_ Intel12 : 36|12@1+ (1,0) [0|0] "" E
 SG_ Intel1 : 63|1@1+ (1,0) [0|0] "" E
 SG_ Motorola1 : 56|1@0+ (1,0) [0|0] "" E
`);
  const bytes = [0x12, 0x34, 0x56, 0xab, 0xcd, 0xef, 0x01, 0x81];
  const values = decode(db, 1, bytes);

  test('Motorola 16 bits from bit 7', () => {
    expect(values.Motorola16).toBe(0x1234);
  });

  test('Motorola 12 bits from bit 3 crosses into the next byte', () => {
    expect(values.Motorola12).toBe(((0x12 & 0x0f) << 8) | 0x34);
  });

  test('Motorola 10 bits from bit 29 (sawtooth)', () => {
    expect(values.Motorola10).toBe(((0xab & 0x3f) << 4) | (0xcd >> 4));
  });

  test('Intel 12 bits from bit 36', () => {
    expect(values.Intel12).toBe(((0xcd >> 4) | (0xef << 4)) & 0xfff);
  });

  test('single bits at the last byte', () => {
    expect(values.Intel1).toBe(1);
    expect(values.Motorola1).toBe(1);
  });
});

describe('signed, scaled and wide integers', () => {
  const db = database(`BO_ 2 NUMBERS: 8 E
 SG_ SignedIntel8 : 0|8@1- (1,0) [0|0] "" E
 SG_ SignedMotorola12 : 15|12@0- (0.5,-10) [0|0] "" E
 SG_ Temperature : 24|8@1+ (1,-40) [0|0] "C" E
BO_ 3 WIDE: 8 E
 SG_ UnsignedIntel64 : 0|64@1+ (1,0) [0|0] "" E
BO_ 4 WIDE_SIGNED: 8 E
 SG_ SignedMotorola64 : 7|64@0- (1,0) [0|0] "" E
BO_ 5 MID: 8 E
 SG_ Intel53 : 3|53@1+ (1,0) [0|0] "" E
`);

  test('signed Intel byte', () => {
    expect(decode(db, 2, [0xff, 0, 0, 0, 0, 0, 0, 0]).SignedIntel8).toBe(-1);
  });

  test('signed Motorola 12 bits with factor and offset', () => {
    // 0x800 is the most negative 12-bit value: -2048 * 0.5 - 10.
    expect(decode(db, 2, [0, 0x80, 0x00, 0, 0, 0, 0, 0]).SignedMotorola12).toBe(-1034);
  });

  test('offset temperature', () => {
    expect(decode(db, 2, [0, 0, 0, 130, 0, 0, 0, 0]).Temperature).toBe(90);
  });

  test('64-bit unsigned all ones', () => {
    expect(decode(db, 3, [255, 255, 255, 255, 255, 255, 255, 255]).UnsignedIntel64).toBe(2 ** 64 - 1);
  });

  test('64-bit signed Motorola minus one', () => {
    expect(decode(db, 4, [255, 255, 255, 255, 255, 255, 255, 255]).SignedMotorola64).toBe(-1);
  });

  test('53-bit value stays exact', () => {
    const raw = 2 ** 53 - 1;
    const bytes = new Uint8Array(8);
    const view = new DataView(bytes.buffer);
    const shifted = BigInt(raw) << 3n;
    view.setBigUint64(0, shifted, true);
    expect(decode(db, 5, [...bytes]).Intel53).toBe(raw);
  });
});

describe('IEEE floats', () => {
  const db = database(`BO_ 6 FLOATS: 16 E
 SG_ IntelFloat : 0|32@1- (1,0) [0|0] "" E
 SG_ MotorolaFloat : 39|32@0- (2,1) [0|0] "" E
 SG_ IntelDouble : 64|64@1- (1,0) [0|0] "" E
SIG_VALTYPE_ 6 IntelFloat : 1;
SIG_VALTYPE_ 6 MotorolaFloat : 1;
SIG_VALTYPE_ 6 IntelDouble : 2;
BO_ 7 DOUBLE_BE: 8 E
 SG_ MotorolaDouble : 7|64@0- (1,0) [0|0] "" E
SIG_VALTYPE_ 7 MotorolaDouble : 2;
`);

  test('float32 and double in both byte orders', () => {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setFloat32(0, -1.5, true);
    view.setFloat32(4, 3.25, false);
    view.setFloat64(8, Math.PI, true);
    const values = decode(db, 6, [...bytes]);
    expect(values.IntelFloat).toBe(-1.5);
    expect(values.MotorolaFloat).toBe(3.25 * 2 + 1);
    expect(values.IntelDouble).toBe(Math.PI);

    const big = new Uint8Array(8);
    new DataView(big.buffer).setFloat64(0, -Math.E, false);
    expect(decode(db, 7, [...big]).MotorolaDouble).toBe(-Math.E);
  });
});

describe('multiplexing', () => {
  test('multiplexor after the multiplexed signals', () => {
    const db = database(`BO_ 1000 DASH: 8 E
 SG_ Speed m0 : 16|16@1+ (1,0) [0|0] "rpm" E
 SG_ Volts m1 : 16|16@1+ (0.01,0) [0|0] "V" E
 SG_ Always : 8|8@1+ (1,0) [0|0] "" E
 SG_ Index M : 0|8@1+ (1,0) [0|0] "" E
`);
    expect(decode(db, 1000, [0, 7, 0xb8, 0x0b, 0, 0, 0, 0])).toEqual({ Speed: 3000, Always: 7, Index: 0 });
    expect(decode(db, 1000, [1, 7, 0xb8, 0x0b, 0, 0, 0, 0])).toEqual({ Volts: 30, Always: 7, Index: 1 });
    expect(decode(db, 1000, [9, 7, 0xb8, 0x0b, 0, 0, 0, 0])).toEqual({ Always: 7, Index: 9 });
  });

  test('extended multiplexing with ranges and a nested multiplexor', () => {
    const db = database(`BO_ 100 NESTED: 8 E
 SG_ Leaf m0 : 24|8@1+ (1,0) [0|0] "" E
 SG_ Inner m2M : 16|8@1+ (1,0) [0|0] "" E
 SG_ Wide m0 : 32|8@1+ (1,0) [0|0] "" E
 SG_ Outer M : 0|8@1+ (1,0) [0|0] "" E

SG_MUL_VAL_ 100 Inner Outer 2-2, 4-6;
SG_MUL_VAL_ 100 Leaf Inner 5-5, 10-20;
SG_MUL_VAL_ 100 Wide Outer 7-9;
`);
    expect(decode(db, 100, [5, 0, 12, 42, 9, 0, 0, 0])).toEqual({ Outer: 5, Inner: 12, Leaf: 42 });
    expect(decode(db, 100, [5, 0, 30, 42, 9, 0, 0, 0])).toEqual({ Outer: 5, Inner: 30 });
    expect(decode(db, 100, [3, 0, 12, 42, 9, 0, 0, 0])).toEqual({ Outer: 3 });
    expect(decode(db, 100, [8, 0, 12, 42, 9, 0, 0, 0])).toEqual({ Outer: 8, Wide: 9 });
  });
});

describe('counted, not thrown', () => {
  const db = database(`BO_ 10 SHORT: 8 E
 SG_ Head : 0|16@1+ (1,0) [0|0] "" E
 SG_ Tail : 48|16@1+ (1,0) [0|0] "" E
`);

  test('short frame decodes the signals that fit', () => {
    const decoder = new DbcDecoder(db);
    const compiled = decoder.decode(10, false, Uint8Array.from([1, 2, 3]))!;
    expect(compiled.isPresent[0]).toBe(1);
    expect(compiled.values[0]).toBe(0x0201);
    expect(compiled.isPresent[1]).toBe(0);
    expect(decoder.counters.wrongLengthFrames).toBe(1);
  });

  test('unknown and extended ids are counted', () => {
    const decoder = new DbcDecoder(db);
    expect(decoder.decode(11, false, new Uint8Array(8))).toBeUndefined();
    expect(decoder.decode(10, true, new Uint8Array(8))).toBeUndefined();
    expect(decoder.counters.unknownIdFrames).toBe(2);
    expect(decoder.counters.decodedFrames).toBe(0);
  });

  test('random frames never throw', () => {
    const random = seededRandom(7);
    const databases = Object.values(BUNDLED_DBCS).map((b) => loadBundled(b).database);
    for (const db2 of databases) {
      const decoder = new DbcDecoder(db2);
      const ids = db2.messages.map((m) => [m.id, m.isExtended] as const);
      for (let i = 0; i < 2000; i++) {
        const [id, isExtended] = random() < 0.8 ? ids[randomInt(random, 0, ids.length - 1)] : [randomInt(random, 0, 0x7ff), false];
        const data = randomBytes(random, randomInt(random, 0, 64));
        const compiled = decoder.decode(id, isExtended, data);
        compiled?.values.forEach((v, k) => {
          if (compiled.isPresent[k] === 1) expect(Number.isNaN(v) && compiled.signals[k].valueType === 'integer').toBe(false);
        });
      }
      expect(decoder.counters.decodedFrames + decoder.counters.unknownIdFrames).toBe(2000);
    }
  });
});

describe('encode and decode round trip', () => {
  test('random layouts and raw values (seeded)', () => {
    const random = seededRandom(20260412);
    const db = database(randomLayoutDbc(random, 400));
    const decoder = new DbcDecoder(db);
    let checked = 0;
    for (const message of db.messages) {
      const signal = message.signals[0];
      for (let i = 0; i < 25; i++) {
        if (signal.valueType === 'integer') {
          // Up to 40 bits keeps raw * factor + offset exact enough to invert;
          // negative values still fill the high bits of wide signals.
          const bits = Math.min(signal.bitLength, 40);
          const magnitude = Math.floor(random() * 2 ** bits);
          const raw = signal.isSigned ? magnitude - 2 ** (bits - 1) : magnitude;
          const payload = encodeMessage(message, { Value: raw * signal.factor + signal.offset });
          expect(decoder.decode(message.id, false, payload)!.rawValues[0]).toBe(raw);
        } else {
          const value = (random() - 0.5) * 1e6;
          const stored = signal.valueType === 'float32' ? Math.fround(value) : value;
          const payload = encodeMessage(message, { Value: stored * signal.factor + signal.offset });
          expect(decoder.decode(message.id, false, payload)!.rawValues[0]).toBeCloseTo(stored, 6);
        }
        checked++;
      }
    }
    expect(checked).toBe(10_000);
  });

  test('encoding a value outside the signal raises', () => {
    const db = database(`BO_ 1 M: 8 E\n SG_ Small : 0|4@1+ (1,0) [0|15] "" E\n`);
    expect(() => encodeMessage(db.messages[0], { Small: 16 })).toThrow('outside 0 to 15');
    expect(() => encodeMessage(db.messages[0], { Missing: 1 })).toThrow('has no signal Missing');
  });
});


import { describe, expect, test } from 'bun:test';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDbcFile, MAX_DBC_FILE_BYTES } from '../../../server/sources/can/dbc/index.ts';
import { parseDbc } from '../../../server/sources/can/dbc/parser.ts';
import { CanError, DbcSyntaxError } from '../../../server/sources/can/errors.ts';

const HEADER = `VERSION "1.0"

NS_ :
\tNS_DESC_
\tCM_
\tBA_DEF_
\tSIG_VALTYPE_

BS_:

BU_: ECU DASH LOGGER
`;

const FULL = `${HEADER}
VAL_TABLE_ GearTable 0 "park" 1 "drive" ;

BO_ 864 ENGINE: 8 ECU
 SG_ Rpm : 7|16@0+ (1,0) [0|10000] "rpm" DASH,LOGGER
 SG_ Temp : 16|8@1- (0.5,-40) [-40|87.5] "degC" DASH
 SG_ Ratio : 32|32@1- (1,0) [0|0] "" Vector__XXX

BO_ 2180030464 AEM_EXT: 8 ECU
 SG_ Mode M : 0|8@1+ (1,0) [0|3] "" DASH
 SG_ Value0 m0 : 8|16@1+ (0.1,0) [0|100] "kPa" DASH
 SG_ Value1 m1 : 8|16@1+ (0.01,0) [0|10] "V" DASH

CM_ "Network comment";
CM_ BO_ 864 "Engine frame
on two lines";
CM_ SG_ 864 Rpm "Crank speed";
BA_DEF_ BO_ "GenMsgCycleTime" INT 0 65535;
BA_DEF_ SG_ "GenSigStartValue" FLOAT 0 1e9;
BA_DEF_ "BusType" STRING ;
BA_DEF_ BO_ "VFrameFormat" ENUM "StandardCAN","ExtendedCAN";
BA_DEF_DEF_ "GenMsgCycleTime" 100;
BA_DEF_DEF_ "BusType" "CAN";
BA_ "BusType" "CAN";
BA_ "GenMsgCycleTime" BO_ 864 20;
BA_ "GenSigStartValue" SG_ 864 Rpm 0;
VAL_ 2180030464 Mode 0 "pressure" 1 "voltage" ;
SIG_VALTYPE_ 864 Ratio : 1;
`;

function parseError(text: string): DbcSyntaxError {
  try {
    parseDbc(text, 'test.dbc');
  } catch (error) {
    if (error instanceof DbcSyntaxError) return error;
    throw error;
  }
  throw new Error('expected a DbcSyntaxError');
}

describe('DBC parser', () => {
  const database = parseDbc(FULL, 'full.dbc');
  const engine = database.messages[0];
  const extended = database.messages[1];

  test('version, nodes and value tables', () => {
    expect(database.version).toBe('1.0');
    expect(database.nodes).toEqual(['ECU', 'DASH', 'LOGGER']);
    expect(database.valueTables.get('GearTable')?.get(1)).toBe('drive');
  });

  test('standard and extended ids', () => {
    expect(engine.id).toBe(864);
    expect(engine.isExtended).toBe(false);
    expect(extended.id).toBe(0x01f0a000);
    expect(extended.isExtended).toBe(true);
  });

  test('signal fields', () => {
    const [rpm, temp] = engine.signals;
    expect(rpm).toMatchObject({
      name: 'Rpm',
      startBit: 7,
      bitLength: 16,
      byteOrder: 'big_endian',
      isSigned: false,
      factor: 1,
      offset: 0,
      minimum: 0,
      maximum: 10000,
      unit: 'rpm',
      receivers: ['DASH', 'LOGGER'],
    });
    expect(temp).toMatchObject({ byteOrder: 'little_endian', isSigned: true, factor: 0.5, offset: -40 });
  });

  test('comments keep their text', () => {
    expect(database.comment).toBe('Network comment');
    expect(engine.comment).toBe('Engine frame\non two lines');
    expect(engine.signals[0].comment).toBe('Crank speed');
  });

  test('attributes and cycle times', () => {
    expect(engine.cycleTimeMs).toBe(20);
    expect(extended.cycleTimeMs).toBe(100);
    expect(database.networkAttributes.get('BusType')).toBe('CAN');
    expect(engine.signals[0].attributes.get('GenSigStartValue')).toBe(0);
    expect(database.attributeDefinitions.get('VFrameFormat')?.enumValues).toEqual(['StandardCAN', 'ExtendedCAN']);
  });

  test('value labels and float type', () => {
    expect(extended.signals[0].valueLabels.get(1)).toBe('voltage');
    expect(engine.signals[2].valueType).toBe('float32');
  });

  test('simple multiplexing links the multiplexor', () => {
    const [mode, value0, value1] = extended.signals;
    expect(mode.isMultiplexor).toBe(true);
    expect(value0.multiplexerName).toBe('Mode');
    expect(value0.muxRanges).toEqual([{ min: 0, max: 0 }]);
    expect(value1.muxRanges).toEqual([{ min: 1, max: 1 }]);
  });

  test('extended multiplexing ranges', () => {
    const text = `${HEADER}
BO_ 100 MUXED: 8 ECU
 SG_ Outer M : 0|4@1+ (1,0) [0|15] "" DASH
 SG_ Inner m2M : 8|8@1+ (1,0) [0|255] "" DASH
 SG_ Leaf m5 : 16|8@1+ (1,0) [0|255] "" DASH

SG_MUL_VAL_ 100 Inner Outer 2-2, 4-6;
SG_MUL_VAL_ 100 Leaf Inner 5-5, 10-20;
`;
    const [, inner, leaf] = parseDbc(text).messages[0].signals;
    expect(inner.isMultiplexor).toBe(true);
    expect(inner.muxRanges).toEqual([{ min: 2, max: 2 }, { min: 4, max: 6 }]);
    expect(leaf.multiplexerName).toBe('Inner');
    expect(leaf.muxRanges).toEqual([{ min: 5, max: 5 }, { min: 10, max: 20 }]);
  });
});

describe('malformed DBC files', () => {
  const cases: Array<[string, string, number, number, string]> = [
    ['bad byte order', `BO_ 1 M: 8 E\n SG_ S : 0|8@2+ (1,0) [0|1] "" E\n`, 2, 14, 'byte order'],
    ['missing sign', `BO_ 1 M: 8 E\n SG_ S : 0|8@1 (1,0) [0|1] "" E\n`, 2, 16, 'sign'],
    ['missing colon', `BO_ 1 M 8 E\n`, 1, 9, "':'"],
    ['zero length', `BO_ 1 M: 8 E\n SG_ S : 0|0@1+ (1,0) [0|1] "" E\n`, 2, 12, 'bit length from 1 to 64'],
    ['signal past 64 bytes', `BO_ 1 M: 8 E\n SG_ S : 510|8@1+ (1,0) [0|1] "" E\n`, 2, 10, 'ends within 64 bytes'],
    ['unterminated string', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|1] "rpm E\n`, 2, 29, 'closing quote'],
    ['signal outside message', ` SG_ S : 0|8@1+ (1,0) [0|1] "" E\n`, 1, 2, 'inside a BO_'],
    ['unknown keyword', `BO_ 1 M: 8 E\nFOO_ 1;\n`, 2, 1, 'DBC keyword'],
    ['comment on unknown id', `BO_ 1 M: 8 E\nCM_ BO_ 2 "x";\n`, 2, 9, 'message defined by BO_'],
    ['value type mismatch', `BO_ 1 M: 8 E\n SG_ S : 0|16@1+ (1,0) [0|1] "" E\nSIG_VALTYPE_ 1 S : 1;\n`, 3, 20, '16-bit length'],
    ['multiplexed without multiplexor', `BO_ 1 M: 8 E\n SG_ S m1 : 0|8@1+ (1,0) [0|1] "" E\n`, 2, 1, 'one multiplexor'],
    ['garbage byte', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|1] "" E\n\u0001`, 3, 1, 'DBC token'],
    ['second BO_ with the same id', `BO_ 1 M: 8 E\n\nBO_ 1 N: 8 E\n`, 3, 5, 'not already used by M (line 1)'],
    ['same extended id twice', `BO_ 2147483905 M: 8 E\nBO_ 2147483905 N: 8 E\n`, 2, 5, 'not already used by M'],
    ['overflowing factor', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1e999,0) [0|1] "" E\n`, 2, 18, 'a factor within the range'],
    ['overflowing offset', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,-1e400) [0|1] "" E\n`, 2, 20, 'an offset within the range'],
    ['overflowing minimum', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [-1e999|1] "" E\n`, 2, 24, 'a minimum within the range'],
    ['overflowing maximum', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|1E309] "" E\n`, 2, 26, 'a maximum within the range'],
    ['signal name used twice', `BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|1] "" E\n SG_ S : 8|8@1+ (1,0) [0|1] "" E\n`, 3, 6, 'not already used in M (line 2)'],
  ];

  for (const [name, text, line, column, expected] of cases) {
    test(name, () => {
      const error = parseError(text);
      expect(error.file).toBe('test.dbc');
      expect(error.line).toBe(line);
      expect(error.column).toBe(column);
      expect(error.expected).toContain(expected);
      expect(error.message).toStartWith(`test.dbc:${line}:${column}: expected `);
    });
  }
});

describe('oversized tokens in errors', () => {
  test('a long identifier is quoted short', () => {
    const error = parseError('A'.repeat(100_000));
    expect(error.message).toStartWith('test.dbc:1:1: expected a DBC keyword');
    expect(error.found).toBe(`'${'A'.repeat(40)}…'`);
    expect(error.message.length).toBeLessThan(200);
  });

  test('a long string is quoted short', () => {
    const error = parseError(`BO_ 1 M: 8 E\n SG_ S : 0|8@1+ (1,0) [0|1] "" "${'u'.repeat(5000)}"\n`);
    expect(error.found).toBe(`string "${'u'.repeat(40)}…"`);
  });
});

describe('DBC file size limit', () => {
  test('oversized file rejected before reading', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dbc-size-')), 'huge.dbc');
    writeFileSync(path, '');
    // A sparse file: its size is over the limit without writing 16 MiB.
    truncateSync(path, MAX_DBC_FILE_BYTES + 1);

    expect(() => loadDbcFile(path)).toThrow(CanError);
    expect(() => loadDbcFile(path)).toThrow(`is ${MAX_DBC_FILE_BYTES + 1} bytes, over the limit of ${MAX_DBC_FILE_BYTES}`);
  });
});

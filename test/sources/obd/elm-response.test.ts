import { describe, expect, test } from 'bun:test';
import { parseElmResponse } from '../../../server/sources/obd/elm-response.ts';
import { ELM_ERRORS } from '../../../server/sources/obd/elm-errors.ts';

const bytes = (hex: string) => Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));
const data = (parsed: ReturnType<typeof parseElmResponse>) =>
  parsed.messages.map((m) => ({ ecu: m.ecu, data: Array.from(m.data) }));

describe('single-frame replies', () => {
  test('11-bit headers with spaces', () => {
    const parsed = parseElmResponse('7E8 04 41 0C 1A F8 \r\r', '010C', 'can11');
    expect(data(parsed)).toEqual([{ ecu: '7E8', data: bytes('41 0C 1A F8') }]);
    expect(parsed.error).toBeNull();
    expect(parsed.invalidLines).toEqual([]);
  });

  test('11-bit headers without spaces', () => {
    const parsed = parseElmResponse('7E804410C1AF8\r\r', '010C', 'can11');
    expect(data(parsed)).toEqual([{ ecu: '7E8', data: bytes('41 0C 1A F8') }]);
  });

  test('two ECUs answer one request', () => {
    const reply = '7E8 06 41 00 BE 3E B8 11\r7E9 06 41 00 88 18 00 10\r\r';
    const parsed = parseElmResponse(reply, '0100', 'can11');
    expect(data(parsed)).toEqual([
      { ecu: '7E8', data: bytes('41 00 BE 3E B8 11') },
      { ecu: '7E9', data: bytes('41 00 88 18 00 10') },
    ]);
  });

  test('29-bit headers', () => {
    const parsed = parseElmResponse('18 DA F1 10 03 41 0D 32\r18DAF118034105 7B\r', '010D', 'can29');
    expect(data(parsed)).toEqual([
      { ecu: '18DAF110', data: bytes('41 0D 32') },
      { ecu: '18DAF118', data: bytes('41 05 7B') },
    ]);
  });

  test('29-bit header before protocol known', () => {
    const parsed = parseElmResponse('18DAF11006410098180001\r', '0100', 'none');
    expect(data(parsed)).toEqual([{ ecu: '18DAF110', data: bytes('41 00 98 18 00 01') }]);
  });

  test('K-line headers with checksum', () => {
    const parsed = parseElmResponse('48 6B 10 41 0C 1A F8 E2\r', '010C', 'legacy');
    expect(data(parsed)).toEqual([{ ecu: '10', data: bytes('41 0C 1A F8') }]);
  });

  test('non-standard KWP header 86 F1 10', () => {
    const parsed = parseElmResponse('86 F1 10 41 0D 32 F7\r', '010D', 'legacy');
    expect(data(parsed)).toEqual([{ ecu: '10', data: bytes('41 0D 32') }]);
  });

  test('no headers', () => {
    const parsed = parseElmResponse('41 0C 1A F8\r', '010C', 'none');
    expect(data(parsed)).toEqual([{ ecu: 'ECU', data: bytes('41 0C 1A F8') }]);
  });

  test('clone that ignores ATH1', () => {
    const parsed = parseElmResponse('410C1AF8\r', '010C', 'can11');
    expect(data(parsed)).toEqual([{ ecu: 'ECU', data: bytes('41 0C 1A F8') }]);
  });
});

describe('multi-frame replies', () => {
  const vin = Buffer.from('JT2JA82J5R0012345').toString('hex').toUpperCase().match(/../g)!;
  const payload = ['49', '02', '01', ...vin];

  test('ISO-TP frames with headers', () => {
    const reply = [
      `7E8 10 14 ${payload.slice(0, 6).join(' ')}`,
      `7E8 21 ${payload.slice(6, 13).join(' ')}`,
      `7E8 22 ${payload.slice(13, 20).join(' ')}`,
    ].join('\r');
    const parsed = parseElmResponse(reply, '0902', 'can11');
    expect(data(parsed)).toEqual([{ ecu: '7E8', data: bytes(payload.join('')) }]);
  });

  test('interleaved frames of two ECUs', () => {
    const reply = [
      '7E8 10 08 41 0C 1A F8 0D 32',
      '7E9 03 41 0D 33',
      '7E8 21 11 FF 00 00 00 00 00',
    ].join('\r');
    const parsed = parseElmResponse(reply, '010C0D11', 'can11');
    expect(data(parsed)).toEqual([
      { ecu: '7E9', data: bytes('41 0D 33') },
      { ecu: '7E8', data: bytes('41 0C 1A F8 0D 32 11 FF') },
    ]);
  });

  test('byte count and indexed lines', () => {
    const reply = [
      '014',
      `0: ${payload.slice(0, 6).join(' ')}`,
      `1: ${payload.slice(6, 13).join(' ')}`,
      `2: ${payload.slice(13, 20).join(' ')}`,
    ].join('\r');
    const parsed = parseElmResponse(reply, '0902', 'none');
    expect(data(parsed)).toEqual([{ ecu: 'ECU', data: bytes(payload.join('')) }]);
  });

  test('missing consecutive frame is reported', () => {
    const reply = `7E8 10 14 ${payload.slice(0, 6).join(' ')}\r7E8 22 ${payload.slice(13, 20).join(' ')}`;
    const parsed = parseElmResponse(reply, '0902', 'can11');
    expect(parsed.messages).toEqual([]);
    expect(parsed.invalidLines).toEqual(['7E8 consecutive frame out of sequence']);
  });

  test('indexed lines out of order are reported', () => {
    const parsed = parseElmResponse('014\r0: 49 02 01 4A 54 32\r2: 4A 41 38\r', '0902', 'none');
    expect(parsed.messages).toEqual([]);
    expect(parsed.invalidLines.length).toBe(1);
  });
});

describe('status lines and clone quirks', () => {
  test('SEARCHING before the data', () => {
    const parsed = parseElmResponse('SEARCHING...\r7E8 06 41 00 BE 3E B8 11\r', '0100', 'can11');
    expect(parsed.isSearching).toBe(true);
    expect(parsed.messages.length).toBe(1);
  });

  test('echo that stays on', () => {
    const parsed = parseElmResponse('010C\r7E8 04 41 0C 1A F8\r', '010C', 'can11');
    expect(data(parsed)).toEqual([{ ecu: '7E8', data: bytes('41 0C 1A F8') }]);
    expect(parsed.invalidLines).toEqual([]);
  });

  test('progress dots before data', () => {
    const parsed = parseElmResponse('....\r...48 6B 10 41 0D 32 F6\r', '010D', 'legacy');
    expect(data(parsed)).toEqual([{ ecu: '10', data: bytes('41 0D 32') }]);
  });

  test('K-line bus init status', () => {
    const parsed = parseElmResponse('BUS INIT: ...OK\r48 6B 10 41 0D 32 F6\r', '010D', 'legacy');
    expect(parsed.messages.length).toBe(1);
    expect(parsed.error).toBeNull();
  });

  test('linefeeds and a NUL before the prompt', () => {
    const parsed = parseElmResponse('7E8 03 41 0D 32\r\n\r\n\0', '010D', 'can11');
    expect(parsed.messages.length).toBe(1);
  });

  test('garbage line is counted, not thrown', () => {
    const parsed = parseElmResponse('7E8 03 41 0D 32\rZZ#%\r', '010D', 'can11');
    expect(parsed.messages.length).toBe(1);
    expect(parsed.invalidLines).toEqual(['ZZ#%']);
  });
});

describe('error strings', () => {
  const samples: [string, string][] = [
    ['NO DATA', 'skip'],
    ['SEARCHING...\rUNABLE TO CONNECT', 'search-protocol'],
    ['BUS INIT: ...ERROR', 'search-protocol'],
    ['STOPPED', 'retry'],
    ['?', 'unsupported'],
    ['BUFFER FULL', 'reduce-load'],
    ['BUS ERROR', 'bus-wait'],
    ['CAN ERROR', 'bus-wait'],
    ['<RX ERROR', 'retry'],
    ['BUS BUSY', 'bus-wait'],
    ['FB ERROR', 'bus-wait'],
    ['ERR94', 'reset'],
    ['7E8 03 41 0D <DATA ERROR', 'retry'],
    ['<DATA ERROR', 'retry'],
    ['DATA ERROR', 'retry'],
    ['LV RESET', 'reset'],
    ['ACT ALERT', 'reset'],
  ];

  for (const [reply, recovery] of samples) {
    test(`${JSON.stringify(reply)} maps to ${recovery}`, () => {
      const parsed = parseElmResponse(reply, '010D', 'can11');
      expect(parsed.error?.recovery).toBe(recovery as never);
      expect(parsed.messages).toEqual([]);
    });
  }

  test('every table entry has a sample', () => {
    const covered = new Set(samples.map(([reply]) => parseElmResponse(reply, '010D', 'can11').error?.text));
    for (const spec of ELM_ERRORS) expect(covered.has(spec.text)).toBe(true);
  });

  test('data survives an error line', () => {
    const parsed = parseElmResponse('7E8 03 41 0D 32\rCAN ERROR\r', '010D', 'can11');
    expect(parsed.messages.length).toBe(1);
    expect(parsed.error?.text).toBe('CAN ERROR');
  });
});

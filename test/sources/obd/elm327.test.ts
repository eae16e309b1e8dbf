import { afterEach, describe, expect, test } from 'bun:test';
import { closeSerialPort, openSerialPort, type TtyStream } from '../../../server/serial/index.ts';
import { ElmLink, ElmLinkClosedError, ElmTimeoutError } from '../../../server/sources/obd/elm-link.ts';
import { Elm327, ElmNoVehicleError, ElmResetDroppedLinkError } from '../../../server/sources/obd/elm327.ts';
import { standardInit, startEmulator, startScriptedAdapter } from './support.ts';
import { decodeDtcs, decodeVin } from '../../../server/sources/obd/diagnostics.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const FAST_TIMING = { commandMs: 1000, resetMs: 1000, searchMs: 2000 };

async function driverOn(path: string): Promise<Elm327> {
  const stream: TtyStream = await openSerialPort(path, { baudRate: 38400 });
  cleanups.push(() => closeSerialPort(stream));
  return new Elm327(new ElmLink(stream), FAST_TIMING);
}

async function emulated(clone = '') {
  const peer = await startEmulator(clone);
  cleanups.push(() => peer.server.close());
  return { peer, elm: await driverOn(peer.path) };
}

describe('Elm327 against the emulator', () => {
  test('start-up, protocol and PID discovery', async () => {
    const { elm } = await emulated();
    const adapter = await elm.initialise('atz');
    expect(adapter.identity).toBe('ELM327 v2.1');
    expect(adapter.version).toBe(2.1);
    expect(adapter.isEchoStuck).toBe(false);
    expect(adapter.features.spacesOff).toBe(true);
    expect(adapter.features.adaptiveTiming).toBe(true);

    const vehicle = await elm.connectVehicle();
    expect(vehicle.protocol.number).toBe('6');
    expect(vehicle.isAutomatic).toBe(true);
    expect(adapter.features.responseCount).toBe(true);
    const pids = [...vehicle.supportedByEcu.get('7E8')!];
    expect(pids).toContain(0x0c);
    expect(pids).toContain(0x5c);
    expect(pids).toContain(0x44);
  });

  test('multi-PID request with response count', async () => {
    const { elm } = await emulated();
    await elm.initialise('atd');
    await elm.connectVehicle();
    const parsed = await elm.query('010C0B110D2');
    expect(parsed.messages.length).toBe(1);
    expect(Array.from(parsed.messages[0].data.subarray(0, 2))).toEqual([0x41, 0x0c]);
    expect(parsed.messages[0].data.length).toBe(1 + 3 + 2 + 2 + 2);
  });

  test('echo that stays on', async () => {
    const { elm } = await emulated('echo');
    const adapter = await elm.initialise('atz');
    expect(adapter.isEchoStuck).toBe(true);
    await elm.connectVehicle();
    const parsed = await elm.query('010D');
    expect(parsed.messages.length).toBe(1);
    expect(parsed.invalidLines).toEqual([]);
  });

  test('clone claiming v1.5 without v1.3 commands', async () => {
    const { elm } = await emulated('fake-version');
    const adapter = await elm.initialise('atz');
    expect(adapter.version).toBe(1.5);
    expect(adapter.features.spacesOff).toBe(false);
    expect(adapter.features.adaptiveTiming).toBe(false);
    await elm.connectVehicle();
    expect(adapter.features.responseCount).toBe(false);
    const parsed = await elm.query('010C0D');
    expect(parsed.messages.length).toBe(1);
  });

  test('K-line with dots and 3-byte headers', async () => {
    const { elm } = await emulated('kline,dots');
    await elm.initialise('atz');
    const vehicle = await elm.connectVehicle();
    expect(vehicle.protocol.number).toBe('3');
    expect([...vehicle.supportedByEcu.keys()]).toEqual(['10']);
    const parsed = await elm.query('010C');
    expect(parsed.messages.map((m) => m.ecu)).toEqual(['10']);
  });

  test('K-line VIN and codes in several frames', async () => {
    const { elm } = await emulated('kline');
    await elm.initialise('atz');
    await elm.connectVehicle();
    const vin = await elm.query('0902');
    expect(vin.messages.length).toBe(5);
    expect(decodeVin(vin.messages.map((m) => m.data))).toBe('JT2JA82J5R0012345');

    const stored = await elm.query('03');
    expect(stored.messages.length).toBe(1);
    expect(decodeDtcs(stored.messages[0].data.subarray(1), false)).toEqual(['P0171']);
  });

  test('29-bit CAN with two ECUs', async () => {
    const { elm } = await emulated('can29,two-ecus');
    await elm.initialise('atz');
    const vehicle = await elm.connectVehicle();
    expect(vehicle.protocol.number).toBe('7');
    expect([...vehicle.supportedByEcu.keys()].sort()).toEqual(['18DAF110', '18DAF111']);
  });

  test('headers that stay off with multi-frame VIN', async () => {
    const { elm } = await emulated('no-headers');
    await elm.initialise('atz');
    await elm.connectVehicle();
    const parsed = await elm.query('0902');
    expect(parsed.messages.length).toBe(1);
    expect(parsed.messages[0].data.length).toBe(20);
  });

  test('ignition off is reported as no vehicle', async () => {
    const { peer, elm } = await emulated();
    peer.emulator.isIgnitionOn = false;
    await elm.initialise('atz');
    const error = await elm.connectVehicle().catch((e) => e);
    expect(error).toBeInstanceOf(ElmNoVehicleError);
    expect(error.message).toContain('UNABLE TO CONNECT');
  });

  test('ATZ that drops the link', async () => {
    const { elm } = await emulated('atz-drop');
    const error = await elm.initialise('atz').catch((e) => e);
    expect(error).toBeInstanceOf(ElmResetDroppedLinkError);
  });

  test('ATD keeps a dropping clone connected', async () => {
    const { elm } = await emulated('atz-drop');
    const adapter = await elm.initialise('atd');
    expect(adapter.identity).toBe('ELM327 v2.1');
  });
});

describe('Elm327 against scripted transcripts', () => {
  test('v1.0 adapter gets no v1.2+ commands', async () => {
    const peer = await startScriptedAdapter((command) => {
      if (command === 'ATI') return 'ELM327 v1.0';
      return standardInit(command);
    });
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    const adapter = await elm.initialise('atz');
    await elm.connectVehicle();
    expect(adapter.version).toBe(1);
    expect(adapter.features).toEqual({ spacesOff: false, adaptiveTiming: false, responseCount: false });
    expect(peer.commands).not.toContain('ATS0');
    expect(peer.commands).not.toContain('ATAT1');
    expect(peer.commands).not.toContain('01001');
  });

  test('silent adapter times out', async () => {
    const peer = await startScriptedAdapter(() => null);
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    const error = await elm.initialise('atd').catch((e) => e);
    expect(error).toBeInstanceOf(ElmTimeoutError);
  });

  test('stale reply after a timeout is discarded', async () => {
    let delayed = false;
    const peer = await startScriptedAdapter((command) => {
      if (command === 'ATRV' && !delayed) {
        delayed = true;
        return null;
      }
      return command === 'ATRV' ? '12.6V' : 'OK';
    });
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    expect(await elm.readAdapterVoltage().catch((e) => e)).toBeInstanceOf(ElmTimeoutError);
    expect(await elm.readAdapterVoltage()).toBe(12.6);
  });

  test('search reply parsed after ATDPN', async () => {
    const peer = await startScriptedAdapter((command) => {
      if (command === '0100') return 'SEARCHING...\rBUS INIT: ...OK\r48 6B 10 41 00 BE 3E B8 11 C5';
      if (command === 'ATDPN') return 'A3';
      return standardInit(command);
    });
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    await elm.initialise('atz');
    const vehicle = await elm.connectVehicle();
    expect(vehicle.protocol.name).toBe('ISO 9141-2 (5 baud init)');
    expect([...vehicle.supportedByEcu.keys()]).toEqual(['10']);
    expect(peer.commands).not.toContain('01001');
  });

  test('bitmap chain follows the next-range bit', async () => {
    const peer = await startScriptedAdapter(standardInit);
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    await elm.initialise('atz');
    const vehicle = await elm.connectVehicle();
    expect(peer.commands).toContain('0120');
    expect(peer.commands).not.toContain('0140');
    expect(vehicle.supportedByEcu.get('7E8')!.has(0x21)).toBe(true);
  });

  test('adapter that rejects ATE0 fails initialisation clearly', async () => {
    const peer = await startScriptedAdapter((command) => (command === 'ATE0' ? '?' : 'OK'));
    cleanups.push(() => peer.close());
    const elm = await driverOn(peer.path);
    const error = await elm.initialise('atd').catch((e) => e);
    expect(error.message).toContain('ATE0');
    expect(error.message).toContain('baud rate');
  });

  test('closing the peer fails the pending request', async () => {
    const peer = await startScriptedAdapter(() => null);
    const elm = await driverOn(peer.path);
    const pending = elm.query('010C').catch((e) => e);
    await Bun.sleep(50);
    await peer.close();
    expect(await pending).toBeInstanceOf(ElmLinkClosedError);
    expect(elm.link.isOpen).toBe(false);
  });
});

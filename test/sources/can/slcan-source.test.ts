import { afterEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSerialPort, closeSerialPort } from '../../../server/serial/index.ts';
import { BUNDLED_DBCS, loadBundled } from '../../../server/sources/can/bundled.ts';
import { encodeMessage } from '../../../server/sources/can/dbc/index.ts';
import { formatSlcanFrame } from '../../../server/sources/can/slcan/protocol.ts';
import { createSlcanSource, type SlcanSource } from '../../../server/sources/can/slcan/source.ts';
import { DEBIAN_PYTHON } from './canmatrix-reference.ts';
import { startSlcanEmulator, type SlcanEmulator } from './slcan-emulator.ts';
import { recordSource } from './source-harness.ts';

const { database } = loadBundled(BUNDLED_DBCS['haltech-v2']);
const engine = database.messages.find((m) => m.name === 'HALTECH_360_ENGINE')!;
const temperatures = database.messages.find((m) => m.name === 'HALTECH_3E0_TEMPERATURES')!;

function engineLine(rpm: number, stampMs?: number): string {
  const data = encodeMessage(engine, { EngineSpeed: rpm, ManifoldPressure: 180, ThrottlePosition: 40 });
  const stamp = stampMs === undefined ? '' : stampMs.toString(16).toUpperCase().padStart(4, '0');
  return `${formatSlcanFrame(engine.id, false, data)}${stamp}\r`;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function slcanSource(path: string, query = ''): SlcanSource {
  const source = createSlcanSource(`${path}?bitrate=1000000${query}`, {
    flags: { dbc: 'haltech-v2' },
    dataDir: tmpdir(),
  }) as SlcanSource;
  cleanups.push(() => source.stop());
  return source;
}

async function emulator(replies: Record<string, string> = {}): Promise<SlcanEmulator> {
  const adapter = await startSlcanEmulator(replies);
  cleanups.push(() => adapter.close());
  return adapter;
}

describe('SLCAN source with an emulated adapter', () => {
  test('handshake sends close, bit rate, timestamps, version, open', async () => {
    const adapter = await emulator({ V: 'V1013\r' });
    const source = slcanSource(adapter.path);
    const recording = recordSource();
    await source.start(recording.context);

    expect(adapter.commands).toEqual(['C', 'S8', 'Z1', 'V', 'O']);
    expect(source.status().state).toBe('live');
    expect(source.status().extra?.adapterVersion).toBe('hardware 10, software 13');
  });

  test('frames become canonical samples', async () => {
    const adapter = await emulator();
    const source = slcanSource(adapter.path);
    const recording = recordSource();
    await source.start(recording.context);

    const data = encodeMessage(temperatures, { CoolantTemperature: 363.2, OilTemperature: 383.2 });
    adapter.send(engineLine(3000) + `${formatSlcanFrame(temperatures.id, false, data)}\r`);
    await recording.waitForSamples((s) => s.some((x) => x.channel === 'oilTempC'));

    const value = (channel: string) => recording.samples.find((s) => s.channel === channel)?.value;
    expect(value('rpm')).toBe(3000);
    expect(value('mapKpa')).toBeCloseTo(180, 6);
    expect(value('coolantC')).toBeCloseTo(90.05, 6);
    expect(value('oilTempC')).toBeCloseTo(110.05, 6);
  });

  test('timestamps keep spacing across the 60 s wrap', async () => {
    const adapter = await emulator();
    const source = slcanSource(adapter.path);
    const recording = recordSource(() => 100);
    await source.start(recording.context);

    adapter.send(engineLine(1000, 59_990) + engineLine(1010, 10) + engineLine(1020, 30));
    await recording.waitForSamples((s) => s.filter((x) => x.channel === 'rpm').length === 3);

    const times = recording.samples.filter((s) => s.channel === 'rpm').map((s) => s.timeS);
    expect(times[1] - times[0]).toBeCloseTo(0.02, 9);
    expect(times[2] - times[1]).toBeCloseTo(0.02, 9);
  });

  test('rejected bit rate fails with the command named', async () => {
    const adapter = await emulator({ S8: '\x07' });
    const source = slcanSource(adapter.path);
    const recording = recordSource();
    await source.start(recording.context);

    expect(source.status().state).toBe('failed');
    expect(source.status().detail).toContain('rejected S8 (1000000 bit/s)');
  });

  test('status flags are polled and bus errors counted', async () => {
    const adapter = await emulator({ F: 'F80\r' });
    const source = slcanSource(adapter.path);
    await source.start(recordSource().context);

    await adapter.waitForCommand('F');
    await Bun.sleep(50);
    expect(source.status().extra?.statusFlags).toBe(0x80);
    expect(source.status().extra?.errorFrames).toBeGreaterThanOrEqual(1);
  });

  test('garbage lines are counted, never thrown', async () => {
    const adapter = await emulator();
    const source = slcanSource(adapter.path);
    const recording = recordSource();
    await source.start(recording.context);

    adapter.send('t36\rtXYZ8\rT1234\r\x00\xff\r' + engineLine(2500));
    await recording.waitForSamples((s) => s.some((x) => x.channel === 'rpm'));
    expect(source.status().extra?.unexpectedLines).toBe(4);
    expect(recording.samples.find((s) => s.channel === 'rpm')?.value).toBe(2500);
  });

  test('missing device is retried', async () => {
    const source = slcanSource('/dev/does-not-exist-slcan');
    await source.start(recordSource().context);
    expect(source.status().state).toBe('reconnecting');
    expect(source.status().detail).toContain('/dev/does-not-exist-slcan not found: is the adapter plugged in?');
  });

  test('late adapter goes live', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'slcan-late-')), 'adapter');
    const source = slcanSource(link);
    const recording = recordSource();
    await source.start(recording.context);
    expect(source.status().state).toBe('reconnecting');

    const adapter = await emulator();
    symlinkSync(adapter.path, link);
    await recording.waitForState('live');
    adapter.send(engineLine(1500));
    await recording.waitForSamples((s) => s.some((x) => x.channel === 'rpm'));
    expect(recording.samples.find((s) => s.channel === 'rpm')?.value).toBe(1500);
  });
});

const hasPeers = existsSync(DEBIAN_PYTHON) && existsSync('/usr/bin/socat');
if (!hasPeers) console.warn('skipped: python3-can over socat needs /usr/bin/python3 and socat');

/** Starts socat with two linked ptys and resolves once both links exist. */
async function socatPair(): Promise<{ adapterSide: string; monitorSide: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'slcan-'));
  const adapterSide = join(dir, 'adapter');
  const monitorSide = join(dir, 'monitor');
  const socat = Bun.spawn(
    ['socat', `pty,raw,echo=0,link=${adapterSide}`, `pty,raw,echo=0,link=${monitorSide}`],
    { stderr: 'ignore' },
  );
  cleanups.push(() => socat.kill());
  for (let i = 0; i < 200 && !(existsSync(adapterSide) && existsSync(monitorSide)); i++) await Bun.sleep(10);
  return { adapterSide, monitorSide };
}

/** Runs python-can's slcan interface on `path`, sending the given frames as (id, hex) pairs. */
function runPythonCan(path: string, frames: Array<[number, string]>): Promise<number> {
  const script = [
    'import can, sys, json',
    `bus = can.interface.Bus(interface="slcan", channel=sys.argv[1], bitrate=1000000, sleep_after_open=0)`,
    'for arbitration_id, data in json.loads(sys.argv[2]):',
    '    bus.send(can.Message(arbitration_id=arbitration_id, data=bytes.fromhex(data), is_extended_id=False))',
    'bus.shutdown()',
  ].join('\n');
  const child = Bun.spawn([DEBIAN_PYTHON, '-c', script, path, JSON.stringify(frames)], { stderr: 'pipe' });
  return child.exited;
}

describe.skipIf(!hasPeers)('SLCAN source with python3-can as the adapter', () => {
  test('python-can sends close, bit rate and open at start', async () => {
    const { adapterSide, monitorSide } = await socatPair();
    const port = await openSerialPort(monitorSide, { baudRate: 115200 });
    cleanups.push(() => closeSerialPort(port));
    let received = '';
    port.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));

    expect(await runPythonCan(adapterSide, [])).toBe(0);
    for (let i = 0; i < 100 && !received.endsWith('C\r'); i++) await Bun.sleep(10);
    expect(received).toBe('C\rS8\rO\rO\rC\r');
  });

  test('frames sent by python-can decode into samples', async () => {
    const { adapterSide, monitorSide } = await socatPair();
    const source = slcanSource(monitorSide, '&replyTimeoutMs=100');
    const recording = recordSource();
    await source.start(recording.context);
    expect(source.status().state).toBe('live');

    const rpms = [900, 1500, 4200, 6800];
    const frames = rpms.map((rpm): [number, string] => {
      const data = encodeMessage(engine, { EngineSpeed: rpm, ManifoldPressure: 95.5, ThrottlePosition: 12.5 });
      return [engine.id, Buffer.from(data).toString('hex')];
    });
    expect(await runPythonCan(adapterSide, frames)).toBe(0);
    await recording.waitForSamples((s) => s.filter((x) => x.channel === 'rpm').length === rpms.length);

    expect(recording.samples.filter((s) => s.channel === 'rpm').map((s) => s.value)).toEqual(rpms);
    expect(recording.samples.find((s) => s.channel === 'throttlePct')?.value).toBeCloseTo(12.5, 6);
    expect(source.status().extra?.isAcknowledging).toBe(false);
  });
});

import { afterEach, describe, expect, test } from 'bun:test';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import type { Sample } from '../../../server/domain/sample.ts';
import type { SourceStatus } from '../../../server/protocol.ts';
import { SourceConfigError } from '../../../server/sources/source.ts';
import { createObdSource, ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { standardInit, startEmulator, startScriptedAdapter, tempLink } from './support.ts';
import { INSTANT_TIMING } from '../../../server/sources/obd/emulator/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Harness {
  readonly source: ObdSource;
  readonly samples: Sample[];
  readonly events: { kind: string; text: string }[];
  readonly states: SourceStatus['state'][];
}

async function startSource(spec: string): Promise<Harness> {
  const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec), { initialMs: 50, maxMs: 200 });
  const harness: Harness = { source, samples: [], events: [], states: [] };
  const startedMs = performance.now();
  await source.start({
    sink: (batch) => harness.samples.push(...batch),
    clock: { nowS: () => (performance.now() - startedMs) / 1000 },
    onStatus: (status) => harness.states.push(status.state),
    onEvent: (kind, text) => harness.events.push({ kind, text }),
  });
  cleanups.push(() => source.stop());
  return harness;
}

/** Waits until `condition` holds; fails with `what` after 20 s. */
async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (condition()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function openFdTargets(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

const countOf = (samples: Sample[], channel: string) => samples.filter((s) => s.channel === channel).length;

describe('ObdSource over the emulator', () => {
  test('connects, polls and reports', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const { source, samples } = await startSource(`${peer.path}?baud=38400`);
    expect(source.status().state).toBe('live');

    await waitFor('a slow channel', () => countOf(samples, 'oilTempC') >= 2);
    expect(countOf(samples, 'rpm')).toBeGreaterThan(countOf(samples, 'oilTempC'));
    for (const channel of ['rpm', 'mapKpa', 'throttlePct', 'lambda', 'coolantC', 'iatC', 'speedKmh', 'batteryV']) {
      expect({ channel, seen: countOf(samples, channel) > 0 }).toEqual({ channel, seen: true });
    }

    const status = source.status();
    expect(status.samplesReceived).toBe(samples.length);
    expect(status.extra?.protocol).toBe('ISO 15765-4 CAN (11 bit ID, 500 kbaud)');
    expect(status.extra?.responseCount).toBe(true);
    expect(status.extra?.vin).toBe('JT2**********2345');
    const rates = status.extra?.ratesHz as Record<string, number>;
    expect(rates['0C']).toBeGreaterThan(rates['5C']);

    expect(source.snapshot().codes).toEqual([
      { code: 'P0171', kind: 'stored', ecu: '7E8' },
      { code: 'P0301', kind: 'pending', ecu: '7E8' },
    ]);
  });

  test('sends multi-PID requests with a response count', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const { samples } = await startSource(`${peer.path}?baud=38400`);
    await waitFor('100 rpm samples', () => countOf(samples, 'rpm') >= 100);
    // Four fast PIDs share each request, so they arrive together.
    expect(Math.abs(countOf(samples, 'rpm') - countOf(samples, 'throttlePct'))).toBeLessThanOrEqual(2);
    expect(peer.emulator.obdRequests).toBeLessThan(countOf(samples, 'rpm') + 40);
  });

  test('resumes after unplug and replug', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const { source, samples, events } = await startSource(`${peer.path}?baud=38400`);
    await waitFor('samples', () => samples.length > 20);

    await peer.server.unplug();
    await waitFor('reconnecting', () => source.status().state === 'reconnecting');
    expect(events.some((e) => e.kind === 'gap')).toBe(true);
    const before = samples.length;

    await peer.server.replug();
    await waitFor('live again', () => source.status().state === 'live');
    await waitFor('new samples', () => samples.length > before + 20);
    expect(source.status().extra?.reconnectAttempts).toBeGreaterThanOrEqual(1);
    expect(source.status().extra?.reconnections).toBe(1);
  });

  test('ignition off then on', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const { source, samples, events } = await startSource(`${peer.path}?baud=38400`);
    await waitFor('samples', () => samples.length > 20);

    peer.emulator.isIgnitionOn = false;
    await waitFor('reconnecting', () => source.status().state === 'reconnecting');
    expect(source.status().detail).toContain('ignition off?');
    expect(events.filter((e) => e.kind === 'gap').length).toBe(1);

    const before = samples.length;
    peer.emulator.isIgnitionOn = true;
    await waitFor('live again', () => source.status().state === 'live');
    await waitFor('new samples', () => samples.length > before);
  });

  test('clone that drops the link on ATZ', async () => {
    const peer = await startEmulator('atz-drop');
    cleanups.push(() => peer.server.close());
    const { source, states } = await startSource(`${peer.path}?baud=38400`);
    await waitFor('live', () => source.status().state === 'live');
    expect(states).toContain('reconnecting');
  });

  test('detects the baud rate', async () => {
    const peer = await startEmulator('', INSTANT_TIMING, 115200);
    cleanups.push(() => peer.server.close());
    const { source } = await startSource(peer.path);
    expect(source.status().state).toBe('live');
    expect(source.status().extra?.baudRate).toBe(115200);
  });

  test('wrong fixed baud rate never goes live', async () => {
    const peer = await startEmulator('', INSTANT_TIMING, 115200);
    cleanups.push(() => peer.server.close());
    const { source } = await startSource(`${peer.path}?baud=38400&timeout=200`);
    expect(source.status().state).toBe('reconnecting');
    expect(source.status().detail).toContain('No reply to ATZ');
    expect(source.status().detail).toContain('at 38400 baud');
    expect(peer.emulator.obdRequests).toBe(0);
  });

  test('PID listed but never answered', async () => {
    const peer = await startEmulator('nodata=0C');
    cleanups.push(() => peer.server.close());
    const { source, samples } = await startSource(`${peer.path}?baud=38400`);
    await waitFor('MAP samples', () => countOf(samples, 'mapKpa') > 30);
    expect(countOf(samples, 'rpm')).toBe(0);
    expect(source.status().state).toBe('live');
    expect((source.status().extra?.ratesHz as Record<string, number>)['0C']).toBe(0);
  });

  test('K-line clone with echo and dots', async () => {
    const peer = await startEmulator('kline,echo,dots,fake-version');
    cleanups.push(() => peer.server.close());
    const { source, samples } = await startSource(`${peer.path}?baud=38400`);
    expect(source.status().state).toBe('live');
    expect(source.status().extra?.pidsPerRequest).toBe(1);
    await waitFor('rpm samples', () => countOf(samples, 'rpm') > 5);
  });

  test('slow clone still polls', async () => {
    const timing = { requestDelayMs: 5, responseWaitMs: 5, slowExtraMs: 150 };
    const peer = await startEmulator('slow', timing);
    cleanups.push(() => peer.server.close());
    const { source, samples } = await startSource(`${peer.path}?baud=38400`);
    expect(source.status().state).toBe('live');
    await waitFor('rpm samples', () => countOf(samples, 'rpm') >= 3);
    expect(source.status().extra?.reconnectAttempts).toBe(0);
  });

  test('missing adapter reports reconnecting at once', async () => {
    const { source } = await startSource(`${tempLink()}?baud=38400`);
    expect(source.status().state).toBe('reconnecting');
    expect(source.status().detail).toContain('ENOENT');
  });

  test('stop releases the port', async () => {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    const { source } = await startSource(`${peer.path}?baud=38400`);
    // The emulator in this process keeps one descriptor of the pty slave open itself.
    const target = realpathSync(peer.path);
    const openCount = () => openFdTargets().filter((t) => t === target).length;
    expect(openCount()).toBe(2);
    await source.stop();
    expect(source.status().state).toBe('stopped');
    expect(openCount()).toBe(1);

    // A request written just before the close may still reach the emulator.
    await Bun.sleep(50);
    const requests = peer.emulator.obdRequests;
    await Bun.sleep(100);
    expect(peer.emulator.obdRequests).toBe(requests);
  });
});

describe('ObdSource stop', () => {
  test('aborts a protocol search', async () => {
    // The adapter initialises but never replies to 0100, so the search would run 20 s.
    const peer = await startScriptedAdapter((command) => (command === '0100' ? null : standardInit(command)));
    cleanups.push(() => peer.close());
    const spec = `${peer.path}?baud=38400`;
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
    const started = source.start({ sink: () => {}, clock: { nowS: () => 0 }, onStatus: () => {}, onEvent: () => {} });
    await waitFor('the search request', () => peer.commands.includes('0100'));

    const outcome = await Promise.race([source.stop().then(() => 'stopped'), Bun.sleep(10_000).then(() => 'hung')]);
    expect(outcome).toBe('stopped');
    expect(source.status().state).toBe('stopped');
    await started;
  });
});

describe('createObdSource', () => {
  test('accepts a by-id path with options', () => {
    const source = createObdSource('/dev/serial/by-id/usb-X-port0?baud=38400&atz=0', { flags: {}, dataDir: '/tmp' });
    expect(source.id).toBe('obd:/dev/serial/by-id/usb-X-port0?baud=38400&atz=0');
    expect((source as ObdSource).options.reset).toBe('atd');
    expect((source as ObdSource).options.baudRate).toBe(38400);
  });

  const invalid: [string, string][] = [
    ['dev/ttyUSB0', 'absolute device path'],
    ['/dev/ttyUSB0?baud=12345', 'baud=12345'],
    ['/dev/ttyUSB0?atz=2', 'atz=2'],
    ['/dev/ttyUSB0?protocol=Z', 'protocol=Z'],
    ['/dev/ttyUSB0?pids=9', 'pids=9'],
    ['/dev/ttyUSB0?speed=1', 'Unknown OBD source option "speed"'],
  ];
  for (const [spec, message] of invalid) {
    test(`rejects ${spec}`, () => {
      const error = (() => {
        try {
          parseObdSpec(spec);
        } catch (e) {
          return e as Error;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(SourceConfigError);
      expect(error?.message).toContain(message);
    });
  }
});

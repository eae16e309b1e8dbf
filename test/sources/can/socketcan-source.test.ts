import { describe, expect, test } from 'bun:test';
import { tmpdir } from 'node:os';
import { BUNDLED_DBCS, loadBundled } from '../../../server/sources/can/bundled.ts';
import { DbcDecoder, encodeMessage } from '../../../server/sources/can/dbc/index.ts';
import { CanIngest } from '../../../server/sources/can/ingest.ts';
import {
  createSocketCanSource,
  SocketCanSource,
  type AddonMessage,
  type RawChannel,
} from '../../../server/sources/can/socketcan/source.ts';
import { recordSource } from './source-harness.ts';

const { database, mapping } = loadBundled(BUNDLED_DBCS['aem-infinity']);
const engine = database.messages.find((m) => m.name === 'AEM_A000_ENGINE')!;

/** Stands in for the addon's channel, which needs a kernel with AF_CAN. */
class ReplayedChannel implements RawChannel {
  readonly listeners = new Map<string, (message: AddonMessage) => void>();
  isStarted = false;
  addListener(event: string, listener: (message: AddonMessage) => void): void {
    this.listeners.set(event, listener);
  }
  start(): void {
    this.isStarted = true;
  }
  stop(): void {
    this.isStarted = false;
  }
  emit(message: AddonMessage): void {
    this.listeners.get('onMessage')!(message);
  }
}

/** Builds a source whose opener returns the given channels (or throws errors) in turn. */
function sourceWithChannel(...channels: Array<RawChannel | Error>): SocketCanSource {
  const ingest = new CanIngest(new DbcDecoder(database), mapping);
  return new SocketCanSource('socketcan:can0', 'can0', ingest, () => {
    const channel = channels.length > 1 ? channels.shift()! : channels[0];
    if (channel instanceof Error) throw channel;
    return channel;
  });
}

describe('SocketCAN source', () => {
  test('opening can0 here reports the kernel or interface cause', async () => {
    const source = createSocketCanSource('can0', { flags: { dbc: 'aem-infinity' }, dataDir: tmpdir() });
    await source.start(recordSource().context);
    expect(source.status().state).toBe('failed');
    expect(source.status().detail).toMatch(/no SocketCAN support|CAN interface can0 not found/);
  });

  test('extended frames from the addon become samples', async () => {
    const channel = new ReplayedChannel();
    const source = sourceWithChannel(channel);
    const recording = recordSource(() => 12.5);
    await source.start(recording.context);
    expect(channel.isStarted).toBe(true);

    const data = encodeMessage(engine, { EngineSpeed: 3500.05, CoolantTemp: 88, IntakeAirTemp: -5 });
    channel.emit({ id: engine.id, ext: true, data });
    const value = (id: string) => recording.samples.find((s) => s.channel === id)?.value;
    expect(value('rpm')).toBeCloseTo(Math.round(3500.05 / 0.39063) * 0.39063, 9);
    expect(value('coolantC')).toBe(88);
    expect(value('iatC')).toBe(-5);
    expect(recording.samples[0].timeS).toBe(12.5);
  });

  test('same id as a standard frame is not decoded', async () => {
    const channel = new ReplayedChannel();
    const source = sourceWithChannel(channel);
    const recording = recordSource();
    await source.start(recording.context);

    channel.emit({ id: engine.id & 0x7ff, data: new Uint8Array(8) });
    expect(recording.samples).toEqual([]);
    expect(source.status().extra?.unknownIdFrames).toBe(1);
  });

  test('bus-off error frame is counted', async () => {
    const channel = new ReplayedChannel();
    const source = sourceWithChannel(channel);
    await source.start(recordSource().context);

    channel.emit({ id: 0x40, err: true, data: new Uint8Array(8) });
    const bus = source.snapshot().bus!;
    expect(bus.errorFrames).toBe(1);
    expect(bus.busOffCount).toBe(1);
    expect(bus.isBusOff).toBe(true);
  });

  test('stopped interface is reopened', async () => {
    const first = new ReplayedChannel();
    const second = new ReplayedChannel();
    const source = sourceWithChannel(first, new Error('Error while creating channel'), second);
    const recording = recordSource();
    await source.start(recording.context);

    first.listeners.get('onStopped')!(undefined as unknown as AddonMessage);
    expect(source.status().state).toBe('reconnecting');
    // One failed reopen, then the second channel, one second apart each.
    for (let i = 0; i < 500 && !second.isStarted; i++) await Bun.sleep(10);
    expect(second.isStarted).toBe(true);
    expect(source.status().state).toBe('live');
    await source.stop();
    expect(source.status().state).toBe('stopped');
  });

  test('addon failure becomes a failed state', async () => {
    const source = sourceWithChannel(new Error('Error while creating channel'));
    await source.start(recordSource().context);
    expect(source.status().state).toBe('failed');
    expect(source.status().detail).toStartWith('cannot open can0: ');
  });
});

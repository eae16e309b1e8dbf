import { describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLED_DBCS, loadBundled } from '../../../server/sources/can/bundled.ts';
import { createCaptureReplaySource } from '../../../server/sources/can/capture-replay.ts';
import { openCaptureTable } from '../../../server/sources/can/capture-log-format.ts';
import { encodeMessage } from '../../../server/sources/can/dbc/index.ts';
import { SourceConfigError, type Source } from '../../../server/sources/source.ts';
import { DEBIAN_PYTHON } from './canmatrix-reference.ts';
import { recordSource } from './source-harness.ts';

const { database } = loadBundled(BUNDLED_DBCS['haltech-v2']);
const engine = database.messages.find((m) => m.name === 'HALTECH_360_ENGINE')!;
const temperatures = database.messages.find((m) => m.name === 'HALTECH_3E0_TEMPERATURES')!;

function candumpLine(timeS: number, id: number, data: Uint8Array, iface = 'can0'): string {
  const idText = id.toString(16).toUpperCase().padStart(3, '0');
  return `(${timeS.toFixed(6)}) ${iface} ${idText}#${Buffer.from(data).toString('hex').toUpperCase()}`;
}

/**
 * Writes a 2 s capture starting at t = 5000 s: the engine frame at 50 Hz
 * for the first second only, temperatures at 5 Hz throughout.
 */
function writeCapture(extraLines: string[] = []): string {
  const lines: string[] = [];
  for (let k = 0; k < 100; k++) {
    const t = 5000 + k * 0.02;
    if (t < 5001) {
      lines.push(candumpLine(t, engine.id, encodeMessage(engine, { EngineSpeed: 1000 + k, ManifoldPressure: 100 })));
    }
    if (k % 10 === 0) {
      const data = encodeMessage(temperatures, { CoolantTemperature: 363.2, OilTemperature: 373.2 });
      lines.push(candumpLine(t + 0.001, temperatures.id, data));
    }
  }
  const path = join(mkdtempSync(join(tmpdir(), 'replay-')), 'capture.log');
  writeFileSync(path, [...lines.slice(0, 3), ...extraLines, ...lines.slice(3)].join('\n') + '\n');
  return path;
}

function replay(spec: string): Source {
  return createCaptureReplaySource(spec, { flags: { dbc: 'haltech-v2' }, dataDir: tmpdir() });
}

describe('capture replay source', () => {
  test('advanceTo delivers frames up to the session time', async () => {
    const source = replay(writeCapture());
    const recording = recordSource(() => 10);
    await source.start(recording.context);

    expect(source.advanceTo!(10.11)).toBe(true);
    const rpm = recording.samples.filter((s) => s.channel === 'rpm');
    expect(rpm.map((s) => s.value)).toEqual([1000, 1001, 1002, 1003, 1004, 1005]);
    expect(Math.max(...recording.samples.map((s) => s.timeS))).toBeLessThanOrEqual(10.11);
    expect(rpm[1].timeS - rpm[0].timeS).toBeCloseTo(0.02, 9);
  });

  test('ends after the last frame', async () => {
    const source = replay(writeCapture());
    const recording = recordSource(() => 0);
    await source.start(recording.context);

    expect(source.advanceTo!(1.5)).toBe(true);
    expect(source.advanceTo!(10)).toBe(false);
    expect(source.status().state).toBe('ended');
    expect(recording.samples.filter((s) => s.channel === 'rpm').length).toBe(50);
    expect(recording.samples.filter((s) => s.channel === 'coolantC').length).toBe(10);
  });

  test('speed option scales time and max sets the flag', () => {
    const path = writeCapture();
    expect(replay(`${path}?speed=max`).isMaxSpeed).toBe(true);
    expect(replay(`${path}?speed=2`).isMaxSpeed).toBe(false);
    expect(() => replay(`${path}?speed=fast`)).toThrow(SourceConfigError);
  });

  test('double speed keeps capture spacing', async () => {
    const source = replay(`${writeCapture()}?speed=2`);
    const recording = recordSource(() => 0);
    await source.start(recording.context);
    source.advanceTo!(0.051);
    const rpm = recording.samples.filter((s) => s.channel === 'rpm');
    expect(source.playbackSpeed).toBe(2);
    expect(rpm.length).toBe(3);
    expect(rpm[1].timeS - rpm[0].timeS).toBeCloseTo(0.02, 9);
  });

  test('silent message marks its channels stale', async () => {
    const source = replay(writeCapture());
    await source.start(recordSource(() => 0).context);

    source.advanceTo!(0.9);
    expect(source.snapshot!().staleChannels).toEqual([]);
    source.advanceTo!(1.5);
    const snapshot = source.snapshot!();
    expect(snapshot.staleChannels).toContain('rpm');
    expect(snapshot.staleChannels).toContain('mapKpa');
    expect(snapshot.staleChannels).not.toContain('coolantC');
    const overdue = (snapshot.bus as { overdueMessages: Array<{ name: string }> }).overdueMessages;
    expect(overdue.map((m) => m.name)).toEqual(['HALTECH_360_ENGINE']);
  });

  test('frame rates per id', async () => {
    const source = replay(writeCapture());
    await source.start(recordSource(() => 0).context);
    source.advanceTo!(0.99);
    source.advanceTo!(1.5);
    const rates = (source.snapshot!().bus as { idRates: Record<string, { perSecond: number }> }).idRates;
    expect(rates['0x360'].perSecond).toBeCloseTo(50, -1);
    expect(rates['0x3E0'].perSecond).toBeCloseTo(5, 0);
  });

  test('damaged lines are skipped and counted', async () => {
    const source = replay(writeCapture(['(5000.03) can0 36#zz', 'garbage']));
    const recording = recordSource(() => 0);
    const events: string[] = [];
    await source.start({ ...recording.context, onEvent: (_kind, text) => events.push(text) });
    source.advanceTo!(5);
    expect(source.status().extra?.badLines).toBe(2);
    expect(events.filter((e) => e.startsWith('skipped ')).length).toBe(2);
    expect(recording.samples.filter((s) => s.channel === 'rpm').length).toBe(50);
  });

  test('channel filter keeps one interface', async () => {
    const path = writeCapture([candumpLine(5000.05, engine.id, encodeMessage(engine, { EngineSpeed: 7777 }), 'can1')]);
    const source = replay(`${path}?channel=can1`);
    const recording = recordSource(() => 0);
    await source.start(recording.context);
    source.advanceTo!(5);
    expect(recording.samples.filter((s) => s.channel === 'rpm').map((s) => s.value)).toEqual([7777]);
  });

  test('state events omit the source id', async () => {
    const source = replay(writeCapture());
    const recording = recordSource(() => 0);
    const events: string[] = [];
    await source.start({ ...recording.context, onEvent: (kind, text) => events.push(`${kind} ${text}`) });
    source.advanceTo!(10);
    // The manager reports each change of state and prefixes the id itself.
    expect(events).toEqual(['log-end end of capture after 60 frames']);
    expect(recording.states).toEqual(['live', 'ended']);
  });

  test('unmatched mapping key in detail', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'replay-map-'));
    const mapPath = join(folder, 'typo.map.json');
    const mapping = {
      signals: {
        'HALTECH_360_ENGINE.EngineSpeed': { channel: 'rpm', unit: 'rpm' },
        'HALTECH_360_ENGINE.EngineSpede': { channel: 'rpm', unit: 'rpm' },
      },
    };
    writeFileSync(mapPath, JSON.stringify(mapping));
    const source = createCaptureReplaySource(writeCapture(), {
      flags: { dbc: 'haltech-v2', 'can-map': mapPath },
      dataDir: tmpdir(),
    });
    await source.start(recordSource(() => 0).context);

    expect(source.status().detail).toBe('candump capture; mapping entries match no DBC signal: HALTECH_360_ENGINE.EngineSpede');
  });

  test('mapping that feeds no channel says why', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'replay-map-'));
    const mapPath = join(folder, 'typo.map.json');
    writeFileSync(mapPath, JSON.stringify({ signals: { EngineSpede: { channel: 'rpm', unit: 'rpm' } } }));
    const source = createCaptureReplaySource(writeCapture(), {
      flags: { dbc: 'haltech-v2', 'can-map': mapPath },
      dataDir: tmpdir(),
    });
    await source.start(recordSource(() => 0).context);

    const detail = source.status().detail ?? '';
    expect(detail).toContain('mapping entries match no DBC signal: EngineSpede');
    expect(detail).toContain(`no channel is fed: no entry of the mapping ${mapPath} names a signal of haltech-v2`);
  });

  test('missing DBC names the flag', () => {
    expect(() => createCaptureReplaySource(writeCapture(), { flags: {}, dataDir: tmpdir() })).toThrow('--dbc');
  });
});

describe('capture as a replay log table', () => {
  test('columns are canonical channels under alias names', () => {
    const bytes = new Uint8Array(readFileSync(writeCapture()));
    const table = openCaptureTable(bytes, 'capture.log', { dbc: 'haltech-v2' });
    const rpm = table.columns.find((c) => c.name === 'Engine speed')!;
    expect(rpm.unit).toBe('rpm');
    expect([...rpm.values].filter((v) => !Number.isNaN(v)).length).toBe(50);
    const coolant = table.columns.find((c) => c.name === 'Coolant temperature')!;
    expect([...coolant.values].find((v) => !Number.isNaN(v))).toBeCloseTo(90.05, 6);
    expect(table.timesS.length).toBe(60);
  });
});

// python-can writes the same engine frames to a candump log and an ASC file.
// Its ASC writer needs float timestamps (an integer one has no "." to split).
const PYTHON_LOGGER = `
import can, json, sys
frames = json.loads(sys.argv[2])
for suffix in ['log', 'asc']:
    with can.Logger(sys.argv[1] + '.' + suffix) as logger:
        for time, arbitration_id, data in frames:
            logger.on_message_received(can.Message(timestamp=float(time), arbitration_id=arbitration_id,
                                                   is_extended_id=False, data=bytes.fromhex(data), channel=0))
`;

describe.skipIf(!existsSync(DEBIAN_PYTHON))('replay of captures written by python3-can', () => {
  const rpms = Array.from({ length: 40 }, (_, k) => 800 + k * 100);
  const frames = rpms.map((rpm, k) => [
    200 + k * 0.02,
    engine.id,
    Buffer.from(encodeMessage(engine, { EngineSpeed: rpm, ManifoldPressure: 150, ThrottlePosition: 20 })).toString('hex'),
  ]);
  const base = join(mkdtempSync(join(tmpdir(), 'pycan-')), 'engine');
  const run = Bun.spawnSync([DEBIAN_PYTHON, '-c', PYTHON_LOGGER, base, JSON.stringify(frames)]);

  for (const suffix of ['log', 'asc']) {
    test(`${suffix} replays every engine frame`, async () => {
      expect(run.exitCode).toBe(0);
      const source = replay(`${base}.${suffix}?speed=max`);
      const recording = recordSource(() => 0);
      await source.start(recording.context);
      let ticks = 0;
      while (source.advanceTo!(ticks / 23.6)) ticks++;

      const rpm = recording.samples.filter((s) => s.channel === 'rpm');
      expect(rpm.map((s) => s.value)).toEqual(rpms);
      expect(rpm[39].timeS - rpm[0].timeS).toBeCloseTo(0.78, 6);
      expect(recording.samples.filter((s) => s.channel === 'mapKpa').every((s) => Math.abs(s.value - 150) < 1e-9)).toBe(true);
      expect(source.status().state).toBe('ended');
      expect(ticks).toBe(19);
    });
  }
});

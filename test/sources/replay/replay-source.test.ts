import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../../../server/domain/sample.ts';
import type { SourceStatus } from '../../../server/protocol.ts';
import { MAX_REPLAY_FILE_BYTES, createReplaySource } from '../../../server/sources/replay/index.ts';
import { SourceConfigError, type Source } from '../../../server/sources/source.ts';
import { hasSharedData, sharedDataFile } from '../../support/shared-data.ts';
import { writeMlg } from './mlg-writer.ts';
import { catchError, fixturePath } from './read-log.ts';

const TICK_S = 1 / 23.6;
const workDir = mkdtempSync(join(tmpdir(), 'replay-test-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function writeLog(name: string, content: string | Uint8Array): string {
  const path = join(workDir, name);
  writeFileSync(path, content);
  return path;
}

interface Harness {
  source: Source;
  samples: Sample[];
  events: { kind: string; text: string }[];
  statuses: SourceStatus[];
}

async function startReplay(spec: string): Promise<Harness> {
  const source = createReplaySource(spec, { flags: {}, dataDir: workDir });
  const harness: Harness = { source, samples: [], events: [], statuses: [] };
  await source.start({
    sink: (batch) => harness.samples.push(...batch),
    clock: { nowS: () => 0 },
    onStatus: (status) => harness.statuses.push(status),
    onEvent: (kind, text) => harness.events.push({ kind, text }),
  });
  return harness;
}

function samplesOf(harness: Harness, channel: string): Sample[] {
  return harness.samples.filter((s) => s.channel === channel);
}

describe('replay source playback', () => {
  test('speed 4 speeds the clock, not the log', async () => {
    const harness = await startReplay(`${fixturePath('tunerstudio-speeduino.csv')}?speed=4`);

    expect(harness.source.status().state).toBe('live');
    expect(harness.source.playbackSpeed).toBe(4);
    expect(harness.source.advanceTo!(100)).toBe(true);
    expect(samplesOf(harness, 'rpm').map((s) => s.timeS)).toEqual([100]);
    expect(harness.source.advanceTo!(100.2)).toBe(true);
    expect(samplesOf(harness, 'rpm').map((s) => s.timeS)).toEqual([100, 100.1, 100.2]);
    expect(harness.source.advanceTo!(100.3)).toBe(true);
    expect(harness.events.map((e) => e.kind)).toEqual(['gap', 'log-end']);
    expect(harness.source.status().state).toBe('live');
    expect(harness.source.advanceTo!(100.4)).toBe(false);
    expect(harness.source.status().state).toBe('ended');
    expect(samplesOf(harness, 'rpm').map((s) => s.value)).toEqual([850, 860, 2500, 3000]);
  });

  test('max speed runs to exhaustion on a virtual clock', async () => {
    const harness = await startReplay(`${fixturePath('obd-run-time.csv')}?speed=max`);
    let ticks = 0;
    while (harness.source.advanceTo!(ticks * TICK_S)) ticks++;
    const status = harness.source.status();

    expect(harness.source.isMaxSpeed).toBe(true);
    // The tick at 5 s delivers the last samples; the one after it ends the loop.
    expect(ticks).toBe(Math.ceil(5 * 23.6) + 1);
    expect(status.state).toBe('ended');
    expect(status.extra?.progress).toBe(1);
    expect(status.samplesReceived).toBe(harness.samples.length);
    expect(samplesOf(harness, 'rpm').length).toBe(8);
    expect(harness.events.filter((e) => e.kind === 'log-end').length).toBe(1);
    expect(harness.source.advanceTo!(1000)).toBe(false);
    expect(harness.statuses.map((s) => s.state)).toEqual(['starting', 'live', 'ended']);
  });

  test('long gap is compressed and reported', async () => {
    const path = writeLog('gap.csv', 'Time,RPM\n0,900\n1,910\n100,920\n101,930\n');
    const harness = await startReplay(path);
    for (let t = 0; t <= 4; t += 0.5) harness.source.advanceTo!(t);

    expect(samplesOf(harness, 'rpm').map((s) => s.timeS)).toEqual([0, 1, 2, 3]);
    expect(harness.events[0]).toEqual({
      kind: 'gap',
      text: 'log gap of 99.0 s at 1.0 s of gap.csv, replayed as a 1 s pause',
    });
    expect(harness.source.status().extra?.durationS).toBe(101);
    expect(harness.source.status().extra?.playbackDurationS).toBe(3);
  });

  test('MLG marker becomes a gap event', async () => {
    const mlg = writeMlg(1, [{ type: 2, name: 'RPM', units: 'rpm' }], [
      { kind: 'data', ticks: 0, raw: [900] },
      { kind: 'marker', ticks: 5_000, text: 'MARK 000 - Going Offline' },
      { kind: 'data', ticks: 10_000, raw: [910] },
    ]);
    const harness = await startReplay(writeLog('marker.mlg', mlg));
    harness.source.advanceTo!(0);
    harness.source.advanceTo!(0.2);

    expect(harness.events[0]).toEqual({
      kind: 'gap',
      text: 'marker at 0.1 s of marker.mlg: MARK 000 - Going Offline',
    });
    expect(harness.events[1].kind).toBe('log-end');
  });

  test('status lists mapped and unmapped channels', async () => {
    const harness = await startReplay(fixturePath('torque-style.csv'));
    const extra = harness.source.status().extra!;

    expect(harness.source.status().kind).toBe('replay');
    expect(extra.format).toBe('obd-csv');
    expect(extra.durationS).toBe(1);
    expect(extra.channelsMapped).toContain('rpm <- Engine RPM');
    expect(extra.channelsUnmapped).toEqual(['Fuel Level (From Engine ECU)']);
    expect(extra.progress).toBe(0);
  });

  test('damaged file fails at start with the position', async () => {
    const mlg = writeMlg(1, [{ type: 2, name: 'RPM' }], [{ kind: 'data', ticks: 0, raw: [900] }]);
    const harness = await startReplay(writeLog('cut.mlg', mlg.subarray(0, 40)));

    expect(harness.source.status().state).toBe('failed');
    expect(harness.source.status().detail).toContain('cut.mlg at byte 40');
    expect(harness.source.advanceTo!(0)).toBe(false);
  });

  test.skipIf(!hasSharedData('logs/ecu/long.mlg'))('long.mlg replays at max speed', async () => {
    const harness = await startReplay(`${sharedDataFile('logs/ecu/long.mlg')}?speed=max`);
    let t = 0;
    while (harness.source.advanceTo!(t)) t += TICK_S;
    const gapEvents = harness.events.filter((e) => e.kind === 'gap');

    expect(samplesOf(harness, 'rpm').length).toBe(27_616);
    expect(gapEvents.filter((e) => e.text.startsWith('log gap')).length).toBe(8);
    expect(gapEvents.filter((e) => e.text.startsWith('marker')).length).toBe(24);
    const extra = harness.source.status().extra!;
    const playbackS = extra.playbackDurationS as number;

    expect(playbackS).toBeLessThan((extra.durationS as number) - 1150);
    expect(t - playbackS).toBeGreaterThanOrEqual(0);
    expect(t - playbackS).toBeLessThan(2 * TICK_S);
  });
});

describe('replay source configuration', () => {
  test('missing file names the fix', () => {
    const options = { flags: {}, dataDir: workDir };
    const error = catchError(() => createReplaySource('/nonexistent/log.mlg', options));

    expect(error).toBeInstanceOf(SourceConfigError);
    expect(error.message).toBe('replay file /nonexistent/log.mlg was not found; give the path of an existing log file');
  });

  test('unknown format lists the readable ones', () => {
    const path = writeLog('junk.bin', new Uint8Array([0, 1, 2, 3, 255]));
    const error = catchError(() => createReplaySource(path, { flags: {}, dataDir: workDir }));

    expect(error).toBeInstanceOf(SourceConfigError);
    expect(error.message).toContain('is in no known log format; readable formats are: MegaLogViewer binary log');
  });

  test('oversized file is rejected', () => {
    const path = join(workDir, 'huge.csv');
    writeFileSync(path, 'Time,RPM\n0,900\n');
    truncateSync(path, MAX_REPLAY_FILE_BYTES + 1);
    const error = catchError(() => createReplaySource(path, { flags: {}, dataDir: workDir }));

    expect(error).toBeInstanceOf(SourceConfigError);
    expect(error.message).toContain(`is ${MAX_REPLAY_FILE_BYTES + 1} bytes, more than the`);
    expect(error.message).toContain('split the log into shorter files');
  });

  test('invalid speed is rejected', () => {
    const spec = `${fixturePath('obd-run-time.csv')}?speed=fast`;
    const error = catchError(() => createReplaySource(spec, { flags: {}, dataDir: workDir }));

    expect(error.message).toBe('invalid replay speed fast; use a positive number such as speed=4, or speed=max');
  });

  test('unknown option is rejected', () => {
    const spec = `${fixturePath('obd-run-time.csv')}?loop=1`;
    const error = catchError(() => createReplaySource(spec, { flags: {}, dataDir: workDir }));

    expect(error.message).toBe(
      'unknown replay option loop; the options are speed=N|max, stoich=AFR, fault=KIND@ONSET_S[:SEVERITY] and seed=N',
    );
  });

  test('stoich changes AFR to lambda', async () => {
    const harness = await startReplay(`${fixturePath('tunerstudio-speeduino.csv')}?stoich=9.8`);
    harness.source.advanceTo!(0);

    expect(samplesOf(harness, 'lambda')[0].value).toBeCloseTo(14.7 / 9.8, 9);
  });
});

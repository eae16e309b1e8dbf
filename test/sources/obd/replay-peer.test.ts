import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { sharedDataFile, hasSharedData } from '../../support/shared-data.ts';
import { createReplaySource } from '../../../server/sources/replay/index.ts';
import {
  createVehicle,
  ElmEmulator,
  INSTANT_TIMING,
  NO_QUIRKS,
  serveElmEmulator,
} from '../../../server/sources/obd/emulator/index.ts';
import { valuesFromSource } from '../../../server/sources/obd/emulator/source-values.ts';
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { tempLink } from './support.ts';

const LOG = 'logs/obd/drive1.csv';

/** Returns the values of one column of the carOBD CSV log. */
function column(path: string, name: string): number[] {
  const [header, ...rows] = readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const index = header.split(',').findIndex((title) => title.trim().startsWith(name));
  return rows.map((row) => Number(row.split(',')[index]));
}

describe('emulator fed by a recorded OBD log', () => {
  test.skipIf(!hasSharedData(LOG))('polled rpm matches the log', async () => {
    const path = sharedDataFile(LOG)!;
    const startedMs = performance.now();
    const nowS = () => (performance.now() - startedMs) / 1000;
    const replay = createReplaySource(path, { flags: {}, dataDir: '/tmp' });
    const values = await valuesFromSource(replay, nowS);
    const emulator = new ElmEmulator(createVehicle(values), NO_QUIRKS, INSTANT_TIMING, nowS);
    const link = tempLink();
    const server = await serveElmEmulator(emulator, link);

    const spec = `${link}?baud=38400`;
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
    const rpm: number[] = [];
    const oilTemp: number[] = [];
    try {
      await source.start({
        sink: (batch) => {
          for (const sample of batch) {
            if (sample.channel === 'rpm') rpm.push(sample.value);
            if (sample.channel === 'oilTempC') oilTemp.push(sample.value);
          }
        },
        clock: { nowS },
        onStatus: () => {},
        onEvent: () => {},
      });
      for (let i = 0; i < 300 && rpm.length < 200; i++) await Bun.sleep(10);
    } finally {
      await source.stop();
      await server.close();
      await values.stop();
    }

    // PID 0C carries rpm in quarter steps, so each polled value is a logged value rounded to 0.25.
    const logged = new Set(column(path, 'ENGINE_RPM').map((value) => Math.round(value * 4) / 4));
    expect(rpm.length).toBeGreaterThanOrEqual(200);
    for (const value of rpm) expect({ value, logged: logged.has(value) }).toEqual({ value, logged: true });
    // The log has no oil temperature, so the emulator returns NO DATA for PID 5C.
    expect(oilTemp).toEqual([]);
  });
});

import { afterEach, describe, expect, test } from 'bun:test';
import type { Sample } from '../../../server/domain/sample.ts';
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { answerAll, car, startScriptedAdapter, type Script } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Session seconds per real second, so that seconds of silence pass in a fraction of one. */
const CLOCK_SPEED = 20;

async function startSource(script: Script, samples: Sample[] = []): Promise<ObdSource> {
  const peer = await startScriptedAdapter(script);
  cleanups.push(() => peer.close());
  const spec = `${peer.path}?baud=38400&timeout=300`;
  const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec), { initialMs: 50, maxMs: 200 });
  const startedMs = performance.now();
  await source.start({
    sink: (batch) => samples.push(...batch),
    clock: { nowS: () => ((performance.now() - startedMs) / 1000) * CLOCK_SPEED },
    onStatus: () => {},
    onEvent: () => {},
  });
  cleanups.push(() => source.stop());
  return source;
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (condition()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Returns the reply of `answerAll` without engine speed (PID 0C). */
function answerAllButEngineSpeed(command: string): string {
  const others = (command.slice(2).match(/../g) ?? []).filter((pid) => pid !== '0C');
  return others.length === 0 ? 'NO DATA' : answerAll(`01${others.join('')}`);
}

describe('data health of a live source', () => {
  test('names a silent fast PID', async () => {
    const source = await startSource(car((command) => answerAllButEngineSpeed(command)));

    await waitFor('0C named', () => source.status().detail?.includes('PIDs 0C') === true);

    expect(source.status().state).toBe('live');
    expect(source.status().extra?.silentFastPids).toEqual(['0C']);
  });

  test('stalls without usable values', async () => {
    // Engine speed 16383.75 rpm is impossible, so every value is rejected.
    const source = await startSource(car(() => '7E804410CFFFF'));

    await waitFor('stalled', () => source.status().state === 'stalled');

    expect(source.status().detail).toContain('no value arrived');
  });

  test('derives boost from MAP', async () => {
    const samples: Sample[] = [];
    await startSource(car((command) => answerAll(command)), samples);

    await waitFor('boost', () => samples.some((sample) => sample.channel === 'boostKpa'));

    // MAP 0x64 = 100 kPa; this car has no PID 33, so the standard atmosphere applies.
    const boost = samples.find((sample) => sample.channel === 'boostKpa');
    expect(boost?.value).toBeCloseTo(100 - 101.325, 6);
  });
});

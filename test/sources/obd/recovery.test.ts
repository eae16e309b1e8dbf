import { afterEach, describe, expect, test } from 'bun:test';
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { answerAll, car, standardInit, startScriptedAdapter, type Script } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function startSource(script: Script, samples: { channel: string; value: number }[] = []) {
  const peer = await startScriptedAdapter(script);
  cleanups.push(() => peer.close());
  const spec = `${peer.path}?baud=38400&timeout=300`;
  const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec), { initialMs: 50, maxMs: 200 });
  const gaps: string[] = [];
  await source.start({
    sink: (batch) => samples.push(...batch),
    clock: { nowS: () => performance.now() / 1000 },
    onStatus: () => {},
    onEvent: (kind, text) => kind === 'gap' && gaps.push(text),
  });
  cleanups.push(() => source.stop());
  return { source, peer, gaps };
}

async function waitFor(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (condition()) return;
    await Bun.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('car without usable PIDs', () => {
  test('fails with the PIDs it lists', async () => {
    const { source } = await startSource((command) =>
      command === '0100' || command === '01001' ? '7E806410080000000' : standardInit(command),
    );
    expect(source.status().state).toBe('failed');
    expect(source.status().detail).toContain('supports none of the PIDs');
    expect(source.status().detail).toContain('lists 01');
  });
});

describe('battery voltage without PID 42', () => {
  test('comes from ATRV', async () => {
    const samples: { channel: string; value: number }[] = [];
    const { source, peer } = await startSource(car(answerAll), samples);
    await waitFor('a battery sample', () => samples.some((s) => s.channel === 'batteryV'));
    expect(samples.find((s) => s.channel === 'batteryV')?.value).toBe(12.6);
    expect(peer.commands).toContain('ATRV');
    expect(source.status().state).toBe('live');
  });
});

describe('recovery from error strings', () => {
  test('BUFFER FULL lowers the PIDs per request', async () => {
    const { source } = await startSource(car((command, n) => (n <= 2 ? 'BUFFER FULL' : answerAll(command))));
    await waitFor('pidsPerRequest 1', () => source.status().extra?.pidsPerRequest === 1);
    expect(source.status().state).toBe('live');
  });

  test('? to count digit disables it', async () => {
    const { source, peer } = await startSource(
      car((command) => (/^01([0-9A-F]{2})+[0-9A-F]$/.test(command) ? '?' : answerAll(command))),
    );
    await waitFor('count off', () => source.status().extra?.responseCount === false);
    await waitFor('polls without a count', () => peer.commands.slice(-3).every((c) => c.length % 2 === 0));
    const withCount = peer.commands.filter((c) => /^01([0-9A-F]{2})+[0-9A-F]$/.test(c) && c !== '01001');
    expect(withCount.length).toBe(1);
    expect(source.status().state).toBe('live');
  });

  for (const error of ['STOPPED', '<RX ERROR', '<DATA ERROR', 'BUS BUSY', 'CAN ERROR', 'NO DATA']) {
    test(`${error} once keeps the source live`, async () => {
      const { source } = await startSource(car((command, n) => (n === 1 ? error : answerAll(command))));
      await waitFor('samples', () => source.status().samplesReceived > 20);
      expect(source.status().state).toBe('live');
      expect(source.status().extra?.reconnectAttempts).toBe(0);
    });
  }

  for (const error of ['UNABLE TO CONNECT', 'ERR94', 'LV RESET']) {
    test(`${error} reconnects`, async () => {
      const { source, gaps } = await startSource(car((command, n) => (n === 3 ? error : answerAll(command))));
      await waitFor('reconnect', () => ((source.status().extra?.reconnectAttempts as number) ?? 0) >= 1);
      await waitFor('live again', () => source.status().state === 'live');
      expect(source.status().extra?.reconnections).toBe(1);
      expect(gaps.length).toBe(1);
      expect(gaps[0]).toContain(error);
    });
  }

  test('repeated BUS ERROR re-initialises', async () => {
    const { source, gaps } = await startSource(car((command, n) => (n <= 5 ? 'BUS ERROR' : answerAll(command))));
    await waitFor('reconnect', () => ((source.status().extra?.reconnectAttempts as number) ?? 0) >= 1);
    expect(gaps[0]).toContain('5 bus errors in a row');
  });

  test('silent ECU after start-up reconnects', async () => {
    const { source, gaps } = await startSource(car((command, n) => (n <= 3 ? answerAll(command) : null)));
    await waitFor('reconnecting', () => source.status().state === 'reconnecting');
    expect(gaps[0]).toContain('no reply');
  });

  test('hung adapter fails a retry quickly', async () => {
    let isHung = false;
    const answer = car((command, n) => {
      isHung ||= n > 3;
      return isHung ? null : answerAll(command);
    });
    const { source } = await startSource((command) => (isHung && command === '0100' ? null : answer(command)));

    const isRetryTimeout = () => source.status().detail?.includes('No reply to 0100') === true;
    await waitFor('a timed-out retry', isRetryTimeout);

    expect(source.status().state).toBe('reconnecting');
    expect(source.status().detail).toContain('within 300 ms');
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, setDefaultTimeout, test } from 'bun:test';
import { StreamClient } from '../../ui/src/stream-client.ts';
import { startTickHarness, type TickHarness } from './support/tick-harness.ts';
import { makeTick } from './support/ticks.ts';
import { waitUntil } from './support/wait.ts';

// Waits give up after 10 s, before this limit, so a failure names its cause.
setDefaultTimeout(20_000);

let harness: TickHarness;
let client: StreamClient | null = null;

beforeAll(() => {
  harness = startTickHarness('/nonexistent');
});

afterEach(() => {
  client?.stop();
  client = null;
});

afterAll(async () => {
  await harness.stop();
});

/** Starts a client on the harness and waits until its socket is open. */
async function connectedClient(): Promise<StreamClient> {
  const wsUrl = harness.url.replace('http:', 'ws:') + 'ws';
  client = new StreamClient({ url: wsUrl, historyS: 10, initialBackoffMs: 50 });
  client.start();
  await waitUntil(() => client!.state === 'open', 'the client to connect');
  return client;
}

describe('StreamClient', () => {
  test('keeps the latest tick and a history', async () => {
    const stream = await connectedClient();
    for (let seq = 0; seq < 3; seq++) harness.send(makeTick(seq));
    await waitUntil(() => stream.ticksReceived === 3, 'three ticks');

    expect(stream.latest?.seq).toBe(2);
    expect(stream.history.length).toBe(3);
    expect(stream.history.column('rpm')?.[2]).toBe(850);
  });

  test('drops malformed messages and counts them', async () => {
    const stream = await connectedClient();
    harness.send('{"type":"tick","seq":"one"}');
    harness.send('][');
    harness.send(makeTick(1));
    await waitUntil(() => stream.ticksReceived === 1, 'the valid tick');

    expect(stream.malformedCount).toBe(2);
    expect(stream.lastMalformedReason).toBe('invalid JSON starting with "]["');
    expect(stream.history.length).toBe(1);
  });

  test('keeps a server error apart from ticks', async () => {
    const stream = await connectedClient();
    harness.send(JSON.stringify({ type: 'error', code: 'message.invalid', message: 'bad input' }));
    await waitUntil(() => stream.lastServerError !== null, 'the error message');

    expect(stream.lastServerError?.code).toBe('message.invalid');
    expect(stream.malformedCount).toBe(0);
    expect(stream.ticksReceived).toBe(0);
  });

  test('reconnects after the socket closes', async () => {
    const stream = await connectedClient();
    const states: string[] = [];
    stream.subscribe((change) => change === 'state' && states.push(stream.state));
    const opened = harness.connectionCount();
    harness.closeSockets();
    await waitUntil(() => stream.reconnects === 1 && stream.state === 'open', 'the reconnect');
    harness.send(makeTick(5));
    await waitUntil(() => stream.ticksReceived === 1, 'a tick on the new socket');

    expect(states).toEqual(['reconnecting', 'open']);
    expect(harness.connectionCount()).toBe(opened + 1);
  });

  test('clears the history when time goes back', async () => {
    const stream = await connectedClient();
    harness.send(makeTick(100));
    harness.send(makeTick(101));
    harness.send(makeTick(0));
    await waitUntil(() => stream.ticksReceived === 3, 'three ticks');

    expect(stream.history.length).toBe(1);
    expect(stream.history.latestTimeS()).toBe(0);
  });

  test('stop closes the socket and stays closed', async () => {
    const stream = await connectedClient();
    const opened = harness.connectionCount();
    stream.stop();
    await Bun.sleep(200);

    expect(stream.state).toBe('stopped');
    expect(harness.connectionCount()).toBe(opened);
  });

  test('backoff doubles up to its maximum', () => {
    const stream = new StreamClient({
      url: 'ws://127.0.0.1:9/ws',
      initialBackoffMs: 250,
      maxBackoffMs: 5000,
    });
    const cases: [number, number][] = [
      [0, 250],
      [1, 500],
      [3, 2000],
      [10, 5000],
      [500, 5000],
    ];
    for (const [attempt, baseMs] of cases) {
      const delayMs = stream.backoffMs(attempt);
      expect(delayMs).toBeGreaterThanOrEqual(baseMs);
      expect(delayMs).toBeLessThanOrEqual(baseMs * 1.2);
    }
  });
});

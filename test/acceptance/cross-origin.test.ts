/**
 * Without a token the monitor listens on loopback only, but any web page
 * open in a browser on the same machine can still reach 127.0.0.1. A page
 * from another origin must not be able to write samples: neither with a
 * form-style `text/plain` POST (which browsers send without a preflight)
 * nor over a WebSocket it opens itself. The dashboard's own origin keeps
 * working.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import { fetchHealth, freshFolder, manualSamples } from './executable.ts';

configureLogging({ isStderrEnabled: false });

const FOREIGN_ORIGIN = 'http://pages.example';

async function manualSamplesReceived(port: number): Promise<number> {
  return manualSamples(await fetchHealth(port));
}

/** Opens a WebSocket that claims `origin`, sends one ingest message and closes. */
async function sendOverSocket(port: number, origin: string): Promise<void> {
  // Bun's WebSocket takes headers, but the DOM typings in this project only
  // know the protocols argument.
  const options = { headers: { Origin: origin } } as unknown as string[];
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, options);
  const isOpen = await new Promise<boolean>((resolve) => {
    ws.onopen = () => resolve(true);
    ws.onerror = () => resolve(false);
    ws.onclose = () => resolve(false);
  });
  if (!isOpen) return;

  const reply = new Promise<void>((resolve) => {
    ws.onmessage = (event) => {
      if (!String(event.data).startsWith('{"type":"tick"')) resolve();
    };
    ws.onclose = () => resolve();
  });
  ws.send(JSON.stringify({ type: 'ingest', samples: [{ channel: 'fuelTempC', value: 66 }] }));
  // An accepted message gets no reply, and a rejected one gets an error or
  // a close, so the cap only matters for an accepted message.
  await Promise.race([reply, Bun.sleep(1000)]);
  ws.close();
}

/** Polls `/health` until the manual source has received `count` samples. */
async function waitForManualSamples(port: number, count: number): Promise<number> {
  let received = await manualSamplesReceived(port);
  for (let attempt = 0; attempt < 100 && received < count; attempt++) {
    await Bun.sleep(100);
    received = await manualSamplesReceived(port);
  }
  return received;
}

describe('writes from a foreign origin on loopback without a token', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    const dataDir = freshFolder('origin');
    monitor = await startMonitor(parseServeOptions(['--port', '0', '--data-dir', dataDir], {}));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('foreign text/plain POST is rejected', async () => {
    const before = await manualSamplesReceived(monitor.port);

    const response = await fetch(`http://127.0.0.1:${monitor.port}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: FOREIGN_ORIGIN },
      body: JSON.stringify({ channel: 'coolantC', value: 125 }),
    });

    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await manualSamplesReceived(monitor.port)).toBe(before);
  });

  test('foreign WebSocket ingest is not stored', async () => {
    const before = await manualSamplesReceived(monitor.port);

    await sendOverSocket(monitor.port, FOREIGN_ORIGIN);

    expect(await manualSamplesReceived(monitor.port)).toBe(before);
  });

  test('own origin still writes samples', async () => {
    const ownOrigin = `http://127.0.0.1:${monitor.port}`;
    const before = await manualSamplesReceived(monitor.port);

    const response = await fetch(`${ownOrigin}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ownOrigin },
      body: JSON.stringify({ channel: 'coolantC', value: 92 }),
    });
    await sendOverSocket(monitor.port, ownOrigin);

    expect(response.status).toBe(200);
    expect(await waitForManualSamples(monitor.port, before + 2)).toBe(before + 2);
  });
});

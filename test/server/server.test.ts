/**
 * The monitor's server started in-process on port 0 with the simulator:
 * `/health`, good and bad `/ingest` requests, the WebSocket stream and
 * manual input over the socket, and token checks when a token is set.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseServeOptions } from '../../server/cli/serve-options.ts';
import { configureLogging } from '../../server/log/logger.ts';
import { startMonitor, type RunningMonitor } from '../../server/monitor.ts';
import type { HealthResponse, TickMessage } from '../../server/protocol.ts';

configureLogging({ isStderrEnabled: false });

const TOKEN = 'test-token-0123456789';

function options(extra: string[] = []) {
  const dataDir = mkdtempSync(join(tmpdir(), '2jz-server-'));
  return parseServeOptions(['--port', '0', '--data-dir', dataDir, ...extra], {});
}

/** Collects `count` tick messages from a fresh WebSocket client. */
async function collectTicks(port: number, count: number): Promise<TickMessage[]> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const ticks: TickMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.type === 'tick') ticks.push(message);
      if (ticks.length >= count) resolve();
    };
    ws.onerror = () => reject(new Error('WebSocket error'));
  });
  ws.close();
  return ticks;
}

async function postIngest(port: number, body: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${port}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

describe('monitor on loopback without a token', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    monitor = await startMonitor(options());
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('health reports the simulator live', async () => {
    await collectTicks(monitor.port, 30);
    const response = await fetch(`http://127.0.0.1:${monitor.port}/health`);
    expect(response.status).toBe(200);
    const health = (await response.json()) as HealthResponse;
    expect(health.sources.active).toBe('sim');
    expect(health.ticks).toBeGreaterThan(20);
    expect(health.tickRateHz).toBeGreaterThan(20);
    expect(health.tickRateHz).toBeLessThan(27);
    expect(health.profile).toBe('stock-twin');
  });

  test('stream ticks carry sequence, channels and sources', async () => {
    const ticks = await collectTicks(monitor.port, 12);
    const seqs = ticks.map((t) => t.seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1] + 1);
    const last = ticks.at(-1)!;
    expect(last.channels.rpm?.value).toBeGreaterThan(0);
    expect(['ok', 'warning', 'danger']).toContain(last.channels.rpm!.state);
    expect(last.sources.active).toBe('sim');
    expect(last.timeS).toBeGreaterThan(ticks[0].timeS);
  });

  test('ingest accepts a batch with units', async () => {
    const response = await postIngest(
      monitor.port,
      JSON.stringify({ samples: [{ channel: 'stftPct', value: 5 }, { channel: 'fuelTempC', value: 77, unit: 'F' }] }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: 2 });
    const ticks = await collectTicks(monitor.port, 3);
    expect(ticks.at(-1)!.channels.stftPct?.value).toBe(5);
    expect(ticks.at(-1)!.channels.fuelTempC?.value).toBeCloseTo(25, 6);
  });

  const badBodies: [string, string, string][] = [
    ['malformed JSON', '{"channel": "rpm", ', 'body'],
    ['unknown channel', '{"channel": "warp", "value": 1}', 'body[0].channel'],
    ['string value', '{"channel": "rpm", "value": "3000"}', 'body[0].value'],
    ['impossible value', '[{"channel": "rpm", "value": 3000}, {"channel": "coolantC", "value": 900}]', 'body[1].value'],
    ['unknown unit', '{"channel": "coolantC", "value": 90, "unit": "furlong"}', 'body[0].unit'],
    ['empty batch', '{"samples": []}', 'samples'],
  ];
  for (const [name, body, field] of badBodies) {
    test(`ingest rejects ${name}`, async () => {
      const response = await postIngest(monitor.port, body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { field: string; message: string } };
      expect(error.field).toBe(field);
      expect(error.message.length).toBeGreaterThan(10);
    });
  }

  test('rejected batch stores nothing', async () => {
    const before = monitor.context.sources.manual.status().samplesReceived;
    await postIngest(monitor.port, '[{"channel": "camTargetDeg", "value": 30}, {"channel": "camTargetDeg", "value": 500}]');
    expect(monitor.context.sources.manual.status().samplesReceived).toBe(before);
    const ticks = await collectTicks(monitor.port, 2);
    expect(ticks.at(-1)!.channels.camTargetDeg).toBeUndefined();
  });

  test('websocket accepts manual values and rejects bad ones', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${monitor.port}/ws`);
    const errors: { code: string }[] = [];
    const seen = new Promise<TickMessage>((resolve) => {
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data));
        if (message.type === 'error') errors.push(message);
        if (message.type === 'tick' && message.channels.ltftPct?.value === 3) resolve(message);
      };
    });
    await new Promise((resolve) => (ws.onopen = resolve));
    ws.send('not json');
    ws.send(JSON.stringify({ type: 'ingest', samples: [{ channel: 'ltftPct', value: 3 }] }));
    const tick = await seen;
    ws.close();
    expect(tick.channels.ltftPct!.value).toBe(3);
    expect(errors.map((e) => e.code)).toContain('invalid_json');
  });

  test('websocket flood is rate-limited', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${monitor.port}/ws`);
    const errors: string[] = [];
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (message.type === 'error') errors.push(message.code);
    };
    await new Promise((resolve) => (ws.onopen = resolve));
    const before = monitor.context.sources.manual.status().samplesReceived;

    const flood = JSON.stringify({ type: 'ingest', samples: [{ channel: 'camAngleDeg', value: 5 }] });
    for (let i = 0; i < 1000; i++) ws.send(flood);
    await collectTicks(monitor.port, 3);
    ws.close();

    const accepted = monitor.context.sources.manual.status().samplesReceived - before;
    expect(errors).toContain('rate_limited');
    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted).toBeLessThan(1000);
  });

  test('unknown route returns a JSON 404', async () => {
    const response = await fetch(`http://127.0.0.1:${monitor.port}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('monitor with an access token', () => {
  let monitor: RunningMonitor;

  beforeAll(async () => {
    monitor = await startMonitor(options(['--token', TOKEN]));
  });
  afterAll(async () => {
    await monitor.stop();
  });

  test('ingest without the token is unauthorized', async () => {
    const response = await postIngest(monitor.port, '{"channel": "gear", "value": 2}');
    expect(response.status).toBe(401);
  });

  test('ingest with the token is accepted', async () => {
    const response = await postIngest(monitor.port, '{"channel": "gear", "value": 2}', {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(response.status).toBe(200);
  });

  test('health stays readable without the token', async () => {
    const response = await fetch(`http://127.0.0.1:${monitor.port}/health`);
    expect(response.status).toBe(200);
  });
});

describe('serve options', () => {
  test('non-loopback host without a token is rejected', () => {
    expect(() => parseServeOptions(['--host', '0.0.0.0'], {})).toThrow(/--token/);
  });

  test('non-loopback host with a token is accepted', () => {
    expect(parseServeOptions(['--host', '0.0.0.0', '--token', TOKEN], {}).host).toBe('0.0.0.0');
  });

  test('bad port is rejected with the option name', () => {
    expect(() => parseServeOptions(['--port', 'eighty'], {})).toThrow(/--port eighty/);
  });
});

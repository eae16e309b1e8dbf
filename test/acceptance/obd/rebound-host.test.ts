/**
 * Without a token the monitor trusts loopback callers, so it must make sure
 * a request really is addressed to loopback. A web page whose own host name
 * is made to resolve to 127.0.0.1 (DNS rebinding) sends requests whose
 * `Host` and `Origin` both name that page, so an origin check alone passes
 * them. Such a page must neither clear the car's trouble codes, which also
 * resets its readiness monitors, nor read the full VIN.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ObdCodesResponse, ObdVehicleResponse } from '../../../server/protocol.ts';
import {
  obdFolder,
  startEmulator,
  startObdMonitor,
  waitForObdRequests,
  type RunningChild,
  type RunningObdMonitor,
} from './support.ts';

const REBOUND_HOST = 'rebound.example';

interface Reply {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends a request to the monitor on 127.0.0.1 with the `Host` of a rebound
 * page; like a browser, it adds that page's `Origin` to a POST only.
 */
function sendAsReboundPage(port: number, method: string, path: string, body = ''): Promise<Reply> {
  const host = `${REBOUND_HOST}:${port}`;
  const headers: Record<string, string> = { Host: host };
  if (method === 'POST') headers.Origin = `http://${host}`;
  if (body !== '') headers['Content-Type'] = 'text/plain';
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function storedCodes(port: number): Promise<string[]> {
  const reply = await fetch(`http://127.0.0.1:${port}/obd/codes`);
  const body = (await reply.json()) as ObdCodesResponse;
  return body.codes.map((code) => code.code);
}

describe('a page on a rebound host name', () => {
  let emulator: RunningChild;
  let monitor: RunningObdMonitor;

  beforeAll(async () => {
    const folder = obdFolder('rebound');
    const link = join(folder, 'elm');
    emulator = await startEmulator(link);
    monitor = await startObdMonitor(folder, ['--source', `obd:${link}`]);
    await waitForObdRequests(monitor.port, 10);
  });

  afterAll(async () => {
    await monitor?.stop();
    await emulator?.stop();
  });

  test('cannot clear the trouble codes', async () => {
    const before = await storedCodes(monitor.port);
    const body = JSON.stringify({ confirm: 'clear-codes' });

    const reply = await sendAsReboundPage(monitor.port, 'POST', '/obd/codes/clear', body);

    expect(before.length).toBeGreaterThan(0);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(await storedCodes(monitor.port)).toEqual(before);
  });

  test('cannot read the full VIN', async () => {
    const reply = await sendAsReboundPage(monitor.port, 'GET', '/obd/vehicle?reveal=1');

    const isRefused = reply.status >= 400;
    const vin = isRefused ? null : (JSON.parse(reply.body) as ObdVehicleResponse).vin;
    expect(vin).toBeNull();
  });
});

import { afterEach, describe, expect, test } from 'bun:test';
import { createApp } from '../../../server/app.ts';
import type { AppContext } from '../../../server/app-context.ts';
import type { Source } from '../../../server/sources/source.ts';
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';
import { answerAll, car, startEmulator, startScriptedAdapter } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const TOKEN = 'test-token-7f3a';

/** Builds the real app around a live OBD source; only the parts the OBD routes use are filled in. */
async function appWithObd(token: string | null, sources?: Source[]) {
  let obdSources = sources;
  let emulator = null;
  if (obdSources === undefined) {
    const peer = await startEmulator();
    cleanups.push(() => peer.server.close());
    emulator = peer.emulator;
    const spec = `${peer.path}?baud=38400`;
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
    await source.start({ sink: () => {}, clock: { nowS: () => 0 }, onStatus: () => {}, onEvent: () => {} });
    cleanups.push(() => source.stop());
    obdSources = [source];
  }
  const context = {
    config: { token, maxBodyBytes: 4096, host: '127.0.0.1', port: 0, dataDir: '/tmp' },
    findSources: <T extends Source>(guard: (s: Source) => s is T) => obdSources!.filter(guard),
  } as unknown as AppContext;
  const app = await createApp(context, {});
  return { app, emulator };
}

// A Request built here carries no Host header unless given one, while every
// HTTP client sends it, and the app answers only requests addressed to loopback.
const LOOPBACK_HOST = { host: 'localhost' };
const get = (path: string, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, { headers: { ...LOOPBACK_HOST, ...headers } });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { ...LOOPBACK_HOST, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('OBD routes', () => {
  test('GET /obd/codes reads stored and pending codes', async () => {
    const { app } = await appWithObd(null);
    const response = await app.handle(get('/obd/codes'));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.isFresh).toBe(true);
    expect(body.codes).toEqual([
      { code: 'P0171', kind: 'stored', ecu: '7E8' },
      { code: 'P0301', kind: 'pending', ecu: '7E8' },
    ]);
  });

  test('clearing needs the configured token', async () => {
    const { app, emulator } = await appWithObd(TOKEN);
    const response = await app.handle(post('/obd/codes/clear', { confirm: 'clear-codes' }));
    expect(response.status).toBe(401);
    expect(emulator!.vehicle.storedDtcs).toEqual(['P0171']);
  });

  test('clearing needs the confirmation body', async () => {
    const { app, emulator } = await appWithObd(TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const response = await app.handle(post('/obd/codes/clear', { confirm: 'yes' }, auth));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('confirmation_required');
    expect(body.error.message).toContain('"confirm": "clear-codes"');
    expect(emulator!.vehicle.storedDtcs).toEqual(['P0171']);
  });

  test('clearing with token and confirmation clears', async () => {
    const { app, emulator } = await appWithObd(TOKEN);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const response = await app.handle(post('/obd/codes/clear', { confirm: 'clear-codes' }, auth));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.isConfirmed).toBe(true);
    expect(body.codes).toEqual([]);
    expect(emulator!.vehicle.storedDtcs).toEqual([]);
  });

  test('invalid JSON body is rejected', async () => {
    const { app } = await appWithObd(null);
    const request = new Request('http://localhost/obd/codes/clear', {
      method: 'POST',
      headers: LOOPBACK_HOST,
      body: '{confirm',
    });
    const response = await app.handle(request);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('invalid_json');
  });

  test('VIN is masked by default', async () => {
    const { app } = await appWithObd(TOKEN);
    const body = await (await app.handle(get('/obd/vehicle'))).json();
    expect(body.vin).toBeNull();
    expect(body.vinMasked).toBe('JT2**********2345');
    expect(body.protocol).toBe('ISO 15765-4 CAN (11 bit ID, 500 kbaud)');
    expect(body.ecus).toEqual(['7E8']);
  });

  test('VIN reveal needs the token', async () => {
    const { app } = await appWithObd(TOKEN);
    expect((await app.handle(get('/obd/vehicle?reveal=1'))).status).toBe(401);
    const response = await app.handle(get('/obd/vehicle?reveal=1', { 'x-access-token': TOKEN }));
    expect((await response.json()).vin).toBe('JT2JA82J5R0012345');
  });

  test('503 when the adapter does not reply', async () => {
    // The car answers polls but never the clear request.
    const peer = await startScriptedAdapter(car(answerAll));
    cleanups.push(() => peer.close());
    const spec = `${peer.path}?baud=38400&timeout=300`;
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec));
    await source.start({ sink: () => {}, clock: { nowS: () => 0 }, onStatus: () => {}, onEvent: () => {} });
    cleanups.push(() => source.stop());
    const { app } = await appWithObd(null, [source]);

    const response = await app.handle(post('/obd/codes/clear', { confirm: 'clear-codes' }));
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.error.code).toBe('adapter_unavailable');
    expect(body.error.message).toContain('No reply to 04');
  });

  test('404 without an OBD source', async () => {
    const { app } = await appWithObd(null, []);
    const response = await app.handle(get('/obd/codes'));
    expect(response.status).toBe(404);
    const body = await response.json();
    expect(body.error.code).toBe('no_obd_source');
    expect(body.error.message).toContain('--source obd:');
  });

  test('409 when clearing while not connected', async () => {
    const spec = '/nonexistent/ttyUSB9?baud=38400';
    const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec), { initialMs: 10_000, maxMs: 10_000 });
    await source.start({ sink: () => {}, clock: { nowS: () => 0 }, onStatus: () => {}, onEvent: () => {} });
    cleanups.push(() => source.stop());
    const { app } = await appWithObd(null, [source]);
    const response = await app.handle(post('/obd/codes/clear', { confirm: 'clear-codes' }));
    expect(response.status).toBe(409);
    const codes = await (await app.handle(get('/obd/codes'))).json();
    expect(codes.isFresh).toBe(false);
  });
});

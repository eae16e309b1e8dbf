import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { rmSync } from 'node:fs';
import { Elysia } from 'elysia';
import type { AppContext } from '../../server/app-context.ts';
import { errorResponse, HttpError } from '../../server/api/http-error.ts';
import { predictRoutes } from '../../server/api/predict.ts';
import { MODEL_FILE_NAMES } from '../../server/inference/model-files.ts';
import { loadStoredModelSet } from '../../server/inference/model-store.ts';
import type { InferenceService } from '../../server/inference/service.ts';
import { emptySnapshot } from '../../server/inference/health/snapshot.ts';
import { getLogger } from '../../server/log/logger.ts';
import { shippedModelFiles, startShippedService } from './shipped-models.ts';
import { join } from 'node:path';

const TOKEN = 'test-token-123';
let service: InferenceService;
let dataDir: string;
let app: Elysia;

beforeAll(async () => {
  ({ service, dataDir } = await startShippedService());
  const context = {
    config: { token: TOKEN, maxBodyBytes: 1_000_000 },
    log: getLogger('test'),
    inference: service,
  } as unknown as AppContext;
  app = new Elysia()
    .onError(({ error }) => (error instanceof HttpError ? errorResponse(error) : undefined))
    .use(predictRoutes(context)) as unknown as Elysia;
});

afterAll(async () => {
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

function call(method: string, path: string, body: unknown, token: string | null = TOKEN): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return app.handle(new Request(`http://localhost${path}`, { method, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }));
}

function encodeSet(files: Map<string, Uint8Array>): Record<string, string> {
  return Object.fromEntries([...files].map(([name, bytes]) => [name, Buffer.from(bytes).toString('base64')]));
}

function withMetadata(files: Map<string, Uint8Array>, change: (m: any) => void): Map<string, Uint8Array> {
  const metadata = JSON.parse(new TextDecoder().decode(files.get(MODEL_FILE_NAMES.metadata)));
  change(metadata);
  const copy = new Map(files);
  copy.set(MODEL_FILE_NAMES.metadata, new TextEncoder().encode(JSON.stringify(metadata)));
  return copy;
}

describe('POST /predict', () => {
  test('returns both backends and health for one sample', async () => {
    const response = await call('POST', '/predict', { sample: { rpm: 3000, throttlePct: 20, boostKpa: -30, coolantC: 88 } });
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.backends.map((b: any) => b.backend).sort()).toEqual(['onnx', 'tfjs']);
    expect(body.backends.every((b: any) => b.error === undefined)).toBe(true);
    expect(body.subsystems.airBoost).toBe(100);
    expect(Array.isArray(body.reasons)).toBe(true);
  });

  test('accepts a window of samples', async () => {
    const samples = Array.from({ length: 50 }, (_, i) => ({ timeS: i * 0.1, rpm: 2000 + i * 10, throttlePct: 10 }));
    const response = await call('POST', '/predict', { samples });
    expect(response.status).toBe(200);
    expect((await response.json()).modelVersion).toBe(service.models.metadata.version);
  });

  const invalid: [string, unknown, string][] = [
    ['unknown channel', { sample: { rpm: 3000, boost: 5 } }, 'sample.boost'],
    ['non-number value', { sample: { rpm: 'fast' } }, 'sample.rpm'],
    ['impossible value', { samples: [{ rpm: 3000 }, { rpm: -5 }] }, 'samples[1].rpm'],
    ['time going backwards', { samples: [{ timeS: 2, rpm: 900 }, { timeS: 1, rpm: 900 }] }, 'samples[1].timeS'],
    ['missing samples', { readings: [] }, 'body'],
    ['empty window', { samples: [] }, 'samples'],
  ];

  test.each(invalid)('rejects %s with 400 naming the field', async (_, body, field) => {
    const response = await call('POST', '/predict', body);
    const json = await response.json();
    expect(response.status).toBe(400);
    expect(json.error.field).toBe(field);
  });

  test('rejects invalid JSON', async () => {
    const response = await call('POST', '/predict', '{"sample": ');
    expect(response.status).toBe(400);
  });
});

describe('PATCH /update_model', () => {
  test('needs the access token', async () => {
    const response = await call('PATCH', '/update_model', { files: encodeSet(shippedModelFiles()) }, null);
    expect(response.status).toBe(401);
  });

  const rejected: [string, () => Record<string, string>, number][] = [
    ['a garbage ONNX file', () => ({ ...encodeSet(shippedModelFiles()), [MODEL_FILE_NAMES.onnx]: Buffer.from('not a model').toString('base64') }), 422],
    ['wrong reference outputs', () => encodeSet(withMetadata(shippedModelFiles(), (m) => (m.reference.outputs.tfjs[0][0] += 0.2))), 422],
    ['a wrong feature count', () => encodeSet(withMetadata(shippedModelFiles(), (m) => {
      m.featureNames = m.featureNames.slice(1);
      m.reference.inputs = m.reference.inputs.map((row: number[]) => row.slice(1));
    })), 422],
    ['a missing file', () => {
      const files = encodeSet(shippedModelFiles());
      delete files[MODEL_FILE_NAMES.tfjsWeights];
      return files;
    }, 400],
    ['text that is not base64', () => ({ ...encodeSet(shippedModelFiles()), [MODEL_FILE_NAMES.onnx]: '%%%' }), 400],
  ];

  test.each(rejected)('rejects %s and keeps the old model', async (_, files, status) => {
    const before = service.models.metadata.version;
    const response = await call('PATCH', '/update_model', { files: files() });

    expect(response.status).toBe(status);
    expect(service.models.metadata.version).toBe(before);
    const after = await call('POST', '/predict', { sample: { rpm: 3000 } });
    expect(after.status).toBe(200);
    expect((await after.json()).backends.every((b: any) => b.error === undefined)).toBe(true);
  });

  test('installs a valid set and stores it', async () => {
    const files = withMetadata(shippedModelFiles(), (m) => (m.version = 'uploaded-2'));
    const response = await call('PATCH', '/update_model', { files: encodeSet(files) });
    const body = await response.json();

    expect(response.status).toBe(200);
    expect(body.version).toBe('uploaded-2');
    expect(service.models.metadata.version).toBe('uploaded-2');
    const stored = loadStoredModelSet(join(dataDir, 'models'));
    expect(stored?.version).toBe(body.storedAs);
    const predicted = await (await call('POST', '/predict', { sample: { rpm: 3000 } })).json();
    expect(predicted.backends.every((b: any) => b.modelVersion === 'uploaded-2')).toBe(true);
  });

  test('swap under load drops no prediction', async () => {
    const files = withMetadata(shippedModelFiles(), (m) => (m.version = 'uploaded-3'));
    const predictions = Array.from({ length: 40 }, () => service.predict([{ timeS: 0, snapshot: { ...emptySnapshot(), rpm: 2500 } }]));
    const swap = service.updateModels(files);
    const more = Array.from({ length: 40 }, () => service.predict([{ timeS: 0, snapshot: { ...emptySnapshot(), rpm: 2500 } }]));
    const results = await Promise.all([...predictions, ...more]);
    await swap;

    for (const result of results) {
      expect(result.backends.map((b) => b.error ?? 'ok')).toEqual(['ok', 'ok']);
    }
    expect(service.models.metadata.version).toBe('uploaded-3');
  });
});

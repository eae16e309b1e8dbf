/**
 * @module `POST /ingest`: manual and external samples, one or a batch.
 * Invalid JSON, unknown channels, non-finite numbers and physically
 * impossible values get a 400 naming the field, and nothing is stored.
 */
import { Elysia } from 'elysia';
import type { AppContext } from '../app-context.ts';
import { requireWriteAccess } from './auth.ts';
import { HttpError } from './http-error.ts';
import { validateIngestBody } from './ingest-body.ts';

/** Parses a request body as JSON, with a 400 that quotes the parser's reason. */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(declared, maxBytes);

  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge(Buffer.byteLength(text), maxBytes);
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'invalid_json', `body is not valid JSON: ${reason}`, 'body');
  }
}

function tooLarge(bytes: number, maxBytes: number): HttpError {
  return new HttpError(
    413,
    'body_too_large',
    `body is ${bytes} bytes; the limit for this endpoint is ${maxBytes} bytes: send a smaller body`,
    'body',
  );
}

/** Largest `POST /ingest` body: 10,000 samples of about 100 bytes, with room to spare. */
export const MAX_INGEST_BODY_BYTES = 4 * 1024 * 1024;

export const ingestRoutes = (context: AppContext) =>
  new Elysia({ name: 'ingest' }).post(
    '/ingest',
    async ({ request }) => {
      requireWriteAccess(context.config.token, request);
      const body = await readJsonBody(request, MAX_INGEST_BODY_BYTES);
      const samples = validateIngestBody(body, {
        stoichAfr: context.config.profile.fuel.stoichAfr,
        baroKpa: 101.325,
      });
      const accepted = context.sources.manual.submit(samples);
      return { accepted };
    },
    { parse: 'none' },
  );

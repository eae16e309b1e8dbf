/**
 * @module OBD-II diagnostics over REST. `GET /obd/codes` returns stored
 * and pending trouble codes. `POST /obd/codes/clear` sends mode 04, which
 * also turns off the MIL and resets the readiness monitors, so it needs
 * write access and the body `{"confirm": "clear-codes"}`. `GET /obd/vehicle`
 * returns protocol, adapter, ECUs and the VIN. The VIN is masked unless the
 * request has `?reveal=1` and write access, because a VIN identifies the
 * car and its owner.
 */
import { Elysia } from 'elysia';
import type { AppContext } from '../app-context.ts';
import type { ObdClearResponse, ObdCodesResponse, ObdVehicleResponse } from '../protocol.ts';
import {
  ElmLinkClosedError,
  ElmTimeoutError,
  isObdSource,
  ObdNotConnectedError,
  type ObdSource,
} from '../sources/obd/index.ts';
import { requireWriteAccess } from './auth.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './ingest.ts';

const CLEAR_CONFIRMATION = 'clear-codes';

export const obdRoutes = (context: AppContext) =>
  new Elysia({ name: 'obd' })
    .get('/obd/codes', async ({ request }): Promise<ObdCodesResponse> => {
      const source = findObdSource(context, request);
      // A read that fails mid-way (link dropped) falls back to the last codes read.
      const lastRead = () => ({ codes: source.snapshot().codes ?? [], isFresh: false });
      const { codes, isFresh } = await source.readCodes().catch(lastRead);
      return { source: source.id, codes, isFresh };
    })
    .post(
      '/obd/codes/clear',
      async ({ request }): Promise<ObdClearResponse> => {
        requireWriteAccess(context.config.token, request);
        const body = await readJsonBody(request, context.config.maxBodyBytes);
        requireConfirmation(body);
        const source = findObdSource(context, request);
        try {
          const { isConfirmed, codes } = await source.clearCodes();
          return { source: source.id, isConfirmed, codes };
        } catch (error) {
          throw adapterError(error);
        }
      },
      { parse: 'none' },
    )
    .get('/obd/vehicle', ({ request }): ObdVehicleResponse => {
      const source = findObdSource(context, request);
      const wantsVin = new URL(request.url).searchParams.get('reveal') === '1';
      if (wantsVin) requireWriteAccess(context.config.token, request);
      return { source: source.id, ...source.vehicleInfo(wantsVin) };
    });

/** Returns the OBD source named by `?source=`, or the only one; 404 when there is none. */
function findObdSource(context: AppContext, request: Request): ObdSource {
  const sources = context.findSources(isObdSource);
  const wanted = new URL(request.url).searchParams.get('source');
  const source = wanted === null ? sources[0] : sources.find((s) => s.id === wanted);
  if (source !== undefined) return source;

  const running = sources.map((s) => s.id).join(', ') || 'none';
  throw new HttpError(
    404,
    'no_obd_source',
    wanted === null
      ? 'No OBD-II source is running; start the monitor with --source obd:/dev/ttyUSB0 ' +
          '(or the path of the adapter).'
      : `OBD-II source "${wanted}" is not running; running OBD-II sources: ${running}.`,
    'source',
  );
}

/** Maps a failed adapter exchange to an HTTP error; other errors pass through as bugs. */
function adapterError(error: unknown): unknown {
  if (error instanceof ObdNotConnectedError) return new HttpError(409, 'not_connected', error.message);
  if (error instanceof ElmTimeoutError || error instanceof ElmLinkClosedError) {
    const reason = error.message.replace(/\.$/, '');
    return new HttpError(503, 'adapter_unavailable', `${reason}; retry once the source is live.`);
  }
  return error;
}

function requireConfirmation(body: unknown): void {
  const confirm = (body as { confirm?: unknown } | null)?.confirm;
  if (confirm === CLEAR_CONFIRMATION) return;
  throw new HttpError(
    400,
    'confirmation_required',
    'Clearing trouble codes also resets the readiness monitors; ' +
      `send {"confirm": "${CLEAR_CONFIRMATION}"} to proceed (got ${JSON.stringify(confirm ?? null)}).`,
    'confirm',
  );
}

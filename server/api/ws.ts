/**
 * @module WebSocket `/ws`: one `TickMessage` per tick to every client, and
 * manual values from clients (`{"type": "ingest", "samples": [...]}`).
 * When a token is configured, a client writes only if it presented the
 * token on upgrade (`?token=` or `Authorization`) or in the message.
 */
import { Elysia } from 'elysia';
import type { AppContext } from '../app-context.ts';
import { getLogger } from '../log/logger.ts';
import type { ClientSocket } from '../outputs/fanout.ts';
import type { ErrorMessage } from '../protocol.ts';
import { isSameOrigin, presentedToken, tokensMatch } from './auth.ts';
import { HttpError } from './http-error.ts';
import { validateIngestBody } from './ingest-body.ts';

const log = getLogger('api.ws');

/** Largest client message accepted, in bytes; larger ones close the socket. */
export const MAX_CLIENT_MESSAGE_BYTES = 256 * 1024;

/** Connected clients at most; a dashboard on a phone and a laptop need a handful. */
export const MAX_CLIENTS = 100;

/**
 * Manual-input messages per second a client may send, with a burst of twice
 * that. Faster senders get `rate_limited` errors and their messages are
 * dropped, so one client cannot flood the pipeline for the others.
 */
export const MAX_MESSAGES_PER_S = 50;

interface SocketData {
  isWriter: boolean;
  /** Messages the client may still send now (token bucket). */
  allowance: number;
  lastMessageMs: number;
  /** When the client was last told it is rate-limited; at most once a second. */
  lastRateErrorMs: number;
}

/** Takes one message from the client's allowance; false when it has none left. */
function takeAllowance(socket: SocketData, nowMs: number): boolean {
  const burst = 2 * MAX_MESSAGES_PER_S;
  const refill = ((nowMs - (socket.lastMessageMs || nowMs)) / 1000) * MAX_MESSAGES_PER_S;
  socket.allowance = Math.min(burst, (socket.allowance ?? burst) + refill);
  socket.lastMessageMs = nowMs;
  if (socket.allowance < 1) return false;
  socket.allowance -= 1;
  return true;
}

export const wsRoutes = (context: AppContext) =>
  new Elysia({ name: 'ws' }).ws('/ws', {
    maxPayloadLength: MAX_CLIENT_MESSAGE_BYTES,
    idleTimeout: 120,
    open(ws) {
      const token = context.config.token;
      const request = ws.data.request as Request;
      const url = new URL(request.url);
      const presented = url.searchParams.get('token') ?? presentedToken(request);
      if (context.fanout.count() >= MAX_CLIENTS) {
        log.warn('client rejected: too many clients', { clients: context.fanout.count() });
        ws.close(1013, `the monitor serves at most ${MAX_CLIENTS} clients; try again later`);
        return;
      }
      if (!isSameOrigin(request)) {
        log.warn('client from another origin rejected', { origin: request.headers.get('origin') });
        ws.close(1008, 'connections from other origins are rejected');
        return;
      }
      const data = ws.raw.data as unknown as SocketData;
      data.isWriter = token === null || tokensMatch(token, presented);
      data.allowance = 2 * MAX_MESSAGES_PER_S;
      data.lastMessageMs = Date.now();

      context.fanout.add(ws.raw, ws.raw as unknown as ClientSocket);
      log.info('client connected', { clientId: ws.id, clients: context.fanout.count() });
      const latest = context.pipeline.latest();
      if (latest) ws.raw.send(JSON.stringify(latest));
    },
    drain(ws) {
      context.fanout.drain(ws.raw);
    },
    close(ws, code) {
      context.fanout.remove(ws.raw);
      log.info('client disconnected', { clientId: ws.id, code, clients: context.fanout.count() });
    },
    message(ws, message) {
      const data = ws.raw.data as unknown as SocketData;
      const nowMs = Date.now();
      if (!takeAllowance(data, nowMs)) {
        if (nowMs - (data.lastRateErrorMs ?? 0) < 1000) return;
        data.lastRateErrorMs = nowMs;
        const limited: ErrorMessage = {
          type: 'error',
          code: 'rate_limited',
          message: `more than ${MAX_MESSAGES_PER_S} messages per second; the message was dropped, send batches instead`,
        };
        ws.raw.send(JSON.stringify(limited));
        return;
      }
      const reply = handleClientMessage(context, data, message);
      if (reply) ws.raw.send(JSON.stringify(reply));
    },
  });

/** Applies one client message; returns an error message for the client, or null. */
function handleClientMessage(
  context: AppContext,
  socket: SocketData,
  message: unknown,
): ErrorMessage | null {
  try {
    const body = typeof message === 'string' ? parseJson(message) : message;
    if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'ingest') {
      throw new HttpError(400, 'invalid_message', 'message must be {"type": "ingest", "samples": [...]}', 'type');
    }
    const { token, samples } = body as { token?: unknown; samples?: unknown };
    const configured = context.config.token;
    const isAllowed =
      socket.isWriter || (configured !== null && typeof token === 'string' && tokensMatch(configured, token));
    if (!isAllowed) {
      throw new HttpError(401, 'unauthorized', 'manual input needs the access token in "token" or on connect');
    }
    const valid = validateIngestBody({ samples }, {
      stoichAfr: context.config.profile.fuel.stoichAfr,
      baroKpa: 101.325,
    });
    context.sources.manual.submit(valid);
    return null;
  } catch (error) {
    if (error instanceof HttpError) return { type: 'error', code: error.code, message: error.message };
    log.error('client message failed', { error });
    return { type: 'error', code: 'internal', message: 'the message could not be processed' };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HttpError(400, 'invalid_json', `message is not valid JSON: ${reason}`, 'message');
  }
}

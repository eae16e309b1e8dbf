/**
 * @module Builds the Elysia application: the route groups, the embedded
 * dashboard, and one error mapping for the whole API, so every failure
 * reaches the client as `{ "error": { code, message, field } }`.
 */
import { Elysia } from 'elysia';
import type { AppContext } from './app-context.ts';
import { errorResponse, HttpError } from './api/http-error.ts';
import { isLoopbackHost } from './api/auth.ts';
import { ROUTE_GROUPS } from './api/routes.ts';
import { isLoopback } from './cli/serve-options.ts';
import { getLogger } from './log/logger.ts';

const log = getLogger('api');

/**
 * Largest body the HTTP server reads at all. It is above every route's own
 * limit, so an oversized request reaches the route and gets a JSON 413 that
 * names the route's limit; only bodies beyond this get Bun's bare 413.
 */
const SERVER_BODY_LIMIT_BYTES = 128 * 1024 * 1024;

/** Content types of the dashboard's files, by extension. */
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
};

/**
 * Creates the application. `uiFiles` maps URL paths (such as `/app.js`) to
 * file paths, embedded in the executable or on disk.
 */
export async function createApp(
  context: AppContext,
  uiFiles: Readonly<Record<string, string>>,
): Promise<Elysia> {
  const app = new Elysia({
    serve: {
      maxRequestBodySize: SERVER_BODY_LIMIT_BYTES,
      // Elysia turns on SO_REUSEPORT by default, which lets a second monitor
      // bind the same port in silence and share its connections.
      reusePort: false,
      // Bun's development mode serves error pages with source excerpts.
      development: false,
    },
  })
    .onRequest(({ request }) => rejectForeignHost(context, request))
    .onError(({ error, code, request }) => mapError(error, code, request));

  for (const load of ROUTE_GROUPS) {
    const group = await load();
    app.use(group(context));
  }
  for (const [urlPath, filePath] of Object.entries(uiFiles)) {
    app.get(urlPath, () => serveFile(filePath));
  }
  return app as unknown as Elysia;
}

/**
 * Rejects a request to a loopback-bound monitor whose `Host` is not a
 * loopback name (see `isLoopbackHost`). A monitor bound to another address
 * has a token, which protects it instead.
 */
function rejectForeignHost(context: AppContext, request: Request): Response | undefined {
  if (!isLoopback(context.config.host) || isLoopbackHost(request)) return undefined;
  log.warn('request for a foreign host name rejected', { host: request.headers.get('host') });
  return errorResponse(
    new HttpError(
      403,
      'forbidden_host',
      `requests for host ${request.headers.get('host')} are rejected: this monitor listens on loopback; ` +
        'open it as http://127.0.0.1:PORT/ or http://localhost:PORT/',
    ),
  );
}

function serveFile(filePath: string): Response {
  const extension = filePath.slice(filePath.lastIndexOf('.') + 1);
  return new Response(Bun.file(filePath), {
    headers: {
      'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}

function mapError(error: unknown, code: string | number, request: Request): Response {
  if (error instanceof HttpError) return errorResponse(error);
  if (code === 'NOT_FOUND') {
    const path = new URL(request.url).pathname;
    return errorResponse(new HttpError(404, 'not_found', `no route for ${request.method} ${path}`));
  }
  if (code === 'PARSE') {
    return errorResponse(new HttpError(400, 'invalid_body', 'body could not be parsed; send JSON'));
  }
  log.error('request failed', { method: request.method, url: request.url, error });
  return errorResponse(new HttpError(500, 'internal', 'the request failed inside the monitor; see its log'));
}

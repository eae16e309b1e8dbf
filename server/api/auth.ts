/**
 * @module Access control of write endpoints. On loopback without a token the
 * monitor is open to local tools; once a token is configured (mandatory for
 * any other bind address) every write request must present it.
 */
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './http-error.ts';

/** Returns the token a request presents in `Authorization: Bearer` or `X-Access-Token`. */
export function presentedToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  return request.headers.get('x-access-token');
}

/** Compares two tokens in constant time. */
export function tokensMatch(expected: string, presented: string | null): boolean {
  if (presented === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when the request's `Host` names this machine's loopback interface.
 * A monitor listening on loopback trusts its callers, so it must also make
 * sure a request is addressed to loopback: a web page whose own host name
 * resolves to 127.0.0.1 (DNS rebinding) sends its own name as `Host`.
 */
export function isLoopbackHost(request: Request): boolean {
  const header = request.headers.get('host');
  if (header === null) return false;
  const hostname = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.split(':')[0];
  return hostname === 'localhost' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * True unless the request comes from a browser page of another origin.
 * Browsers send `Origin` on cross-origin requests and WebSocket upgrades;
 * tools such as curl send none. Without this check, any web page open on
 * the same machine could post samples to the monitor on 127.0.0.1.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  const host = request.headers.get('host');
  try {
    return host !== null && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Throws a 403 `HttpError` for a write from a page of another origin, and a
 * 401 unless the request presents the token. `token` is the configured
 * access token, or null when none is configured.
 */
export function requireWriteAccess(token: string | null, request: Request): void {
  if (!isSameOrigin(request)) {
    throw new HttpError(
      403,
      'forbidden_origin',
      `writes from the web page at ${request.headers.get('origin')} are rejected; ` +
        'send them from the dashboard or from a tool that sends no Origin header',
    );
  }
  if (token === null) return;
  if (tokensMatch(token, presentedToken(request))) return;
  throw new HttpError(
    401,
    'unauthorized',
    'This endpoint writes and needs the access token: send "Authorization: Bearer <token>" ' +
      '(the token given with --token or in the 2JZ_MONITOR_TOKEN environment variable).',
  );
}

/**
 * @module Typed HTTP errors: every API failure carries a status, a stable
 * code, a message that names the value and the fix, and the field at fault.
 */
import type { ApiError } from '../protocol.ts';

export class HttpError extends Error {
  override name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** Returns the JSON body sent to the client. */
  toBody(): ApiError {
    return { error: { code: this.code, message: this.message, field: this.field } };
  }
}

/** Builds a JSON response for an `HttpError`. */
export function errorResponse(error: HttpError): Response {
  return Response.json(error.toBody(), { status: error.status });
}

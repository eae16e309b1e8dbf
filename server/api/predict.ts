/**
 * @module `POST /predict` runs both model backends on one sample or a
 * window of samples and returns their outputs, health and reasons. Each
 * request starts a fresh residual monitor, so only a window that covers the
 * evidence (such as a whole full-throttle pull) can raise a warning.
 * `PATCH /update_model` replaces the model set: a JSON body
 * `{ "files": { "health.onnx": "<base64>", "model.json": ..., "weights.bin": ..., "metadata.json": ... } }`,
 * write access required; the set is validated on both backends (format,
 * shapes, reference outputs) and stored atomically before it is used.
 */
import { Elysia } from 'elysia';
import type { AppContext } from '../app-context.ts';
import { ModelValidationError } from '../inference/model-files.ts';
import { MAX_MODEL_BYTES, parseModelUpload, parsePredictBody, RequestFieldError } from '../inference/predict-request.ts';
import type { InferenceService } from '../inference/service.ts';
import { requireWriteAccess } from './auth.ts';
import { HttpError } from './http-error.ts';
import { readJsonBody } from './ingest.ts';

/** Base64 grows data by 4/3; the rest of the upload body is small. */
const MAX_UPLOAD_BODY_BYTES = Math.ceil((MAX_MODEL_BYTES * 4) / 3) + 4096;

function requireInference(context: AppContext): InferenceService {
  if (context.inference === undefined) {
    throw new HttpError(503, 'inference_unavailable', 'the model backends are not running in this monitor; see its start-up log');
  }
  return context.inference;
}

function toHttpError(error: unknown): never {
  if (error instanceof RequestFieldError) throw new HttpError(400, 'invalid_field', error.message, error.field);
  if (error instanceof ModelValidationError) throw new HttpError(422, 'invalid_model', error.message, error.fileName);
  throw error;
}

export const predictRoutes = (context: AppContext) =>
  new Elysia({ name: 'predict' })
    .post(
      '/predict',
      async ({ request }) => {
        const inference = requireInference(context);
        const body = await readJsonBody(request, context.config.maxBodyBytes);
        try {
          return await inference.predict(parsePredictBody(body));
        } catch (error) {
          return toHttpError(error);
        }
      },
      { parse: 'none' },
    )
    .patch(
      '/update_model',
      async ({ request }) => {
        requireWriteAccess(context.config.token, request);
        const inference = requireInference(context);
        const body = await readJsonBody(request, MAX_UPLOAD_BODY_BYTES);
        try {
          const result = await inference.updateModels(parseModelUpload(body));
          context.log.info('model set replaced', result);
          return result;
        } catch (error) {
          context.log.warn('model update rejected', { error: (error as Error).message });
          return toHttpError(error);
        }
      },
      { parse: 'none' },
    );

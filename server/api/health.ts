/**
 * @module `GET /health`: sources and their states, measured tick rate,
 * connected clients, processing time and version.
 */
import { Elysia } from 'elysia';
import type { AppContext } from '../app-context.ts';
import type { HealthResponse } from '../protocol.ts';

/** Builds the body of `GET /health`. */
export function healthBody(context: AppContext): HealthResponse {
  const { pipeline, scheduler, sources, fanout, config } = context;
  sources.refresh();
  const section = sources.section();
  const extra: Record<string, unknown> = {};
  for (const [name, read] of context.healthSections) extra[name] = read();

  return {
    // Degraded whenever the preferred source is not the one feeding the
    // pipeline: a fallback (simulator or manual input) is standing in.
    status: section.active !== null && section.active === sources.all()[0]?.id ? 'ok' : 'degraded',
    version: context.version,
    uptimeS: (Date.now() - context.startedAtMs) / 1000,
    tickRateHz: round(scheduler.stats().measuredHz, 3),
    ticks: pipeline.tickCount(),
    clients: fanout.count(),
    profile: config.profile.id,
    sources: section,
    ...(Object.keys(extra).length > 0 ? { inference: extra } : {}),
    ...(pipeline.latest()?.bus ? { bus: pipeline.latest()!.bus } : {}),
    processingMs: pipeline.processing.percentiles(),
    droppedSamples: pipeline.dropped(),
    skippedTicks: scheduler.stats().skipped,
  } as HealthResponse;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export const healthRoutes = (context: AppContext) =>
  new Elysia({ name: 'health' }).get('/health', () => healthBody(context));

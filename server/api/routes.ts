/**
 * @module The list of route groups the server mounts. Each group is an
 * Elysia plugin built from the application context, thin by design: it
 * validates, calls into sources, pipeline or inference, and maps errors.
 */
import type { AnyElysia } from 'elysia';
import type { AppContext } from '../app-context.ts';

export type RouteGroup = (context: AppContext) => AnyElysia;

export const ROUTE_GROUPS: readonly (() => Promise<RouteGroup>)[] = [
  async () => (await import('./health.ts')).healthRoutes,
  async () => (await import('./ingest.ts')).ingestRoutes,
  async () => (await import('./ws.ts')).wsRoutes,
  async () => (await import('./obd.ts')).obdRoutes,
  async () => (await import('./predict.ts')).predictRoutes,
];

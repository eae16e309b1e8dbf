/**
 * @module What the API routes and commands get from a running monitor:
 * configuration, pipeline, source manager, inference and logging. Routes
 * stay thin by calling into these parts.
 */
import type { EngineProfile } from './domain/profile-types.ts';
import type { Logger } from './log/logger.ts';
import type { InferenceService } from './inference/service.ts';
import type { TickFanout } from './outputs/fanout.ts';
import type { TickScheduler } from './pipeline/clock.ts';
import type { Pipeline } from './pipeline/pipeline.ts';
import type { SourceManager } from './sources/manager.ts';
import type { Source } from './sources/source.ts';

/** Settings of a running monitor, from the command line. */
export interface MonitorConfig {
  readonly host: string;
  readonly port: number;
  /** Access token for write endpoints; required when not on loopback. */
  readonly token: string | null;
  readonly dataDir: string;
  readonly profile: EngineProfile;
  /** Largest accepted request body, in bytes. */
  readonly maxBodyBytes: number;
}

export interface AppContext {
  readonly version: string;
  readonly startedAtMs: number;
  readonly config: MonitorConfig;
  readonly pipeline: Pipeline;
  readonly scheduler: TickScheduler;
  readonly sources: SourceManager;
  readonly fanout: TickFanout;
  readonly log: Logger;
  /**
   * Named sections that parts such as inference add to `GET /health`;
   * each function returns the section's current figures.
   */
  readonly healthSections: Map<string, () => Readonly<Record<string, unknown>>>;
  /** Both model backends, the health stage and model updates; absent when inference did not start. */
  readonly inference?: InferenceService;
  /** Returns the running sources that match a type guard, such as OBD-II. */
  findSources<T extends Source>(guard: (s: Source) => s is T): T[];
}

/**
 * @module Assembles a running monitor from serve options: sources in
 * fallback order, the DSP core, the pipeline and its clock, the server,
 * and the optional JSON-lines output. `serve` and the tests both use it.
 */
import { mkdirSync } from 'node:fs';
import type { AppContext } from './app-context.ts';
import { createApp } from './app.ts';
import { CORE_WASM, UI_FILES } from './assets.ts';
import { UsageError, type ServeOptions } from './cli/serve-options.ts';
import { loadProfile } from './config/load-profile.ts';
import { loadDspCore } from './core/dsp.ts';
import { getLogger } from './log/logger.ts';
import { TickFanout } from './outputs/fanout.ts';
import { JsonlWriter } from './outputs/jsonl.ts';
import { RealtimeScheduler, VirtualScheduler, type TickScheduler } from './pipeline/clock.ts';
import { DspSignalProcessor } from './pipeline/dsp-signal-processor.ts';
import { Pipeline } from './pipeline/pipeline.ts';
import { TICK_HZ } from './protocol.ts';
import { SourceManager } from './sources/manager.ts';
import { SOURCE_SCHEMES } from './sources/registry.ts';
import { SourceConfigError, type Source, type SourceOptions } from './sources/source.ts';
import { startInference } from './stages.ts';

const log = getLogger('monitor');

export const VERSION = '0.1.0';

/**
 * Largest JSON request body of the REST API, in bytes: room for a model
 * upload in base64 or a long prediction window. `POST /ingest` has a lower
 * limit of its own.
 */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/** Skipped ticks (half a second) from which a stall of the process is a gap in the stream. */
const STALL_EVENT_TICKS = 12;

export interface RunningMonitor {
  readonly context: AppContext;
  /** Port the server listens on (useful with `--port 0`). */
  readonly port: number;
  /** Resolves when the pipeline stops: a maximum-speed replay has ended, or `stop` ran. */
  readonly finished: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the sources named by one option (`--source` or `--fallback`);
 * `option` names it in errors.
 */
export async function createSources(
  specs: readonly string[],
  options: SourceOptions,
  option = '--source',
): Promise<Source[]> {
  const sources: Source[] = [];
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    const scheme = colon < 0 ? spec : spec.slice(0, colon);
    const rest = colon < 0 ? '' : spec.slice(colon + 1);
    const load = SOURCE_SCHEMES[scheme];
    if (!load) {
      throw new UsageError(
        `${option} ${spec}: unknown source type "${scheme}"; use one of ${Object.keys(SOURCE_SCHEMES).join(', ')}`,
      );
    }
    const factory = await load();
    sources.push(factory(rest, options));
  }
  return sources;
}

/** Opens the JSON-lines output, with an error naming `--jsonl` and the path. */
function openJsonl(path: string | null, onBroken: (error: Error) => void): JsonlWriter | null {
  if (path === null) return null;
  try {
    return new JsonlWriter(path, onBroken);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'EISDIR'
      ? 'is a folder; give a file path'
      : `cannot be opened for writing (${(error as Error).message}); check that its folder exists`;
    throw new UsageError(`--jsonl ${path} ${reason}`);
  }
}

/** Starts listening, with an error naming the port when it is taken. */
function listen(app: Awaited<ReturnType<typeof createApp>>, host: string, port: number): number {
  try {
    app.listen({ hostname: host, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE'
      ? 'is already in use, perhaps by another monitor; stop it or choose another --port'
      : `cannot be opened (${(error as Error).message})`;
    throw new UsageError(`port ${port} on ${host} ${reason}`);
  }
  return app.server!.port!;
}

/**
 * Throws when a replay failed to start: its file is unreadable, so falling
 * back to another source would hide the error the user needs to see.
 */
function requireReplaysStarted(sources: SourceManager): void {
  const failed = sources.section().sources.find((s) => s.kind === 'replay' && s.state === 'failed');
  if (failed) throw new SourceConfigError(`${failed.id} failed: ${failed.detail ?? 'no reason given'}`);
}

/** Starts a monitor; resolves once the server listens and the clock runs. */
export async function startMonitor(options: ServeOptions): Promise<RunningMonitor> {
  mkdirSync(options.dataDir, { recursive: true });
  const profile = await loadProfile(options.profile);
  const sourceOptions: SourceOptions = {
    flags: { ...options.flags, profile: profile.id },
    dataDir: options.dataDir,
    profile,
  };
  const sources = new SourceManager([
    ...(await createSources(options.sources, sourceOptions, '--source')),
    ...(await createSources(options.fallback, sourceOptions, '--fallback')),
  ]);
  // A reader that goes away (`--jsonl - | head`) ends the run, as a pipe
  // does for other command-line tools.
  let stopOnBrokenOutput = (): void => {};
  const jsonl = openJsonl(options.jsonl, (error) => {
    log.warn('jsonl output closed by its reader; stopping', { path: options.jsonl, error });
    stopOnBrokenOutput();
  });

  const core = await loadDspCore(await Bun.file(CORE_WASM).arrayBuffer());
  const processor = new DspSignalProcessor(core, profile);
  const pipeline = new Pipeline({ processor, sources });
  const periodS = 1 / TICK_HZ;
  const scheduler: TickScheduler = sources.wantsVirtualClock()
    ? new VirtualScheduler(periodS)
    : new RealtimeScheduler(periodS, sources.playbackSpeed());

  const fanout = new TickFanout();
  const inference = await startInference(profile, options.dataDir);
  const context: AppContext = {
    version: VERSION,
    startedAtMs: Date.now(),
    config: {
      host: options.host,
      port: options.port,
      token: options.token,
      dataDir: options.dataDir,
      profile,
      maxBodyBytes: MAX_JSON_BODY_BYTES,
    },
    pipeline,
    scheduler,
    sources,
    fanout,
    log,
    healthSections: new Map(),
    inference,
    findSources: <T extends Source>(guard: (s: Source) => s is T) =>
      sources.all().filter(guard),
  };
  if (inference) {
    pipeline.addStage(inference.createStage());
    context.healthSections.set('models', () => inference.summary());
  }

  await sources.start(scheduler.clock, pipeline.ingest, pipeline.addEvent, pipeline.onSourceSwitch);
  try {
    requireReplaysStarted(sources);
  } catch (error) {
    await sources.stop();
    jsonl?.close();
    throw error;
  }

  const app = await createApp(context, UI_FILES);
  const port = listen(app, options.host, options.port);
  log.info('monitor started', { host: options.host, port, profile: profile.id, sources: options.sources });

  scheduler.onSkip?.((skipped, atS) => {
    if (skipped < STALL_EVENT_TICKS) return;
    const text = `the tick clock stalled for ${(skipped / TICK_HZ).toFixed(2)} s; ${skipped} ticks skipped`;
    log.warn('tick clock stalled', { skippedTicks: skipped });
    pipeline.addEvent('gap', text, atS);
  });
  pipeline.subscribe((tick) => fanout.publish(tick));
  if (jsonl) pipeline.subscribe(jsonl.write);
  stopOnBrokenOutput = () => scheduler.stop();
  const finished = scheduler.start(async (timeS) => (await pipeline.tick(timeS)) !== null);

  let isStopped = false;
  const stop = async () => {
    if (isStopped) return;
    isStopped = true;
    scheduler.stop();
    await sources.stop();
    const result = jsonl?.close();
    if (result && result.dropped > 0) log.warn('jsonl lines dropped', result);
    await app.stop(true);
    await inference?.dispose();
    log.info('monitor stopped', { ticks: pipeline.tickCount() });
  };

  return { context, port, finished, stop };
}

/**
 * @module The simulator source, the monitor's default: a 2JZ-GTE mean-value
 * model driven through a scenario, sampled per channel at the rates of a
 * typical ECU broadcast. It is pull-based: `advanceTo` steps the model up to
 * the session time, so the drive follows the pipeline's clock, real or
 * virtual. The same seed and value produce the same samples.
 */
import type { EngineProfile } from '../../domain/profile-types.ts';
import type { Sample } from '../../domain/sample.ts';
import {
  EngineModel,
  SIM_CHANNELS,
  SIM_CHANNEL_RATES_HZ,
  SimulationConfigError,
  resolveScenario,
  type FaultSpec,
} from '../../engine/index.ts';
import { bundledProfile, DEFAULT_PROFILE_ID } from '../../profiles/index.ts';
import type { SourceState, SourceStatus } from '../../protocol.ts';
import {
  SourceConfigError,
  type Source,
  type SourceContext,
  type SourceFactory,
  type SourceOptions,
} from '../source.ts';
import { parseSimSpec, type SimSpec } from './spec.ts';

export { parseSimSpec, type SimSpec } from './spec.ts';

/** Model step in seconds: 50 Hz, the rate of the fastest simulated channel. */
const STEP_S = 0.02;

/**
 * Maximum stretch of session time, in seconds, that one `advanceTo` call
 * simulates. A longer gap means the source was not active (another source
 * fed the pipeline), so the drive resumes where it paused instead of
 * simulating and flooding the pipeline with the whole gap.
 */
const MAX_CATCH_UP_S = 2;

/** A simulated engine and car that delivers samples as the session clock advances. */
export class SimSource implements Source {
  readonly id: string;
  readonly kind = 'simulation' as const;
  private readonly model: EngineModel;
  private readonly nextSampleS: Float64Array;
  private readonly reading = new Float64Array(SIM_CHANNELS.length);
  private context: SourceContext | null = null;
  private state: SourceState = 'stopped';
  private startS = 0;
  private samplesReceived = 0;
  private announcedFaults = 0;
  private readonly faultsByOnset: readonly FaultSpec[];

  constructor(
    readonly spec: SimSpec,
    readonly profile: EngineProfile,
    id = 'sim',
  ) {
    this.id = id;
    try {
      this.model = new EngineModel({
        seed: spec.seed,
        profile,
        scenario: resolveScenario(spec.scenarioId),
        faults: spec.faults,
      });
    } catch (error) {
      if (error instanceof SimulationConfigError) throw new SourceConfigError(error.message);
      throw error;
    }
    this.nextSampleS = new Float64Array(SIM_CHANNELS.length);
    this.faultsByOnset = [...spec.faults].sort((a, b) => a.onsetS - b.onsetS);
  }

  /** Starts the drive at the current session time. */
  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.startS = context.clock.nowS();
    this.setState('live');
  }

  /** Stops delivering samples; safe to call twice. */
  async stop(): Promise<void> {
    if (this.state !== 'ended') this.setState('stopped');
    this.context = null;
  }

  /**
   * Steps the model up to `timeS` on the session clock and delivers every
   * sample that falls due on the way. Skips gaps over 2 s as a pause.
   * Returns false once a drive with a duration has ended.
   */
  advanceTo(timeS: number): boolean {
    const context = this.context;
    if (context === null || this.state !== 'live') return this.state !== 'ended';

    const gapS = timeS - this.startS - this.model.state.timeS;
    if (gapS > MAX_CATCH_UP_S) this.startS += gapS - MAX_CATCH_UP_S;

    const limitS = this.spec.durationS ?? Infinity;
    const targetS = Math.min(timeS - this.startS, limitS);
    const batch: Sample[] = [];
    while (this.model.state.timeS + STEP_S <= targetS + 1e-9) {
      this.model.step(STEP_S);
      this.collectDueSamples(batch);
    }
    this.announceFaults(context);
    if (batch.length > 0) {
      this.samplesReceived += batch.length;
      context.sink(batch);
    }

    if (this.model.state.timeS + STEP_S > limitS + 1e-9) {
      this.setState('ended');
      context.onEvent('log-end', `simulated drive ended after ${limitS} s`);
      return false;
    }
    return true;
  }

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      samplesReceived: this.samplesReceived,
      extra: {
        scenario: this.spec.scenarioId,
        profile: this.profile.id,
        seed: this.spec.seed,
        simulatedS: Math.round(this.model.state.timeS * 100) / 100,
        faults: this.spec.faults.map((f) => `${f.kind}@${f.onsetS}:${f.severity}`),
        activeFault: this.model.activeFault(),
      },
    };
  }

  /** Reads the sensors once and keeps the channels whose sample time has come. */
  private collectDueSamples(batch: Sample[]): void {
    const simS = this.model.state.timeS;
    this.model.readSensors(this.reading);
    const timeS = this.startS + simS;
    for (let c = 0; c < SIM_CHANNELS.length; c++) {
      if (simS + 1e-9 < this.nextSampleS[c]) continue;
      this.nextSampleS[c] += 1 / SIM_CHANNEL_RATES_HZ[c];
      batch.push({ channel: SIM_CHANNELS[c], value: this.reading[c], timeS });
    }
  }

  private announceFaults(context: SourceContext): void {
    const simS = this.model.state.timeS;
    const faults = this.faultsByOnset;
    while (this.announcedFaults < faults.length) {
      const next = faults[this.announcedFaults];
      if (next.onsetS > simS) break;
      const text = `simulator injected ${next.kind} at severity ${next.severity}`;
      context.onEvent('source-state', text);
      this.announcedFaults += 1;
    }
  }

  private setState(state: SourceState): void {
    this.state = state;
    this.context?.onStatus(this.status());
  }
}

/**
 * Builds a simulator source that runs `profile`, from the part of a
 * `--source` value after `sim:`. Throws a `SourceConfigError` when the
 * value is invalid or names a different profile.
 */
export function createSimSourceWithProfile(
  spec: string,
  _options: SourceOptions,
  profile: EngineProfile,
): SimSource {
  const parsed = parseSimSpec(spec);
  if (parsed.profileId !== null && parsed.profileId !== profile.id) {
    throw new SourceConfigError(
      `Sim profile "${parsed.profileId}" conflicts with the selected profile "${profile.id}": ` +
        'leave profile= out of the sim value or select that profile.',
    );
  }
  return new SimSource(parsed, profile, sourceId(spec));
}

/**
 * Builds a simulator source from the part of a `--source` value after
 * `sim:`. It runs the bundled profile named by `profile=`, else the
 * monitor's loaded profile (`options.profile`, which may come from a file),
 * else the bundled profile named by the `--profile` flag, else stock-twin.
 */
export const createSimSource: SourceFactory = (spec, options) => {
  const parsed = parseSimSpec(spec);
  if (parsed.profileId === null && options.profile) {
    return new SimSource(parsed, options.profile, sourceId(spec));
  }

  const flag = options.flags.profile;
  const id = parsed.profileId ?? (typeof flag === 'string' ? flag : DEFAULT_PROFILE_ID);
  const profile = bundledProfile(id);
  if (profile === null) {
    throw new SourceConfigError(
      `Unknown engine profile "${id}" for the simulator: use stock-twin or big-single, ` +
        'or pass a loaded profile to createSimSourceWithProfile.',
    );
  }
  return new SimSource(parsed, profile, sourceId(spec));
};

function sourceId(spec: string): string {
  return spec === '' ? 'sim' : `sim:${spec}`;
}

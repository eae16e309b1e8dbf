/**
 * @module Chooses which PIDs go into each mode 01 request. Fast PIDs (rpm,
 * MAP, throttle, lambda) are due every round, medium and slow ones at
 * their period. The most overdue go first (earliest deadline first), and
 * slower PIDs never take every slot of a multi-PID request. Also tracks
 * the achieved rate of each PID.
 */
import type { PidSpec, PollClass } from './pids.ts';
import { pidHex } from './pids.ts';

/** Settings of the scheduler. */
export interface SchedulerOptions {
  /** PIDs per request: up to 6 on CAN, 1 on K-line and J1850. */
  readonly maxPidsPerRequest: number;
  /** Target period of each poll class, in seconds. */
  readonly periodS: Readonly<Record<PollClass, number>>;
  /** Consecutive misses (NO DATA) after which a PID is only retried every `retryAfterMissS`. */
  readonly maxMisses: number;
  readonly retryAfterMissS: number;
  /** Window over which achieved rates are measured, in seconds. */
  readonly rateWindowS: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  maxPidsPerRequest: 6,
  periodS: { fast: 0, medium: 0.5, slow: 2 },
  maxMisses: 5,
  retryAfterMissS: 30,
  rateWindowS: 5,
};

/** When fast PIDs fill every request, one request in this many carries a slower PID. */
const SLOWER_EVERY = 3;

interface PidState {
  readonly spec: PidSpec;
  dueS: number;
  lastPolledS: number;
  lastResponseS: number;
  misses: number;
  readonly responseTimesS: number[];
}

/** Plans mode 01 requests over a fixed set of PIDs. */
export class PollScheduler {
  private readonly states: PidState[];
  private maxPids: number;
  private startedS: number | null = null;
  private requestsSinceSlower = Number.POSITIVE_INFINITY;

  constructor(
    pids: readonly PidSpec[],
    private readonly options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
  ) {
    this.states = pids.map((spec) => ({
      spec,
      dueS: Number.NEGATIVE_INFINITY,
      lastPolledS: Number.NEGATIVE_INFINITY,
      lastResponseS: Number.NEGATIVE_INFINITY,
      misses: 0,
      responseTimesS: [],
    }));
    this.maxPids = Math.max(1, Math.min(6, options.maxPidsPerRequest));
  }

  /** Current PIDs per request; lowered by `reduceLoad`. */
  get maxPidsPerRequest(): number {
    return this.maxPids;
  }

  /** Returns the PIDs of the next request (empty when nothing is due) and marks them polled. */
  next(nowS: number): PidSpec[] {
    this.startedS ??= nowS;
    const due = this.states
      .filter((state) => state.dueS <= nowS)
      .sort((a, b) => a.dueS - b.dueS || a.lastPolledS - b.lastPolledS || a.spec.pid - b.spec.pid);
    const isActiveFast = (s: PidState) => s.spec.poll === 'fast' && s.misses < this.options.maxMisses;
    const fastCount = this.states.filter(isActiveFast).length;
    const slowerSlots = this.slowerSlots(fastCount);

    const chosen: PidState[] = [];
    let slowerChosen = 0;
    for (const state of due) {
      if (chosen.length === this.maxPids) break;
      const isFast = state.spec.poll === 'fast';
      if (!isFast && slowerChosen === slowerSlots) continue;
      chosen.push(state);
      if (!isFast) slowerChosen++;
    }

    this.requestsSinceSlower = slowerChosen > 0 ? 0 : this.requestsSinceSlower + 1;
    for (const state of chosen) {
      state.lastPolledS = nowS;
      state.dueS = nowS + this.periodOf(state);
    }
    return chosen.map((state) => state.spec);
  }

  /**
   * Records that an ECU responded to `pid` at `nowS`. An answered retry of
   * a PID that was polled rarely after misses returns it to its normal
   * rate at once, instead of after another retry interval.
   */
  recordResponse(pid: number, nowS: number): void {
    const state = this.stateOf(pid);
    if (state === undefined) return;
    state.misses = 0;
    state.lastResponseS = nowS;
    state.dueS = Math.min(state.dueS, state.lastPolledS + this.periodOf(state));
    state.responseTimesS.push(nowS);
    this.trim(state, nowS);
  }

  /** Records that a request for `pid` got no value; after `maxMisses` it is retried rarely. */
  recordMiss(pid: number, nowS: number): void {
    const state = this.stateOf(pid);
    if (state === undefined) return;
    state.misses++;
    if (state.misses >= this.options.maxMisses) state.dueS = nowS + this.options.retryAfterMissS;
  }

  /**
   * Returns the fast PIDs that got no response for at least `afterS`
   * seconds, counting from the first request for a PID never answered.
   */
  silentFastPids(nowS: number, afterS: number): PidSpec[] {
    const startedS = this.startedS ?? nowS;
    return this.states
      .filter((state) => state.spec.poll === 'fast')
      .filter((state) => nowS - Math.max(state.lastResponseS, startedS) >= afterS)
      .map((state) => state.spec);
  }

  /** Halves the PIDs per request after a BUFFER FULL; returns the new limit. */
  reduceLoad(): number {
    this.maxPids = Math.max(1, this.maxPids >> 1);
    return this.maxPids;
  }

  /** Returns the achieved responses per second of each PID over the rate window, keyed `0C` and so on. */
  ratesHz(nowS: number): Record<string, number> {
    const rates: Record<string, number> = {};
    const elapsedS = Math.min(this.options.rateWindowS, nowS - (this.startedS ?? nowS));
    for (const state of this.states) {
      this.trim(state, nowS);
      const count = state.responseTimesS.length;
      rates[pidHex(state.spec.pid)] = elapsedS > 0 ? round2(count / elapsedS) : 0;
    }
    return rates;
  }

  /**
   * Returns how many medium and slow PIDs the next request may carry: the
   * slots the fast PIDs leave free, at least one. When the fast PIDs fill
   * whole requests (one PID per request on K-line), a slower PID rides
   * along only every `SLOWER_EVERY` requests, so an overloaded link still
   * gives most of its requests to the fast channels.
   */
  private slowerSlots(fastCount: number): number {
    if (this.maxPids > fastCount) return this.maxPids - fastCount;
    return this.requestsSinceSlower + 1 >= SLOWER_EVERY ? 1 : 0;
  }

  private periodOf(state: PidState): number {
    if (state.misses >= this.options.maxMisses) return this.options.retryAfterMissS;
    return this.options.periodS[state.spec.poll];
  }

  private stateOf(pid: number): PidState | undefined {
    return this.states.find((state) => state.spec.pid === pid);
  }

  private trim(state: PidState, nowS: number): void {
    const oldest = nowS - this.options.rateWindowS;
    const times = state.responseTimesS;
    while (times.length > 0 && times[0] < oldest) times.shift();
  }
}

/**
 * Returns how many CAN frames one ECU needs for its reply to a mode 01 request
 * for `pids`: a single frame carries 7 bytes after its PCI byte, a first
 * frame 6, each consecutive frame 7. Used as the response-count digit.
 */
export function expectedCanFrames(pids: readonly PidSpec[]): number {
  const payload = 1 + pids.reduce((sum, spec) => sum + 1 + spec.bytes, 0);
  if (payload <= 7) return 1;
  return 1 + Math.ceil((payload - 6) / 7);
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

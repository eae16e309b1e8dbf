/**
 * @module The pipeline's clocks and tick schedulers. A real-time scheduler
 * runs the tick on a fixed grid of 1 / 23.5999 s from a drift-compensated
 * timer: each deadline is computed from the start time and the tick count,
 * never from the previous tick, so lateness does not accumulate. A virtual
 * scheduler steps the same grid as fast as possible, for replays at maximum
 * speed, and yields to the event loop now and then so sockets keep flowing.
 */
import type { Clock } from '../sources/source.ts';

/**
 * Session clock on the process's monotonic timer, from 0 at creation. With
 * a `timeScale` of 4 it runs four times faster than the wall, which is how
 * a replay at `speed=4` keeps every rate per second of engine time.
 */
export class MonotonicClock implements Clock {
  private readonly originMs = performance.now();

  constructor(readonly timeScale = 1) {}

  nowS(): number {
    return this.wallS() * this.timeScale;
  }

  /** Wall seconds since creation, unscaled. */
  wallS(): number {
    return (performance.now() - this.originMs) / 1000;
  }
}

/** Session clock that only moves when the virtual scheduler sets it. */
export class VirtualClock implements Clock {
  timeS = 0;

  nowS(): number {
    return this.timeS;
  }
}

/** One tick's work; resolves when the tick is complete. */
export type TickCallback = (timeS: number) => Promise<boolean | void>;

/** Timing figures of a scheduler, for `/health` and the benchmark. */
export interface SchedulerStats {
  readonly ticks: number;
  /** Deadlines skipped because a tick overran by more than one period. */
  readonly skipped: number;
  /** Ticks per second over the last few seconds of session time. */
  readonly measuredHz: number;
}

export interface TickScheduler {
  readonly clock: Clock;
  /** Starts ticking; the callback returning false stops the scheduler. */
  start(onTick: TickCallback): Promise<void>;
  stop(): void;
  stats(): SchedulerStats;
  /** Registers a listener for the lateness of each tick, in milliseconds. */
  onLateness?(listener: (latenessMs: number) => void): void;
  /** Registers a listener for deadlines skipped after a stall of the process. */
  onSkip?(listener: (skippedTicks: number, atS: number) => void): void;
}

const RATE_WINDOW = 64;

/** Keeps the times of recent ticks to report the achieved tick rate. */
class RateMeter {
  private readonly times: number[] = [];

  record(timeS: number): void {
    this.times.push(timeS);
    if (this.times.length > RATE_WINDOW) this.times.shift();
  }

  hz(): number {
    const n = this.times.length;
    if (n < 2) return 0;
    return (n - 1) / (this.times[n - 1] - this.times[0]);
  }
}

/**
 * Runs ticks in real time on a drift-compensated grid of wall time. The
 * session time passed to each tick is the wall deadline times `timeScale`.
 */
export class RealtimeScheduler implements TickScheduler {
  readonly clock: MonotonicClock;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private isRunning = false;
  private ticks = 0;
  private skipped = 0;
  private readonly meter = new RateMeter();
  private latenessListener: ((ms: number) => void) | null = null;
  private skipListener: ((skippedTicks: number, atS: number) => void) | null = null;

  constructor(
    private readonly periodS: number,
    timeScale = 1,
  ) {
    this.clock = new MonotonicClock(timeScale);
  }

  start(onTick: TickCallback): Promise<void> {
    this.isRunning = true;
    return new Promise((resolve) => {
      let index = 0;

      const run = async () => {
        if (!this.isRunning) return resolve();
        const deadlineS = index * this.periodS;
        this.latenessListener?.((this.clock.wallS() - deadlineS) * 1000);

        const keepGoing = await onTick(deadlineS * this.clock.timeScale);
        this.ticks += 1;
        this.meter.record(this.clock.wallS());
        if (keepGoing === false) {
          this.isRunning = false;
          return resolve();
        }

        index = this.nextIndex(index);
        const delayMs = (index * this.periodS - this.clock.wallS()) * 1000;
        this.timer = setTimeout(run, Math.max(0, delayMs));
      };
      this.timer = setTimeout(run, 0);
    });
  }

  /** Moves to the next deadline, skipping those already more than a period past. */
  private nextIndex(index: number): number {
    const behind = Math.floor(this.clock.wallS() / this.periodS) - index;
    if (behind > 1) {
      this.skipped += behind - 1;
      this.skipListener?.(behind - 1, this.clock.nowS());
      return index + behind;
    }
    return index + 1;
  }

  stop(): void {
    this.isRunning = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stats(): SchedulerStats {
    return { ticks: this.ticks, skipped: this.skipped, measuredHz: this.meter.hz() };
  }

  onLateness(listener: (latenessMs: number) => void): void {
    this.latenessListener = listener;
  }

  onSkip(listener: (skippedTicks: number, atS: number) => void): void {
    this.skipListener = listener;
  }
}

/** Ticks the grid as fast as possible on a virtual clock. */
export class VirtualScheduler implements TickScheduler {
  readonly clock = new VirtualClock();
  private isRunning = false;
  private ticks = 0;
  private startedAtMs = 0;

  /** Ticks between yields to the event loop, so I/O is not starved. */
  private static readonly YIELD_EVERY = 256;

  constructor(private readonly periodS: number) {}

  async start(onTick: TickCallback): Promise<void> {
    this.isRunning = true;
    this.startedAtMs = performance.now();

    for (let index = 0; this.isRunning; index++) {
      this.clock.timeS = index * this.periodS;
      const keepGoing = await onTick(this.clock.timeS);
      this.ticks += 1;
      if (keepGoing === false) break;
      if (index % VirtualScheduler.YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    this.isRunning = false;
  }

  stop(): void {
    this.isRunning = false;
  }

  stats(): SchedulerStats {
    const elapsedS = (performance.now() - this.startedAtMs) / 1000;
    return {
      ticks: this.ticks,
      skipped: 0,
      measuredHz: elapsedS > 0 ? this.ticks / elapsedS : 0,
    };
  }
}

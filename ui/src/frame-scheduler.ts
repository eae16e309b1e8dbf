/**
 * @module Batches redraws into one animation frame: however many ticks arrive
 * between two frames, each scheduled task runs once in the next frame.
 */

/** Function that runs a callback before the next repaint. */
export type RequestFrame = (callback: () => void) => unknown;

/** Collects tasks and runs each once per animation frame. */
export class FrameScheduler {
  private readonly pending = new Set<() => void>();
  private isFrameRequested = false;

  /** Creates a scheduler on `requestFrame`, the browser's animation frame by default. */
  constructor(
    private readonly requestFrame: RequestFrame = (callback) => requestAnimationFrame(callback),
  ) {}

  /** Queues `task` for the next frame; a task already queued is not queued twice. */
  schedule(task: () => void): void {
    this.pending.add(task);
    if (this.isFrameRequested) return;
    this.isFrameRequested = true;
    this.requestFrame(() => this.flush());
  }

  /** Drops a queued task, as when its chart leaves the page. */
  cancel(task: () => void): void {
    this.pending.delete(task);
  }

  private flush(): void {
    this.isFrameRequested = false;
    const tasks = [...this.pending];
    this.pending.clear();
    for (const task of tasks) task();
  }
}

let sharedScheduler: FrameScheduler | undefined;

/** Returns the page-wide scheduler that all charts share. */
export function frameScheduler(): FrameScheduler {
  sharedScheduler ??= new FrameScheduler();
  return sharedScheduler;
}

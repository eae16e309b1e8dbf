import { describe, expect, test } from 'bun:test';
import { FrameScheduler } from '../../ui/src/frame-scheduler.ts';

/** Returns a scheduler on a hand-driven frame clock. */
function manualFrames() {
  const frames: (() => void)[] = [];
  const scheduler = new FrameScheduler((callback) => frames.push(callback));
  const runFrame = () => frames.splice(0).forEach((callback) => callback());
  return { scheduler, frames, runFrame };
}

describe('FrameScheduler', () => {
  test('runs a task once per frame however often scheduled', () => {
    const { scheduler, frames, runFrame } = manualFrames();
    let draws = 0;
    const draw = () => draws++;
    for (let tick = 0; tick < 50; tick++) scheduler.schedule(draw);

    expect(frames.length).toBe(1);
    expect(draws).toBe(0);
    runFrame();
    expect(draws).toBe(1);
  });

  test('requests a new frame after a flush', () => {
    const { scheduler, frames, runFrame } = manualFrames();
    let draws = 0;
    scheduler.schedule(() => draws++);
    runFrame();
    scheduler.schedule(() => draws++);

    expect(frames.length).toBe(1);
    runFrame();
    expect(draws).toBe(2);
  });

  test('runs every distinct task', () => {
    const { scheduler, runFrame } = manualFrames();
    const ran: string[] = [];
    scheduler.schedule(() => ran.push('speed'));
    scheduler.schedule(() => ran.push('boost'));
    runFrame();

    expect(ran).toEqual(['speed', 'boost']);
  });

  test('cancel drops a queued task', () => {
    const { scheduler, runFrame } = manualFrames();
    let draws = 0;
    const draw = () => draws++;
    scheduler.schedule(draw);
    scheduler.cancel(draw);
    runFrame();

    expect(draws).toBe(0);
  });
});

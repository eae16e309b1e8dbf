/** Tick schedulers: the virtual clock steps the exact tick grid and stops on request. */
import { expect, test } from 'bun:test';
import { VirtualScheduler } from '../../server/pipeline/clock.ts';

test('virtual scheduler steps the tick grid', async () => {
  const scheduler = new VirtualScheduler(0.5);
  const times: number[] = [];
  await scheduler.start(async (timeS) => {
    times.push(timeS);
    return times.length < 5;
  });
  expect(times).toEqual([0, 0.5, 1, 1.5, 2]);
  expect(scheduler.clock.nowS()).toBe(2);
  expect(scheduler.stats().ticks).toBe(5);
});

test('virtual scheduler stops when told', async () => {
  const scheduler = new VirtualScheduler(1);
  let count = 0;
  await scheduler.start(async () => {
    count += 1;
    if (count === 3) scheduler.stop();
  });
  expect(count).toBe(3);
});

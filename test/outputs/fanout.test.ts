/**
 * Tick fan-out: clients that keep up get every tick; a client whose send
 * buffer is full gets only the latest tick once it drains.
 */
import { expect, test } from 'bun:test';
import { TickFanout, type ClientSocket } from '../../server/outputs/fanout.ts';
import type { TickMessage } from '../../server/protocol.ts';

class RecordingSocket implements ClientSocket {
  readonly received: number[] = [];
  bufferedBytes = 0;

  send(data: string): number {
    this.received.push(JSON.parse(data).seq);
    return data.length;
  }

  getBufferedAmount(): number {
    return this.bufferedBytes;
  }
}

function tick(seq: number): TickMessage {
  return {
    type: 'tick',
    seq,
    timeS: seq / 23.6,
    wallMs: 0,
    processingMs: 0,
    channels: {},
    derived: {},
    sources: { active: null, sources: [] },
  };
}

test('fast client receives every tick', () => {
  const fanout = new TickFanout();
  const fast = new RecordingSocket();
  fanout.add(fast, fast);
  for (let seq = 0; seq < 5; seq++) fanout.publish(tick(seq));
  expect(fast.received).toEqual([0, 1, 2, 3, 4]);
});

test('stalled client keeps only the latest tick', () => {
  const fanout = new TickFanout();
  const fast = new RecordingSocket();
  const slow = new RecordingSocket();
  fanout.add(fast, fast);
  fanout.add(slow, slow);

  fanout.publish(tick(0));
  slow.bufferedBytes = 10 * 1024 * 1024;
  for (let seq = 1; seq <= 50; seq++) fanout.publish(tick(seq));
  expect(fast.received.length).toBe(51);
  expect(slow.received).toEqual([0]);

  slow.bufferedBytes = 0;
  fanout.drain(slow);
  expect(slow.received).toEqual([0, 50]);
  expect(fanout.stats().find((s) => s.sent === 2)?.skipped).toBe(49);
});

test('removed client receives nothing more', () => {
  const fanout = new TickFanout();
  const socket = new RecordingSocket();
  fanout.add(socket, socket);
  fanout.remove(socket);
  fanout.publish(tick(0));
  expect(socket.received).toEqual([]);
  expect(fanout.count()).toBe(0);
});

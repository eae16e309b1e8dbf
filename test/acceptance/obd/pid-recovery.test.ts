/**
 * A clone that briefly answers every request with a reply for another PID
 * makes the monitor count misses for engine speed and the other fast PIDs
 * and poll them only rarely. Once such a rare poll is answered again, the
 * PID is back and must return to its normal rate at once, not wait for
 * another long retry interval while the source reports `live`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import {
  startScriptedAdapter,
  standardInit,
  type ScriptedPeer,
} from '../../sources/obd/support.ts';
import { obdFolder, startObdMonitor, type RunningObdMonitor } from './support.ts';

/** Replies for another PID (vehicle speed) given before the adapter behaves again. */
const MISADDRESSED_REPLIES = 30;
/** Polls after the first answered retry of engine speed within which it must be polled again. */
const POLLS_TO_RESUME = 10;
const VALUE_BYTES: Record<string, string> = {
  '05': '7B',
  '0B': '64',
  '0C': '1AF8',
  '0D': '00',
  '11': '80',
};

/** Returns a 7E8 reply (headers on, no spaces) with a fixed value for every PID of the request. */
function answer(command: string): string {
  const pids = command.slice(2).match(/../g) ?? [];
  const payload = '41' + pids.map((pid) => pid + (VALUE_BYTES[pid] ?? '')).join('');
  const length = (payload.length / 2).toString(16).toUpperCase().padStart(2, '0');
  if (payload.length / 2 <= 7) return `7E8${length}${payload}`;
  return `7E810${length}${payload.slice(0, 12)}\r7E821${payload.slice(12, 26)}`;
}

function requestsEngineSpeed(poll: string): boolean {
  return (poll.slice(2).match(/../g) ?? ([] as string[])).includes('0C');
}

describe('engine speed after a spell of replies for another PID', () => {
  const polls: string[] = [];
  let adapter: ScriptedPeer;
  let monitor: RunningObdMonitor;

  beforeAll(async () => {
    adapter = await startScriptedAdapter((command) => {
      // Bitmap 08 38 80 00: PIDs 05, 0B, 0C, 0D and 11.
      if (command === '0100' || command === '01001') return '7E806410008388000';
      if (command === 'ATRV') return '12.6V';
      if (command.startsWith('AT')) return standardInit(command);
      if (!/^01[0-9A-F]{2,}$/.test(command)) return 'NO DATA';
      polls.push(command);
      return polls.length <= MISADDRESSED_REPLIES ? '7E803410D00' : answer(command);
    });
    monitor = await startObdMonitor(obdFolder('pid-recovery'), ['--source', `obd:${adapter.path}`]);
  });

  afterAll(async () => {
    await monitor?.stop();
    await adapter?.close();
  });

  test('returns at once after an answered retry', async () => {
    const isResumed = () => polls.slice(MISADDRESSED_REPLIES).some(requestsEngineSpeed);
    while (!isResumed()) await Bun.sleep(100);
    const retryIndex = polls.findIndex(
      (poll, i) => i >= MISADDRESSED_REPLIES && requestsEngineSpeed(poll),
    );

    while (polls.length < retryIndex + 1 + POLLS_TO_RESUME) await Bun.sleep(100);
    const following = polls.slice(retryIndex + 1, retryIndex + 1 + POLLS_TO_RESUME);

    expect(following.some(requestsEngineSpeed)).toBe(true);
  }, 60_000);
});

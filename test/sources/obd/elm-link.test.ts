import { afterEach, describe, expect, test } from 'bun:test';
import {
  closeSerialPort,
  openPtyPair,
  openSerialPort,
  type PtyPair,
} from '../../../server/serial/index.ts';
import { ElmLink, ElmTimeoutError } from '../../../server/sources/obd/elm-link.ts';
import { tempLink } from './support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const SEARCH = { totalMs: 20_000, when: /SEARCHING/ };

/** Opens a link to a pty whose master side answers each command with `reply` (or nothing). */
async function linkTo(
  reply: (command: string) => string | null,
): Promise<{ link: ElmLink; pair: PtyPair }> {
  const pair = await openPtyPair(tempLink());
  cleanups.push(() => pair.close());
  pair.master.on('data', (chunk: Buffer) => {
    const text = reply(chunk.toString('latin1').trim());
    if (text !== null) pair.master.write(text);
  });
  const stream = await openSerialPort(pair.slavePath, { baudRate: 38400 });
  cleanups.push(() => closeSerialPort(stream));
  return { link: new ElmLink(stream), pair };
}

describe('a request with a search extension', () => {
  test('silent adapter times out early', async () => {
    const { link } = await linkTo(() => null);

    const error = await link.request('0100', 50, SEARCH).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ElmTimeoutError);
    expect((error as Error).message).toBe('No reply to 0100 within 50 ms.');
  });

  test('output without the sign times out early', async () => {
    const { link } = await linkTo((command) => (command === '0100' ? 'x'.repeat(2_000) : null));

    const error = await link.request('0100', 50, SEARCH).catch((e: unknown) => e);

    expect((error as Error).message).toBe('No reply to 0100 within 50 ms.');
  });

  test('SEARCHING extends the wait', async () => {
    const { link, pair } = await linkTo((command) => (command === '0100' ? 'SEARCHING...\r' : null));
    const reply = link.request('0100', 50, SEARCH);

    // Well past the short wait: without the extension the request has failed by now.
    await Bun.sleep(300);
    pair.master.write('7E8064100BE3EB811\r\r>');

    expect(await reply).toBe('SEARCHING...\r7E8064100BE3EB811\r\r');
  });
});

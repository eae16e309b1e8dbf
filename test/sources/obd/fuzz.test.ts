import { describe, expect, test } from 'bun:test';
import { parseElmResponse, type HeaderFormat } from '../../../server/sources/obd/elm-response.ts';
import { PromptFramer } from '../../../server/sources/obd/prompt-framer.ts';
import { decodeMode01 } from '../../../server/sources/obd/pids.ts';
import { seededRandom as random } from '../can/random.ts';

const FORMATS: HeaderFormat[] = ['can11', 'can29', 'legacy', 'none'];
const PIECES = ['7E8', '7E9', '18 DA F1 10', '48 6B 10', '0:', '1:', '014', '10', '21', '41', '0C', ' ', '\r', '\n',
  '.', '>', 'NO DATA', 'SEARCHING...', '<DATA ERROR', 'ERR', '?', 'FF', '00', 'G', ':'];

describe('parser fed random input', () => {
  test('random bytes keep buffer bounded', () => {
    const next = random(1);
    const framer = new PromptFramer(4096);
    let replies = 0;
    for (let round = 0; round < 2000; round++) {
      const chunk = new Uint8Array(1 + Math.floor(next() * 512));
      for (let i = 0; i < chunk.length; i++) chunk[i] = Math.floor(next() * 256);
      for (const reply of framer.push(chunk)) {
        replies++;
        for (const format of FORMATS) {
          const parsed = parseElmResponse(reply, '010C', format);
          for (const message of parsed.messages) decodeMode01(message.data);
        }
      }
      expect(framer.bufferedChars).toBeLessThanOrEqual(4096 + 512);
    }
    expect(replies).toBeGreaterThan(0);
  });

  test('random lines of reply fragments never throw', () => {
    const next = random(2);
    let messages = 0;
    for (let round = 0; round < 5000; round++) {
      let reply = '';
      const pieces = Math.floor(next() * 40);
      for (let i = 0; i < pieces; i++) reply += PIECES[Math.floor(next() * PIECES.length)];
      for (const format of FORMATS) {
        const parsed = parseElmResponse(reply, '010C0B', format);
        messages += parsed.messages.length;
        for (const message of parsed.messages) {
          expect(message.data.length).toBeGreaterThan(0);
          decodeMode01(message.data);
        }
      }
    }
    expect(messages).toBeGreaterThan(0);
  });

  test('promptless flood is dropped and counted', () => {
    const framer = new PromptFramer(1000);
    framer.push('A'.repeat(5000));
    expect(framer.bufferedChars).toBeLessThanOrEqual(1000);
    expect(framer.droppedChars).toBeGreaterThan(0);
    const kept = framer.bufferedChars;
    expect(framer.push('\r>')).toEqual(['A'.repeat(kept) + '\r']);
  });

  test('replies split across chunks are joined', () => {
    const framer = new PromptFramer();
    expect(framer.push('7E8 03 41')).toEqual([]);
    expect(framer.push(' 0D 32\r\r>OK\r')).toEqual(['7E8 03 41 0D 32\r\r']);
    expect(framer.push('\r>')).toEqual(['OK\r\r']);
  });
});

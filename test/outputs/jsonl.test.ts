/** JSON-lines output: one parseable line per tick, flushed on close. */
import { expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlWriter } from '../../server/outputs/jsonl.ts';
import type { TickMessage } from '../../server/protocol.ts';

test('writer produces one JSON line per tick', () => {
  const path = join(mkdtempSync(join(tmpdir(), '2jz-jsonl-')), 'out.jsonl');
  const writer = new JsonlWriter(path);
  for (let seq = 0; seq < 2000; seq++) {
    writer.write({ type: 'tick', seq, timeS: seq, wallMs: 0, processingMs: 0, channels: {}, derived: { afrDelta: 0.01 }, sources: { active: 'sim', sources: [] } } as TickMessage);
  }
  expect(writer.close().dropped).toBe(0);

  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  expect(lines.length).toBe(2000);
  expect(JSON.parse(lines[1999]).seq).toBe(1999);
  expect(JSON.parse(lines[0]).derived.afrDelta).toBe(0.01);
});

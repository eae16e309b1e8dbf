import { describe, expect, test } from 'bun:test';
import type { ErrorMessage } from '../../server/protocol.ts';
import { MAX_MESSAGE_CHARS, parseServerMessage } from '../../ui/src/message-validation.ts';
import { makeHealth, makeTick } from './support/ticks.ts';

/** Returns the rejection reason of a message, failing when it was accepted. */
function reasonFor(data: unknown): string {
  const result = parseServerMessage(data);
  if (result.ok) throw new Error('expected the message to be rejected');
  return result.reason;
}

/** Returns a valid tick as a plain object that a test may break. */
function tickObject(): Record<string, any> {
  return JSON.parse(JSON.stringify(makeTick(3, { health: makeHealth(90) })));
}

describe('parseServerMessage', () => {
  test('accepts a full tick', () => {
    const tick = makeTick(7, {
      health: makeHealth(60),
      codes: [{ code: 'P0301', kind: 'pending', ecu: '7E8' }],
      events: [{ kind: 'gap', text: 'no samples for 1.2 s', at: 4.2 }],
    });
    const result = parseServerMessage(JSON.stringify(tick));

    expect(result).toEqual({ ok: true, message: tick });
  });

  test('accepts an error message', () => {
    const message: ErrorMessage = {
      type: 'error',
      code: 'token.missing',
      message: 'a token is required',
    };

    expect(parseServerMessage(JSON.stringify(message))).toEqual({ ok: true, message });
  });

  test('rejects non-JSON text', () => {
    expect(reasonFor('not json')).toBe('invalid JSON starting with "not json"');
  });

  test('rejects binary frames', () => {
    expect(reasonFor(new ArrayBuffer(4))).toBe('expected a text frame, got binary data');
  });

  test('rejects an oversized message', () => {
    const reason = reasonFor('x'.repeat(MAX_MESSAGE_CHARS + 1));

    expect(reason).toBe(`message of ${MAX_MESSAGE_CHARS + 1} characters exceeds ${MAX_MESSAGE_CHARS}`);
  });

  test('rejects an unknown type', () => {
    expect(reasonFor('{"type":"tock"}')).toBe('type must be "tick" or "error", got "tock"');
  });

  const brokenTicks: [string, (tick: Record<string, any>) => void, string][] = [
    ['negative seq', (t) => (t.seq = -1), 'seq must be a non-negative integer, got -1'],
    ['missing timeS', (t) => delete t.timeS, 'timeS must be a finite number, got nothing'],
    [
      'string channel value',
      (t) => (t.channels.rpm.value = '850'),
      'channels.rpm.value must be a finite number, got "850"',
    ],
    [
      'unknown limit state',
      (t) => (t.channels.rpm.state = 'bad'),
      'channels.rpm.state must be one of ok, warning, danger, got "bad"',
    ],
    [
      'missing stale flag',
      (t) => delete t.channels.coolantC.stale,
      'channels.coolantC.stale must be a boolean, got nothing',
    ],
    [
      'null derived metric',
      (t) => (t.derived.afrDelta = null),
      'derived.afrDelta must be a finite number, got null',
    ],
    ['channels as array', (t) => (t.channels = []), 'channels must be an object, got []'],
    [
      'unknown source state',
      (t) => (t.sources.sources[0].state = 'asleep'),
      'sources.sources[0].state must be one of starting, live, reconnecting, stalled, ended, ' +
        'failed, stopped, got "asleep"',
    ],
    [
      'missing subsystem score',
      (t) => delete t.health.subsystems.cooling,
      'health.subsystems.cooling must be a finite number, got nothing',
    ],
    [
      'unknown backend',
      (t) => (t.health.backends[1].backend = 'torch'),
      'health.backends[1].backend must be one of onnx, tfjs, got "torch"',
    ],
    [
      'code without ECU',
      (t) => (t.codes = [{ code: 'P0171', kind: 'stored' }]),
      'codes[0].ecu must be a string, got nothing',
    ],
    [
      'event of unknown kind',
      (t) => (t.events = [{ kind: 'boom', text: 'x', at: 1 }]),
      'events[0].kind must be one of source-change, source-state, gap, model-swap, codes, ' +
        'log-end, got "boom"',
    ],
  ];

  for (const [name, breakTick, reason] of brokenTicks) {
    test(`rejects a tick with ${name}`, () => {
      const tick = tickObject();
      breakTick(tick);

      expect(reasonFor(JSON.stringify(tick))).toBe(reason);
    });
  }
});

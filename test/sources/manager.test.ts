/**
 * Source manager: fallback order by kind, reporting of every change of
 * source, and forwarding of the active source's samples only.
 */
import { expect, test } from 'bun:test';
import type { Sample } from '../../server/domain/sample.ts';
import { configureLogging } from '../../server/log/logger.ts';
import type { SourceStatus, StreamEvent } from '../../server/protocol.ts';
import { SourceManager } from '../../server/sources/manager.ts';
import type { Source, SourceContext } from '../../server/sources/source.ts';

configureLogging({ isStderrEnabled: false });

/** A source whose state the test sets by hand. */
class ScriptedSource implements Source {
  context: SourceContext | null = null;
  state: SourceStatus['state'] = 'live';

  constructor(
    readonly id: string,
    readonly kind: SourceStatus['kind'],
  ) {}

  async start(context: SourceContext) {
    this.context = context;
  }
  async stop() {}

  status(): SourceStatus {
    return { id: this.id, kind: this.kind, state: this.state, samplesReceived: 0 };
  }

  setState(state: SourceStatus['state']) {
    this.state = state;
    this.context!.onStatus(this.status());
  }

  emit(value: number) {
    this.context!.sink([{ channel: 'rpm', value, timeS: 0 }]);
  }
}

async function setUp(sources: Source[]) {
  const manager = new SourceManager(sources);
  const received: Sample[] = [];
  const events: { kind: StreamEvent['kind']; text: string }[] = [];
  const switches: (string | null)[] = [];
  await manager.start(
    { nowS: () => 0 },
    (batch) => received.push(...batch),
    (kind, text) => events.push({ kind, text }),
    (_from, to) => switches.push(to),
  );
  return { manager, received, events, switches };
}

test('hardware outranks simulation whatever the order given', async () => {
  const sim = new ScriptedSource('sim', 'simulation');
  const obd = new ScriptedSource('obd:/dev/pts/9', 'hardware');
  const { manager } = await setUp([sim, obd]);
  expect(manager.active()?.id).toBe('obd:/dev/pts/9');
  expect(manager.all().map((s) => s.id)).toEqual(['obd:/dev/pts/9', 'sim', 'manual']);
});

test('falls back and returns, reporting each change', async () => {
  const obd = new ScriptedSource('obd:/dev/pts/9', 'hardware');
  const sim = new ScriptedSource('sim', 'simulation');
  const { manager, events, switches } = await setUp([obd, sim]);

  obd.setState('reconnecting');
  expect(manager.active()?.id).toBe('sim');
  obd.setState('live');
  expect(manager.active()?.id).toBe('obd:/dev/pts/9');

  expect(switches).toEqual(['obd:/dev/pts/9', 'sim', 'obd:/dev/pts/9']);
  expect(events.filter((e) => e.kind === 'source-change').length).toBe(3);
  expect(events.some((e) => e.kind === 'source-state' && e.text.includes('reconnecting'))).toBe(true);
});

test('only the active source and manual input reach the pipeline', async () => {
  const obd = new ScriptedSource('obd:/dev/pts/9', 'hardware');
  const sim = new ScriptedSource('sim', 'simulation');
  const { manager, received } = await setUp([obd, sim]);

  obd.emit(1000);
  sim.emit(2000);
  manager.manual.submit([{ channel: 'gear', value: 2 }]);
  expect(received.map((s) => s.value)).toEqual([1000, 2]);
});

test('all sources down leaves manual input active', async () => {
  const obd = new ScriptedSource('obd:/dev/pts/9', 'hardware');
  const { manager } = await setUp([obd]);
  obd.setState('failed');
  expect(manager.active()?.id).toBe('manual');
});

import { describe, expect, test } from 'bun:test';
import type { Sample } from '../../../server/domain/sample.ts';
import { bundledProfile } from '../../../server/profiles/index.ts';
import type { SourceStatus, StreamEvent } from '../../../server/protocol.ts';
import {
  createSimSource,
  createSimSourceWithProfile,
  parseSimSpec,
  type SimSource,
} from '../../../server/sources/sim/index.ts';
import { SourceConfigError, type SourceContext } from '../../../server/sources/source.ts';

const OPTIONS = { flags: {}, dataDir: '/tmp' };

/** Builds a session clock that the test sets by hand and a sink that keeps every sample. */
function harness() {
  let nowS = 0;
  const samples: Sample[] = [];
  const statuses: SourceStatus[] = [];
  const events: { kind: StreamEvent['kind']; text: string }[] = [];
  const context: SourceContext = {
    sink: (batch) => samples.push(...batch),
    clock: { nowS: () => nowS },
    onStatus: (status) => statuses.push(status),
    onEvent: (kind, text) => events.push({ kind, text }),
  };
  return { context, samples, statuses, events, setNow: (s: number) => (nowS = s) };
}

/** Starts `source` at session time `startS` and advances it in 23.6 Hz ticks to `endS`. */
async function run(source: SimSource, startS: number, endS: number) {
  const h = harness();
  h.setNow(startS);
  await source.start(h.context);
  const results: boolean[] = [];
  for (let t = startS; t <= endS; t += 1 / 23.6) results.push(source.advanceTo(t));
  return { ...h, results };
}

const countOf = (samples: readonly Sample[], channel: string) =>
  samples.filter((s) => s.channel === channel).length;

describe('sim source', () => {
  test('delivers samples at per-channel rates', async () => {
    const source = createSimSource('', OPTIONS) as SimSource;
    const { samples, statuses } = await run(source, 5, 25);
    expect(statuses[0].state).toBe('live');
    expect(countOf(samples, 'rpm')).toBeGreaterThan(0.95 * 50 * 20);
    expect(countOf(samples, 'rpm')).toBeLessThan(1.05 * 50 * 20);
    expect(countOf(samples, 'coolantC')).toBeGreaterThan(0.9 * 10 * 20);
    expect(countOf(samples, 'coolantC')).toBeLessThan(1.1 * 10 * 20);
    expect(countOf(samples, 'baroKpa')).toBeLessThanOrEqual(21);
  });

  test('stamps samples on the session clock', async () => {
    const source = createSimSource('', OPTIONS) as SimSource;
    const { samples } = await run(source, 100, 102);
    const times = samples.map((s) => s.timeS);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...times)).toBeLessThanOrEqual(102 + 1e-9);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  test('looks alive at idle and in motion', async () => {
    const source = createSimSource('?scenario=street', OPTIONS) as SimSource;
    const { samples } = await run(source, 0, 120);
    const rpm = samples.filter((s) => s.channel === 'rpm').map((s) => s.value);
    const speed = samples.filter((s) => s.channel === 'speedKmh').map((s) => s.value);
    expect(Math.min(...rpm)).toBeGreaterThan(600);
    expect(Math.max(...rpm)).toBeGreaterThan(2000);
    expect(Math.max(...speed)).toBeGreaterThan(40);
    expect(new Set(rpm.slice(0, 50)).size).toBeGreaterThan(40);
  });

  test('same seed and value give identical samples', async () => {
    const spec = '?seed=7&scenario=pulls&fault=boost-leak@5:0.6';
    const a = await run(createSimSource(spec, OPTIONS) as SimSource, 0, 15);
    const b = await run(createSimSource(spec, OPTIONS) as SimSource, 0, 15);
    expect(a.samples.length).toBeGreaterThan(1000);
    expect(a.samples).toEqual(b.samples);
    const c = await run(createSimSource('?seed=8&scenario=pulls', OPTIONS) as SimSource, 0, 15);
    expect(c.samples).not.toEqual(a.samples);
  });

  test('a drive with a duration ends', async () => {
    const source = createSimSource('?durationS=3', OPTIONS) as SimSource;
    const { results, events, samples } = await run(source, 0, 5);
    expect(results.at(-1)).toBe(false);
    expect(source.status().state).toBe('ended');
    expect(events.some((e) => e.kind === 'log-end')).toBe(true);
    expect(Math.max(...samples.map((s) => s.timeS))).toBeLessThanOrEqual(3 + 1e-9);
  });

  test('announces an injected fault and reports it', async () => {
    const source = createSimSource('?scenario=pulls&fault=knock@2:0.5', OPTIONS) as SimSource;
    const { events } = await run(source, 0, 4);
    expect(events.some((e) => e.text.includes('knock'))).toBe(true);
    expect(source.status().extra?.activeFault).toBe('knock');
  });

  test('profile comes from the value, the flag or the default', () => {
    expect((createSimSource('', OPTIONS) as SimSource).profile.id).toBe('stock-twin');
    const flagged = createSimSource('', { ...OPTIONS, flags: { profile: 'big-single' } }) as SimSource;
    expect(flagged.profile.id).toBe('big-single');
    expect((createSimSource('?profile=big-single', OPTIONS) as SimSource).profile.id).toBe('big-single');
  });

  test('a loaded profile is used as given', () => {
    const profile = bundledProfile('big-single')!;
    const source = createSimSourceWithProfile('?seed=3', OPTIONS, profile);
    expect(source.profile).toBe(profile);
    expect(() => createSimSourceWithProfile('?profile=stock-twin', OPTIONS, profile)).toThrow(/conflicts/);
  });

  test('resumes after a long gap as a pause', async () => {
    const source = createSimSource('', OPTIONS) as SimSource;
    const { samples } = await run(source, 0, 10);
    const countBefore = samples.length;
    source.advanceTo(3600);
    const added = samples.slice(countBefore);
    expect(added.length).toBeGreaterThan(0);
    expect(countOf(added, 'rpm')).toBeLessThanOrEqual(2 * 50 + 1);
    expect(Math.min(...added.map((s) => s.timeS))).toBeGreaterThan(3597);
    expect(Math.max(...added.map((s) => s.timeS))).toBeLessThanOrEqual(3600 + 1e-9);
    expect(source.status().extra?.simulatedS).toBeLessThan(13);
  });

  test('stop is safe twice', async () => {
    const source = createSimSource('', OPTIONS) as SimSource;
    await run(source, 0, 1);
    await source.stop();
    await source.stop();
    expect(source.status().state).toBe('stopped');
  });
});

describe('sim source value', () => {
  test('parses every option', () => {
    const spec = parseSimSpec('?seed=7&scenario=track&profile=big-single&fault=knock@10&fault=oil-pressure-loss@60:0.3&durationS=90');
    expect(spec.seed).toBe(7);
    expect(spec.scenarioId).toBe('track');
    expect(spec.profileId).toBe('big-single');
    expect(spec.faults).toEqual([
      { kind: 'knock', onsetS: 10, severity: 1 },
      { kind: 'oil-pressure-loss', onsetS: 60, severity: 0.3 },
    ]);
    expect(spec.durationS).toBe(90);
  });

  const invalid: [string, RegExp][] = [
    ['?seed=-1', /seed "-1"/],
    ['?seed=abc', /seed "abc"/],
    ['?scenario=autobahn', /scenario "autobahn".*street/],
    ['?profile=rb26', /profile "rb26"/],
    ['?fault=boost-leak', /fault "boost-leak".*KIND@ONSET_S/],
    ['?fault=melted-piston@3', /fault kind "melted-piston"/],
    ['?fault=knock@3:1.5', /severity "1.5"/],
    ['?durationS=0', /durationS "0"/],
    ['?speed=2', /option "speed"/],
    ['seed', /query/],
  ];
  for (const [value, message] of invalid) {
    test(`rejects ${value}`, () => {
      expect(() => createSimSource(value, OPTIONS)).toThrow(SourceConfigError);
      expect(() => createSimSource(value, OPTIONS)).toThrow(message);
    });
  }

  test('rejects a twin fault on a single turbo', () => {
    const value = '?profile=big-single&fault=twin-transition-failure@5';
    expect(() => createSimSource(value, OPTIONS)).toThrow(SourceConfigError);
    expect(() => createSimSource(value, OPTIONS)).toThrow(/sequential twin/);
  });
});

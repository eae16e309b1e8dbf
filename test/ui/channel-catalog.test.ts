import { describe, expect, test } from 'bun:test';
import { CHANNELS } from '../../server/domain/channels.ts';
import { CHANNEL_DISPLAYS, channelDisplay } from '../../ui/src/channel-catalog.ts';
import { MAIN_TILES } from '../../ui/src/dashboard-config.ts';

describe('channel catalog', () => {
  test('lists every canonical channel with its unit and label', () => {
    const expected = CHANNELS.map((c) => ({ id: c.id, label: c.label, unit: c.unit }));
    const actual = CHANNEL_DISPLAYS.map((d) => ({ id: d.id, label: d.label, unit: d.unit }));

    expect(actual).toEqual(expected);
  });

  test('main tiles name only canonical channels', () => {
    const ids = new Set(CHANNELS.map((c) => c.id as string));
    for (const tile of MAIN_TILES) {
      expect(ids.has(tile.channel)).toBe(true);
      if (tile.companion) expect(ids.has(tile.companion)).toBe(true);
    }
  });

  test('labels an unknown channel with its id', () => {
    expect(channelDisplay('turboShaftRpm')).toEqual({
      id: 'turboShaftRpm',
      label: 'turboShaftRpm',
      unit: '',
      decimals: 2,
    });
  });
});

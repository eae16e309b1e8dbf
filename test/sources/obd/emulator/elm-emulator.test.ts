import { describe, expect, test } from 'bun:test';
import {
  createStreetDrive,
  createVehicle,
  ElmEmulator,
  INSTANT_TIMING,
  parseCloneQuirks,
} from '../../../../server/sources/obd/emulator/index.ts';

/** Returns an emulator with the quirks given, set up as the OBD source sets an adapter up. */
function emulatorWith(clone: string): ElmEmulator {
  const quirks = parseCloneQuirks(clone);
  const vehicle = createVehicle(createStreetDrive(1), quirks.twoEcus);
  const emulator = new ElmEmulator(vehicle, quirks, INSTANT_TIMING, () => 1);
  for (const command of ['ATZ', 'ATE0', 'ATS1', 'ATH1', 'ATSP0', '0100']) emulator.handle(command);
  return emulator;
}

/** Returns the printed lines of a reply, without the prompt and empty lines. */
function linesOf(emulator: ElmEmulator, command: string): string[] {
  return emulator.handle(command).text.split('\r').filter((line) => line !== '' && line !== '>');
}

describe('the response-count digit', () => {
  // 41 0C xx xx 0B xx 11 xx is 8 bytes: a first frame and one consecutive frame.
  test('skips the byte-count line when counting', () => {
    const emulator = emulatorWith('no-headers');

    const lines = linesOf(emulator, '010C0B112');

    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('008');
    expect(lines[1]).toStartWith('0: 41 0C');
    expect(lines[2]).toStartWith('1: 11');
  });

  test('stops after the counted frames', () => {
    const emulator = emulatorWith('no-headers');

    const lines = linesOf(emulator, '010C0B111');

    expect(lines).toEqual(['008', expect.stringMatching(/^0: 41 0C /)]);
  });

  test('counts frames across ECUs', () => {
    const emulator = emulatorWith('two-ecus');

    const lines = linesOf(emulator, '01001');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toStartWith('7E8 ');
  });
});

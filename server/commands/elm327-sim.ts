/**
 * @module `2jz-monitor elm327-sim`: an emulated ELM327 adapter on a car,
 * served on a pseudo-terminal made with openpty (no socat needed), with
 * values from the simulator or a replayed log and optional clone quirks.
 * Point the monitor at the printed path: `--source obd:PATH`.
 */
import { parseArgs } from 'node:util';
import { SOURCE_SCHEMES } from '../sources/registry.ts';
import {
  createStreetDrive,
  createVehicle,
  ElmEmulator,
  parseCloneQuirks,
  QUIRK_NAMES,
  serveElmEmulator,
  type ValueSource,
} from '../sources/obd/emulator/index.ts';
import { valuesFromSource, type RunningValueSource } from '../sources/obd/emulator/source-values.ts';
import { SPEED_CODES } from '../serial/index.ts';
import type { Command } from './index.ts';

const HELP = `Usage: 2jz-monitor elm327-sim [options]

Serves an emulated ELM327 adapter on a pseudo-terminal and prints its path.

Options:
  --scenario NAME   simulator scenario for the values (default street)
  --seed N          simulator seed (default 1)
  --replay FILE     take the values from a recorded log instead of the simulator
  --clone LIST      clone quirks, comma-separated: ${QUIRK_NAMES.join(', ')}
  --link PATH       keep a symbolic link to the pty at PATH (stable across restarts)
  --delay MS        delay before each reply, in milliseconds (default 0; 30-50 is a Bluetooth clone)
  --wait MS         wait after the last reply when no response count is sent (default 0)
  --baud N          answer only clients set to N baud, others get line noise
                    (default: any speed)
  --two-ecus        a transmission ECU (7E9) responds beside the engine ECU
  -h, --help        show this help`;

/** Runs the emulator until SIGINT or SIGTERM; returns 2 for invalid options. */
export const runElm327Sim: Command = async (argv) => {
  let options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (options.help) {
    console.log(HELP);
    return 0;
  }

  const startedMs = performance.now();
  const nowS = () => (performance.now() - startedMs) / 1000;
  const values = await openValues(options, nowS);
  const vehicle = createVehicle(values, options.quirks.twoEcus);
  const timing = { requestDelayMs: options.delayMs, responseWaitMs: options.waitMs, slowExtraMs: 200 };
  const emulator = new ElmEmulator(vehicle, options.quirks, timing, nowS);
  const server = await serveElmEmulator(emulator, options.link, options.baudRate);

  console.log(`ELM327 emulator listening on ${server.path()} (protocol ${emulator.vehicleProtocol})`);
  console.log(`Try: 2jz-monitor --source obd:${server.path()}`);
  await waitForSignal();

  await server.close();
  await (values as Partial<RunningValueSource>).stop?.();
  console.log(`ELM327 emulator stopped after ${emulator.obdRequests} OBD requests`);
  return 0;
};

interface SimOptions {
  readonly help: boolean;
  readonly scenario: string;
  readonly seed: number;
  readonly replay?: string;
  readonly link?: string;
  readonly delayMs: number;
  readonly waitMs: number;
  readonly baudRate: number | null;
  readonly quirks: ReturnType<typeof parseCloneQuirks>;
}

function parseOptions(argv: readonly string[]): SimOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', default: 'street' },
      seed: { type: 'string', default: '1' },
      replay: { type: 'string' },
      clone: { type: 'string', default: '' },
      link: { type: 'string' },
      delay: { type: 'string', default: '0' },
      wait: { type: 'string', default: '0' },
      baud: { type: 'string' },
      'two-ecus': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const clone = values['two-ecus'] ? `${values.clone},two-ecus` : values.clone;
  return {
    help: values.help,
    scenario: values.scenario,
    seed: wholeNumber('--seed', values.seed),
    replay: values.replay,
    link: values.link,
    delayMs: wholeNumber('--delay', values.delay),
    waitMs: wholeNumber('--wait', values.wait),
    baudRate: values.baud === undefined ? null : supportedBaud(values.baud),
    quirks: parseCloneQuirks(clone),
  };
}

async function openValues(options: SimOptions, nowS: () => number): Promise<ValueSource> {
  const dataDir = process.cwd();
  if (options.replay !== undefined) {
    const factory = await SOURCE_SCHEMES.replay();
    return valuesFromSource(factory(options.replay, { flags: {}, dataDir }), nowS);
  }
  try {
    const factory = await SOURCE_SCHEMES.sim();
    const source = factory(`?scenario=${options.scenario}&seed=${options.seed}`, { flags: {}, dataDir });
    return await valuesFromSource(source, nowS);
  } catch (error) {
    // The simulator may be absent from a partial build; the built-in drive keeps the emulator usable.
    console.warn(`Simulator unavailable (${(error as Error).message}); using the built-in street drive.`);
    return createStreetDrive(options.seed);
  }
}

function wholeNumber(name: string, value: string): number {
  const number = Number(value);
  if (Number.isInteger(number) && number >= 0) return number;
  throw new Error(`Invalid ${name} ${value}; use a whole number of 0 or more.`);
}

function supportedBaud(value: string): number {
  const baud = Number(value);
  if (SPEED_CODES[baud] !== undefined) return baud;
  throw new Error(`Invalid --baud ${value}; use one of ${Object.keys(SPEED_CODES).join(', ')}.`);
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * @module An ELM327 command interpreter in front of an emulated car. It
 * covers the AT commands the driver and common apps use, OBD modes 01, 03,
 * 04, 07 and 09, protocol search, headers and spaces on or off, the
 * response-count digit, and optional clone quirks. It does no I/O:
 * `handle` takes one command line and returns the text to send and how
 * long to wait first.
 */
import { pidSpec } from '../pids.ts';
import { ELM_PROTOCOLS } from '../elm-tables.ts';
import { formatReplyFrames, type FrameFormat } from './frames.ts';
import type { EmulatedEcu, EmulatedVehicle } from './vehicle.ts';
import { dtcBytes, supportedBitmap } from './payloads.ts';
import type { CloneQuirks } from './quirks.ts';

/** Delays of the emulated adapter, in milliseconds. */
export interface EmulatorTiming {
  /** Time from request to first reply byte (UART, Bluetooth and ECU latency). */
  readonly requestDelayMs: number;
  /** Time the adapter waits for more ECUs after the last reply when no count digit was sent. */
  readonly responseWaitMs: number;
  /** Extra delay per OBD request of the `slow` quirk. */
  readonly slowExtraMs: number;
}

export const INSTANT_TIMING: EmulatorTiming = { requestDelayMs: 0, responseWaitMs: 0, slowExtraMs: 0 };

/** Reply to one command. */
export interface EmulatorReply {
  readonly text: string;
  readonly delayMs: number;
  /** True when the adapter drops the link after replying (a clone on ATZ). */
  readonly dropsLink: boolean;
}

interface Settings {
  echo: boolean;
  linefeeds: boolean;
  spaces: boolean;
  headers: boolean;
  selectedProtocol: string;
  isAutomatic: boolean;
}

const DEFAULT_SETTINGS: Settings = {
  echo: true,
  linefeeds: false,
  spaces: true,
  headers: false,
  selectedProtocol: '0',
  isAutomatic: true,
};

/** Interprets ELM327 commands for one emulated adapter. */
export class ElmEmulator {
  /** False emulates ignition off: no ECU responds. */
  isIgnitionOn = true;
  private settings: Settings = { ...DEFAULT_SETTINGS };
  private activeProtocol: string | null = null;
  private lastCommand = '';
  /** Number of OBD requests handled, for tests and benchmarks. */
  obdRequests = 0;

  constructor(
    readonly vehicle: EmulatedVehicle,
    readonly quirks: CloneQuirks,
    /** Delays; a test may replace them while the emulator runs. */
    public timing: EmulatorTiming,
    private readonly nowS: () => number,
  ) {}

  /** The protocol number the emulated car speaks. */
  get vehicleProtocol(): string {
    if (this.quirks.kline) return '3';
    return this.quirks.can29 ? '7' : '6';
  }

  /** Returns the reply to one command line (without its carriage return). */
  handle(line: string): EmulatorReply {
    let command = line.replace(/\s/g, '').toUpperCase();
    if (command === '') command = this.lastCommand;
    else this.lastCommand = command;

    const echo = this.settings.echo || this.quirks.echoStuck ? `${line}\r` : '';
    const { lines, delayMs, dropsLink } = this.dispatch(command);
    const eol = this.settings.linefeeds ? '\r\n' : '\r';
    const body = lines.map((l) => l + eol).join('');
    return { text: `${echo}${body}${eol}>`, delayMs, dropsLink };
  }

  private dispatch(command: string): { lines: string[]; delayMs: number; dropsLink: boolean } {
    if (command.startsWith('AT')) {
      const lines = this.at(command.slice(2));
      const dropsLink = command === 'ATZ' && this.quirks.atzDrops;
      return { lines, delayMs: this.timing.requestDelayMs, dropsLink };
    }
    if (/^[0-9A-F]{2,}$/.test(command)) return { ...this.obd(command), dropsLink: false };
    return { lines: ['?'], delayMs: this.timing.requestDelayMs, dropsLink: false };
  }

  private at(command: string): string[] {
    const identity = `ELM327 v${this.quirks.fakeVersion ? '1.5' : '2.1'}`;
    if (command === 'Z' || command === 'WS') {
      this.settings = { ...DEFAULT_SETTINGS };
      this.activeProtocol = null;
      return ['', identity];
    }
    if (command === 'D') {
      this.settings = { ...DEFAULT_SETTINGS, echo: this.settings.echo };
      this.activeProtocol = null;
      return ['OK'];
    }
    if (command === 'I') return [identity];
    if (command === '@1') return ['OBDII to RS232 Interpreter'];
    if (command === 'DP') return [this.protocolName()];
    if (command === 'DPN') {
      const number = this.activeProtocol ?? this.settings.selectedProtocol;
      return [(this.settings.isAutomatic ? 'A' : '') + number];
    }
    if (command === 'RV') {
      const volts = this.vehicle.values.valuesAt(this.nowS()).batteryV ?? 12.4;
      return [`${volts.toFixed(1)}V`];
    }
    return this.setting(command);
  }

  private setting(command: string): string[] {
    const flag = /^(E|L|S|H|AT)([0-2])$/.exec(command);
    if (flag !== null) return this.flag(flag[1], flag[2]);

    const protocol = /^(SP|TP)(A?)([0-9A-C])$/.exec(command);
    if (protocol !== null) {
      this.settings.selectedProtocol = protocol[3];
      this.settings.isAutomatic = protocol[3] === '0' || protocol[2] === 'A';
      this.activeProtocol = null;
      return ['OK'];
    }
    if (/^(ST[0-9A-F]{2}|M[01]|CAF[01]|CFC[01]|SH[0-9A-F]{3,8}|PC|R[01])$/.test(command)) return ['OK'];
    return ['?'];
  }

  private flag(name: string, value: string): string[] {
    const isOn = value === '1';
    if ((name === 'S' || name === 'AT') && this.quirks.fakeVersion) return ['?'];
    if (name === 'E') this.settings.echo = isOn;
    if (name === 'L') this.settings.linefeeds = isOn;
    if (name === 'S') this.settings.spaces = isOn;
    if (name === 'H' && !this.quirks.noHeaders) this.settings.headers = isOn;
    if (name !== 'AT' && value === '2') return ['?'];
    return ['OK'];
  }

  private protocolName(): string {
    const number = this.activeProtocol ?? this.settings.selectedProtocol;
    const name = ELM_PROTOCOLS.find((p) => p.number === number)?.name ?? 'AUTOMATIC';
    return this.settings.isAutomatic && number !== '0' ? `AUTO, ${name}` : name;
  }

  private obd(command: string): { lines: string[]; delayMs: number } {
    this.obdRequests++;
    const baseDelay = this.timing.requestDelayMs + (this.quirks.slow ? this.timing.slowExtraMs : 0);
    const prefix: string[] = [];

    if (this.activeProtocol === null) {
      const connected = this.search(prefix);
      if (!connected) return { lines: prefix, delayMs: baseDelay + this.timing.responseWaitMs };
    }
    if (!this.isIgnitionOn) {
      return { lines: ['NO DATA'], delayMs: baseDelay + this.timing.responseWaitMs };
    }

    const request = parseRequest(command, this.quirks.fakeVersion);
    if (request === null) return { lines: ['?'], delayMs: baseDelay };

    const format = this.frameFormat();
    let frames = this.vehicle.ecus.flatMap((ecu) => {
      const payloads = this.splitForKLine(this.payloadFor(ecu, request.mode, request.args));
      return payloads.flatMap((payload) => formatReplyFrames(payload, format, ecu.canId, ecu.address));
    });
    // The count digit counts frames received, as a real ELM327 does, not printed lines.
    if (request.count !== null) frames = frames.slice(0, request.count);
    const lines = frames.length === 0 ? ['NO DATA'] : frames.flat();
    if (this.quirks.dots) lines[0] = `....${lines[0]}`;

    const waitMs = request.count === null ? this.timing.responseWaitMs : 0;
    return { lines: [...prefix, ...lines], delayMs: baseDelay + waitMs };
  }

  private search(prefix: string[]): boolean {
    const wanted = this.settings.selectedProtocol;
    if (this.settings.isAutomatic) prefix.push('SEARCHING...');
    const isRightProtocol =
      wanted === '0' || wanted === this.vehicleProtocol || this.settings.isAutomatic;
    const reachable = this.isIgnitionOn && isRightProtocol;
    if (this.quirks.kline) prefix.push(reachable ? 'BUS INIT: ...OK' : 'BUS INIT: ...ERROR');
    if (!reachable) {
      if (!this.quirks.kline) prefix.push('UNABLE TO CONNECT');
      return false;
    }
    this.activeProtocol = this.vehicleProtocol;
    return true;
  }

  private frameFormat(): FrameFormat {
    let kind: FrameFormat['kind'] = 'can11';
    if (this.quirks.kline) kind = 'legacy';
    if (this.quirks.can29) kind = 'can29';
    return { headers: this.settings.headers, spaces: this.settings.spaces, kind };
  }

  /**
   * Splits a long reply into the frames a K-line ECU sends: trouble codes
   * three to a frame, the VIN four characters to a frame after a sequence
   * byte (the first frame padded with three zeros). CAN replies stay whole,
   * because ISO-TP carries them.
   */
  private splitForKLine(payload: number[] | null): number[][] {
    if (payload === null) return [];
    if (!this.quirks.kline || payload.length <= 7) return [payload];

    const [service, ...data] = payload;
    if (service === 0x49) {
      const characters = [0, 0, 0, ...data.slice(2)];
      return [0, 1, 2, 3, 4].map((i) => [0x49, 0x02, i + 1, ...characters.slice(4 * i, 4 * i + 4)]);
    }
    const frames: number[][] = [];
    for (let at = 0; at < data.length; at += 6) frames.push([service, ...data.slice(at, at + 6)]);
    return frames;
  }

  private payloadFor(ecu: EmulatedEcu, mode: number, args: number[]): number[] | null {
    const isEngine = ecu === this.vehicle.ecus[0];
    const isCan = !this.quirks.kline;
    if (mode === 0x01) return this.mode01(ecu, isCan ? args : args.slice(0, 1));
    if (mode === 0x03 || mode === 0x07) {
      let codes: string[] = [];
      if (isEngine) codes = mode === 0x03 ? this.vehicle.storedDtcs : this.vehicle.pendingDtcs;
      return [0x40 + mode, ...dtcBytes(codes, isCan)];
    }
    if (mode === 0x04) {
      if (isEngine) this.vehicle.storedDtcs = [];
      if (isEngine) this.vehicle.pendingDtcs = [];
      return [0x44];
    }
    if (mode === 0x09 && args[0] === 0x02 && isEngine) {
      return [0x49, 0x02, 0x01, ...Array.from(this.vehicle.vin, (c) => c.charCodeAt(0))];
    }
    return null;
  }

  private mode01(ecu: EmulatedEcu, pids: number[]): number[] | null {
    const values = this.vehicle.values.valuesAt(this.nowS());
    const payload = [0x41];
    for (const pid of pids) {
      if (pid % 0x20 === 0) {
        payload.push(pid, ...supportedBitmap(ecu.supportedPids, pid));
        continue;
      }
      if (!ecu.supportedPids.has(pid) || this.quirks.noDataPids.has(pid)) continue;
      const bytes = encodePid(pid, values, this.vehicle.storedDtcs.length);
      if (bytes !== null) payload.push(pid, ...bytes);
    }
    return payload.length > 1 ? payload : null;
  }
}

function encodePid(
  pid: number,
  values: Partial<Record<string, number>>,
  dtcCount: number,
): number[] | null {
  const spec = pidSpec(pid);
  if (spec === undefined) return null;
  if (pid === 0x01) return spec.encode(dtcCount);
  if (spec.channel === undefined) return spec.encode(spec.min);

  // A channel the value source lacks (a log without oil temperature) gets
  // NO DATA, as a car does for a PID it lists but cannot measure.
  const value = values[spec.channel];
  return value === undefined || !Number.isFinite(value) ? null : spec.encode(value);
}

interface ObdRequest {
  readonly mode: number;
  readonly args: number[];
  /** Response-count digit, or null when absent. */
  readonly count: number | null;
}

function parseRequest(command: string, lacksCountDigit: boolean): ObdRequest | null {
  const mode = Number.parseInt(command.slice(0, 2), 16);
  let rest = command.slice(2);
  let count: number | null = null;
  if (rest.length % 2 === 1) {
    if (lacksCountDigit) return null;
    count = Number.parseInt(rest.slice(-1), 16);
    rest = rest.slice(0, -1);
  }
  const args = rest.match(/../g)?.map((pair) => Number.parseInt(pair, 16)) ?? [];
  if (mode === 0x01 && (args.length === 0 || args.length > 6)) return null;
  return { mode, args, count: count === 0 ? null : count };
}

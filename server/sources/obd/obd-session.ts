/**
 * @module One connection to an ELM327 and the car behind it: opens the
 * port (detecting its speed when asked), initialises the adapter, finds
 * the protocol and PIDs, then polls until something fails. The source
 * around it reconnects; a session never recovers from a lost link itself.
 */
import type { Sample } from '../../domain/sample.ts';
import { implausibleReason } from '../../domain/channels.ts';
import type { TroubleCode } from '../../protocol.ts';
import {
  closeSerialPort,
  openSerialPort,
  openWithBaudDetection,
  type TtyStream,
} from '../../serial/index.ts';
import { ElmLink, ElmTimeoutError } from './elm-link.ts';
import {
  DEFAULT_TIMING,
  Elm327,
  ElmNoVehicleError,
  type AdapterInfo,
  type SearchWait,
  type VehicleLink,
} from './elm327.ts';
import type { ElmRecovery } from './elm-errors.ts';
import { channelPids, decodeMode01, pidHex, type PidSpec } from './pids.ts';
import { DEFAULT_SCHEDULER_OPTIONS, expectedCanFrames, PollScheduler } from './scheduler.ts';
import { decodeDtcs, decodeVin } from './diagnostics.ts';
import type { ObdSourceOptions } from './source-options.ts';
import { probeElm } from './probe.ts';
import { BoostFromMap } from './boost.ts';

/** Consecutive poll rounds without any value after which the ECU counts as gone. */
const MAX_SILENT_ROUNDS = 10;
/** Consecutive request timeouts after which the adapter counts as hung. */
const MAX_TIMEOUTS = 3;
/** Seconds between ATRV reads on cars without PID 42. */
const ADAPTER_VOLTAGE_EVERY_S = 2;
/** Consecutive bus errors after which the adapter is re-initialised. */
const MAX_BUS_ERRORS = 5;
const BUS_WAIT_MS = 200;
/**
 * Seconds without a value after which a fast PID counts as silent, and
 * without any PID value at all after which the session counts as stalled.
 */
const SILENT_AFTER_S = 5;

/** The car responds but supports no PID that feeds a channel, so retrying cannot help. */
export class ObdNoPidsError extends Error {
  override name = 'ObdNoPidsError';
}

/** Outcome of one poll request. */
interface PollRound {
  /** PIDs of the request that got a value. */
  readonly valueCount: number;
  readonly recovery: ElmRecovery | null;
  readonly errorLine: string;
  readonly hasCountDigit: boolean;
}

/** Callbacks of a running session. */
export interface SessionHooks {
  readonly nowS: () => number;
  readonly onSamples: (batch: readonly Sample[]) => void;
  readonly onCodes: (codes: TroubleCode[]) => void;
  /** Receives the data health after every poll round. */
  readonly onHealth?: (health: SessionHealth) => void;
}

/** Whether values still arrive while the adapter answers. */
export interface SessionHealth {
  /** Fast PIDs (hex) without a value for `afterS` seconds or more. */
  readonly silentFastPids: readonly string[];
  /** True when no PID value at all arrived for `afterS` seconds. */
  readonly isStalled: boolean;
  readonly afterS: number;
}

/** A connected adapter and car, ready to poll. */
export class ObdSession {
  private isClosed = false;
  private readonly scheduler: PollScheduler;
  /** ECU whose value is used for each PID, when several respond. */
  private readonly ecuForPid = new Map<number, string>();
  private readonly polled: PidSpec[];
  private responseCountEnabled: boolean;
  /** False for cars without PID 42, whose battery voltage comes from ATRV instead. */
  private readonly hasVoltagePid: boolean;
  private readonly boost = new BoostFromMap();
  /** Session time of the last PID value, or of the start of polling. */
  private lastValueS = Number.NEGATIVE_INFINITY;
  rejectedValues = 0;
  requests = 0;

  private constructor(
    readonly stream: TtyStream,
    readonly baudRate: number,
    readonly elm: Elm327,
    readonly adapter: AdapterInfo,
    readonly vehicle: VehicleLink,
    private readonly options: ObdSourceOptions,
  ) {
    const supported = new Set<number>();
    const ecus = [...vehicle.supportedByEcu.keys()].sort();
    for (const ecu of ecus) {
      for (const pid of vehicle.supportedByEcu.get(ecu)!) {
        supported.add(pid);
        if (!this.ecuForPid.has(pid)) this.ecuForPid.set(pid, ecu);
      }
    }
    this.polled = channelPids(supported);
    this.hasVoltagePid = this.polled.some((spec) => spec.channel === 'batteryV');
    const maxPids = vehicle.protocol.isCan ? options.maxPidsPerRequest : 1;
    this.scheduler = new PollScheduler(this.polled, {
      ...DEFAULT_SCHEDULER_OPTIONS,
      maxPidsPerRequest: maxPids,
    });
    this.responseCountEnabled = adapter.features.responseCount && options.useResponseCount;
  }

  /**
   * Opens the port and connects; throws with the reason when any step
   * fails. `onOpen` receives the open stream, so that a caller can close
   * it to abort a slow start-up (a protocol search takes up to 20 s).
   * `searchWait` tells how long the first request may wait (see `SearchWait`).
   */
  static async connect(
    options: ObdSourceOptions,
    onOpen: (stream: TtyStream) => void = () => {},
    searchWait: SearchWait = 'full',
  ): Promise<ObdSession> {
    const { stream, baudRate } = await openPort(options);
    onOpen(stream);
    try {
      const timing = { ...DEFAULT_TIMING, commandMs: options.requestTimeoutMs };
      const elm = new Elm327(new ElmLink(stream), timing);
      const adapter = await elm.initialise(options.reset);
      const vehicle = await elm.connectVehicle(options.protocol, searchWait);
      const session = new ObdSession(stream, baudRate, elm, adapter, vehicle, options);
      if (session.polled.length === 0) {
        const listed = new Set([...vehicle.supportedByEcu.values()].flatMap((pids) => [...pids]));
        const names = [...listed].map(pidHex).join(' ') || 'none';
        throw new ObdNoPidsError(
          `The ECU supports none of the PIDs the monitor reads (it lists ${names}).`,
        );
      }
      return session;
    } catch (error) {
      await closeSerialPort(stream);
      if (!(error instanceof ElmTimeoutError) || options.baudRate === null) throw error;
      throw new ElmTimeoutError(
        `${error.message.replace(/\.$/, '')} at ${baudRate} baud; check the adapter's ` +
          'speed or detect it with baud=auto.',
      );
    }
  }

  /** PIDs polled. */
  get polledPids(): readonly PidSpec[] {
    return this.polled;
  }

  /** Polls until closed or until the link, the adapter or the ECU fails; rejects with the reason. */
  async run(hooks: SessionHooks): Promise<void> {
    let silentRounds = 0;
    let timeouts = 0;
    let busErrors = 0;
    let nextCodesS = hooks.nowS() + this.options.codesEveryS;
    let nextVoltageS = hooks.nowS();
    this.lastValueS = hooks.nowS();

    while (!this.isClosed) {
      const pids = this.scheduler.next(hooks.nowS());
      if (pids.length === 0) {
        await Bun.sleep(20);
        continue;
      }

      const round = await this.pollOnce(pids, hooks).catch((error) => {
        if (!(error instanceof ElmTimeoutError)) throw error;
        return null;
      });
      if (this.isClosed) return;
      timeouts = round === null ? timeouts + 1 : 0;
      if (timeouts >= MAX_TIMEOUTS) {
        throw new ElmNoVehicleError(`${MAX_TIMEOUTS} requests in a row got no reply (adapter hung?)`);
      }
      if (round === null) continue;

      silentRounds = round.valueCount > 0 ? 0 : silentRounds + 1;
      if (silentRounds >= MAX_SILENT_ROUNDS) {
        const text = `no ECU responded to ${MAX_SILENT_ROUNDS} requests in a row (ignition off?)`;
        throw new ElmNoVehicleError(text);
      }
      busErrors = round.recovery === 'bus-wait' ? busErrors + 1 : 0;
      if (busErrors >= MAX_BUS_ERRORS) {
        throw new Error(`${MAX_BUS_ERRORS} bus errors in a row (${round.errorLine})`);
      }
      await this.recover(round);
      hooks.onHealth?.(this.health(hooks.nowS()));

      if (this.options.codesEveryS > 0 && hooks.nowS() >= nextCodesS) {
        nextCodesS = hooks.nowS() + this.options.codesEveryS;
        hooks.onCodes(await this.readCodes());
      }
      if (!this.hasVoltagePid && hooks.nowS() >= nextVoltageS) {
        nextVoltageS = hooks.nowS() + ADAPTER_VOLTAGE_EVERY_S;
        await this.readAdapterVoltage(hooks);
      }
    }
  }

  /**
   * Reads the battery voltage at the adapter's supply pin (ATRV) for cars
   * without PID 42. The OBD socket is fed from the battery, so this is the
   * battery voltage less the wiring drop.
   */
  private async readAdapterVoltage(hooks: SessionHooks): Promise<void> {
    const volts = await this.elm.readAdapterVoltage();
    if (volts === null || implausibleReason('batteryV', volts) !== null) return;
    hooks.onSamples([{ channel: 'batteryV', value: volts, timeS: hooks.nowS() }]);
  }

  /** Sends one mode 01 request, delivers its samples and returns what the recovery needs. */
  private async pollOnce(pids: PidSpec[], hooks: SessionHooks): Promise<PollRound> {
    const count = this.responseCountFor(pids);
    const pidList = pids.map((spec) => pidHex(spec.pid)).join('');
    const countDigit = count === null ? '' : count.toString(16).toUpperCase();
    this.requests++;
    const parsed = await this.elm.query(`01${pidList}${countDigit}`, this.options.requestTimeoutMs);
    const timeS = hooks.nowS();

    const samples: Sample[] = [];
    const responded = new Set<number>();
    for (const message of parsed.messages) {
      for (const { pid, value } of decodeMode01(message.data)) {
        const spec = pids.find((p) => p.pid === pid);
        if (spec?.channel === undefined || !this.isChosenEcu(pid, message.ecu)) continue;
        responded.add(pid);
        if (implausibleReason(spec.channel, value) !== null) {
          this.rejectedValues++;
          continue;
        }
        samples.push({ channel: spec.channel, value, timeS });
      }
    }

    for (const spec of pids) {
      if (responded.has(spec.pid)) this.scheduler.recordResponse(spec.pid, timeS);
      else this.scheduler.recordMiss(spec.pid, timeS);
    }
    if (samples.length > 0) {
      this.lastValueS = timeS;
      hooks.onSamples(this.boost.withBoost(samples));
    }
    return {
      valueCount: responded.size,
      recovery: parsed.error?.recovery ?? null,
      errorLine: parsed.errorLine ?? '',
      hasCountDigit: count !== null,
    };
  }

  /** Returns which fast PIDs went silent and whether values stopped altogether. */
  health(nowS: number): SessionHealth {
    const silent = this.scheduler.silentFastPids(nowS, SILENT_AFTER_S);
    return {
      silentFastPids: silent.map((spec) => pidHex(spec.pid)),
      isStalled: nowS - this.lastValueS >= SILENT_AFTER_S,
      afterS: SILENT_AFTER_S,
    };
  }

  /** True when `ecu` is the one whose value of `pid` is used; without headers every reply counts. */
  private isChosenEcu(pid: number, ecu: string): boolean {
    return ecu === 'ECU' || this.ecuForPid.get(pid) === ecu;
  }

  /** Returns the response-count digit for a request, or null when it cannot be used. */
  private responseCountFor(pids: PidSpec[]): number | null {
    if (!this.responseCountEnabled) return null;
    const ecus = new Set<string>();
    for (const ecu of this.vehicle.supportedByEcu.keys()) {
      if (pids.some((spec) => this.vehicle.supportedByEcu.get(ecu)!.has(spec.pid))) ecus.add(ecu);
    }
    const frames = expectedCanFrames(pids) * Math.max(1, ecus.size);
    return frames <= 15 ? frames : null;
  }

  /** Applies the recovery of the error string in a reply (see `ELM_ERRORS`). */
  private async recover(round: PollRound): Promise<void> {
    const { recovery, errorLine } = round;
    if (recovery === 'unsupported' && round.hasCountDigit) this.responseCountEnabled = false;
    if (recovery === 'reduce-load') this.scheduler.reduceLoad();
    if (recovery === 'bus-wait') await Bun.sleep(BUS_WAIT_MS);
    if (recovery === 'search-protocol') throw new ElmNoVehicleError(`${errorLine} (ignition off?)`);
    if (recovery === 'reset') throw new Error(`the adapter reported ${errorLine} and needs a reset`);
  }

  /** Reads stored (03) and pending (07) trouble codes from every ECU. */
  async readCodes(): Promise<TroubleCode[]> {
    const codes: TroubleCode[] = [];
    for (const [mode, kind] of [['03', 'stored'], ['07', 'pending']] as const) {
      const parsed = await this.elm.query(mode, this.options.requestTimeoutMs * 2);
      for (const message of parsed.messages) {
        if (message.data[0] !== 0x40 + Number(mode)) continue;
        for (const code of decodeDtcs(message.data.subarray(1), this.vehicle.protocol.isCan)) {
          codes.push({ code, kind, ecu: message.ecu });
        }
      }
    }
    return codes;
  }

  /** Clears trouble codes and the MIL (mode 04); returns true when an ECU confirmed. */
  async clearCodes(): Promise<boolean> {
    const parsed = await this.elm.query('04', this.options.requestTimeoutMs * 2);
    return parsed.messages.some((message) => message.data[0] === 0x44);
  }

  /** Reads the VIN (mode 09 PID 02), or null when no ECU reports one. */
  async readVin(): Promise<string | null> {
    const parsed = await this.elm.query('0902', this.options.requestTimeoutMs * 3);
    const ecus = [...new Set(parsed.messages.map((m) => m.ecu))].sort();
    for (const ecu of ecus) {
      const vin = decodeVin(parsed.messages.filter((m) => m.ecu === ecu).map((m) => m.data));
      if (vin !== null) return vin;
    }
    return null;
  }

  /** Achieved responses per second of each polled PID, keyed by PID hex. */
  ratesHz(nowS: number): Record<string, number> {
    return this.scheduler.ratesHz(nowS);
  }

  /** Figures for the source status. */
  describe(nowS: number): Record<string, unknown> {
    return {
      adapter: this.adapter.identity,
      baudRate: this.baudRate,
      protocol: this.vehicle.protocol.name,
      ecus: [...this.vehicle.supportedByEcu.keys()].sort(),
      pidsPerRequest: this.scheduler.maxPidsPerRequest,
      responseCount: this.responseCountEnabled,
      echoStuck: this.adapter.isEchoStuck,
      ratesHz: this.ratesHz(nowS),
      silentFastPids: this.health(nowS).silentFastPids,
      requests: this.requests,
      rejectedValues: this.rejectedValues,
    };
  }

  /** Stops polling and releases the port. */
  async close(): Promise<void> {
    this.isClosed = true;
    await closeSerialPort(this.stream);
  }
}

/** Opens the port at the configured speed, or detects the speed with `ATI`. */
async function openPort(options: ObdSourceOptions): Promise<{ stream: TtyStream; baudRate: number }> {
  if (options.baudRate === null) return openWithBaudDetection(options.path, probeElm);
  const stream = await openSerialPort(options.path, { baudRate: options.baudRate });
  return { stream, baudRate: options.baudRate };
}

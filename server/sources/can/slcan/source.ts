/**
 * @module A CAN source reading an SLCAN (Lawicel) adapter over a serial
 * port: `slcan:/dev/ttyACM0?bitrate=500000`. It closes the channel, sets
 * the bit rate, requests timestamps and the version, opens the channel,
 * then decodes every received frame with the DBC and polls the status
 * flags. An adapter missing at start-up or lost later is reopened with
 * a growing delay until `stop`.
 */
import { openSerialPort, closeSerialPort, type TtyStream } from '../../../serial/index.ts';
import { SourceConfigError, type SourceContext, type SourceOptions } from '../../source.ts';
import { CanDeviceError } from '../errors.ts';
import { createFrame, type CanFrame } from '../frame.ts';
import type { CanIngest } from '../ingest.ts';
import { LiveCanSource } from '../live-source.ts';
import { createIngest, resolveCanSetup, splitSpec } from '../options.ts';
import {
  parseSlcanLine,
  SlcanClock,
  SlcanLineSplitter,
  SLCAN_BITRATE_CODES,
  SLCAN_STATUS,
  type SlcanLine,
} from './protocol.ts';

/** Settings of an SLCAN source, from the options of its `--source` value. */
export interface SlcanSettings {
  /** CAN bit rate in bit/s. */
  readonly bitrate: number;
  /** Serial line speed in baud; USB adapters ignore it. */
  readonly baudRate: number;
  readonly isListenOnly: boolean;
  readonly wantsTimestamps: boolean;
  /** How long to wait for the adapter to acknowledge a command, in ms. */
  readonly replyTimeoutMs: number;
}

/** Opens a serial port; replaceable in tests. */
export type PortOpener = (path: string, options: { baudRate: number }) => Promise<TtyStream>;

const DEFAULT_BITRATE = 500_000;
const STATUS_POLL_MS = 1000;
/** Wait before the first reopen attempt; each failure doubles it up to the maximum. */
const FIRST_REOPEN_DELAY_MS = 1000;
const MAX_REOPEN_DELAY_MS = 8000;
/** A frame timestamp further than this from the receive time re-anchors the adapter clock. */
const MAX_CLOCK_SKEW_S = 0.5;

/**
 * Builds an SLCAN source from `PATH?bitrate=500000&baud=115200&mode=listen`
 * and `--dbc`. Throws `SourceConfigError` for an unsupported bit rate or a
 * missing DBC.
 */
export function createSlcanSource(spec: string, options: SourceOptions): LiveCanSource {
  const { path, query } = splitSpec(spec);
  if (path === '') throw new SourceConfigError('slcan needs a serial device, such as slcan:/dev/ttyACM0.');
  const setup = resolveCanSetup(query, options);
  const bitrate = Number(query.get('bitrate') ?? setup.bundledBitrate ?? DEFAULT_BITRATE);
  if (!SLCAN_BITRATE_CODES.has(bitrate)) {
    throw new SourceConfigError(
      `SLCAN bit rate ${query.get('bitrate')} is not supported; use one of ${[...SLCAN_BITRATE_CODES.keys()].join(', ')}.`,
    );
  }
  const settings: SlcanSettings = {
    bitrate,
    baudRate: Number(query.get('baud') ?? 115200),
    isListenOnly: query.get('mode') === 'listen',
    wantsTimestamps: query.get('timestamps') !== 'off',
    replyTimeoutMs: Number(query.get('replyTimeoutMs') ?? 300),
  };
  const { ingest, warnings } = createIngest(setup);
  return new SlcanSource(`slcan:${spec}`, path, ingest, settings, openSerialPort, warnings);
}

/** An SLCAN adapter as a source of samples. */
export class SlcanSource extends LiveCanSource {
  private stream: TtyStream | null = null;
  private readonly splitter = new SlcanLineSplitter();
  private readonly frame: CanFrame = createFrame();
  private readonly adapterClock = new SlcanClock();
  private clockAnchorS = Number.NaN;
  private pendingReply: ((line: SlcanLine | null) => void) | null = null;
  private isAcknowledging = true;
  private isStopping = false;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private version = '';
  private statusFlags = 0;
  private unexpectedLines = 0;
  private adapterErrors = 0;
  private failedReopens = 0;

  constructor(
    id: string,
    private readonly path: string,
    ingest: CanIngest,
    private readonly settings: SlcanSettings,
    private readonly open: PortOpener = openSerialPort,
    warnings: readonly string[] = [],
  ) {
    super(id, ingest, warnings);
  }

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.logWarnings();
    this.isStopping = false;
    try {
      await this.connect();
    } catch (error) {
      // An adapter that replied with an error is set up wrongly and will
      // reply the same again. A port that did not open may yet appear.
      if (error instanceof CanDeviceError) this.setState('failed', describeOpenError(this.path, error));
      else this.scheduleReopen(describeOpenError(this.path, error));
    }
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    const stream = this.stream;
    this.stream = null;
    if (stream) {
      if (stream.isOpen) stream.write('C\r');
      await closeSerialPort(stream);
    }
    if (this.state !== 'failed') this.setState('stopped', '');
  }

  protected transportExtra(): Record<string, unknown> {
    return {
      adapterVersion: this.version || undefined,
      bitrate: this.settings.bitrate,
      isAcknowledging: this.isAcknowledging,
      statusFlags: this.statusFlags,
      adapterErrors: this.adapterErrors,
      unexpectedLines: this.unexpectedLines,
    };
  }

  private async connect(): Promise<void> {
    const stream = await this.open(this.path, { baudRate: this.settings.baudRate });
    this.stream = stream;
    stream.on('data', (chunk: Uint8Array) => this.onData(chunk));
    stream.on('error', () => {});
    stream.on('close', () => this.onClose(stream));
    try {
      await this.handshake();
    } catch (error) {
      this.stream = null;
      await closeSerialPort(stream);
      throw error;
    }
    this.failedReopens = 0;
    this.setState('live', `${this.settings.bitrate} bit/s${this.isAcknowledging ? '' : ', adapter sends no acknowledgements'}`);
    this.schedule(() => this.pollStatus(), STATUS_POLL_MS);
  }

  // Close first: an adapter left open by an earlier run rejects S commands.
  private async handshake(): Promise<void> {
    this.isAcknowledging = true;
    const closeReply = await this.command('C');
    if (closeReply === null) this.isAcknowledging = false;

    const bitrateCode = SLCAN_BITRATE_CODES.get(this.settings.bitrate)!;
    if ((await this.command(bitrateCode))?.kind === 'error') {
      throw new CanDeviceError(`the adapter rejected ${bitrateCode} (${this.settings.bitrate} bit/s)`);
    }
    if (this.settings.wantsTimestamps) await this.command('Z1');
    const version = await this.command('V');
    if (version?.kind === 'version') this.version = `hardware ${version.hardware}, software ${version.software}`;

    const openCommand = this.settings.isListenOnly ? 'L' : 'O';
    if ((await this.command(openCommand))?.kind === 'error') {
      throw new CanDeviceError(`the adapter rejected ${openCommand} (open channel)`);
    }
  }

  /** Sends a command and waits for its reply; null when the adapter does not acknowledge. */
  private command(text: string): Promise<SlcanLine | null> {
    this.stream?.write(`${text}\r`);
    if (!this.isAcknowledging) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingReply = null;
        resolve(null);
      }, this.settings.replyTimeoutMs);
      this.pendingReply = (line) => {
        clearTimeout(timer);
        this.pendingReply = null;
        resolve(line);
      };
    });
  }

  private onData(chunk: Uint8Array): void {
    for (const text of this.splitter.push(chunk)) {
      const line = parseSlcanLine(text, this.frame);
      if (line.kind === 'frame') {
        this.deliver(this.frame, this.sessionTime(this.frame.timeS));
        continue;
      }
      this.onReply(line);
    }
    this.flush();
  }

  private onReply(line: SlcanLine): void {
    if (line.kind === 'other') {
      this.unexpectedLines++;
      return;
    }
    if (line.kind === 'status') this.recordStatus(line.flags);
    if (line.kind === 'error') this.adapterErrors++;
    this.pendingReply?.(line);
  }

  private recordStatus(flags: number): void {
    this.statusFlags = flags;
    if ((flags & SLCAN_STATUS.busError) !== 0) this.ingest.health.recordError(0);
  }

  // Stamps frames with the adapter clock when it sends timestamps, anchored
  // to the session clock so that frames of one chunk keep their spacing.
  private sessionTime(stampMs: number): number {
    const receivedS = this.context?.clock.nowS() ?? 0;
    if (Number.isNaN(stampMs)) return receivedS;
    const adapterS = this.adapterClock.unwrap(stampMs);
    if (Number.isNaN(this.clockAnchorS) || Math.abs(adapterS + this.clockAnchorS - receivedS) > MAX_CLOCK_SKEW_S) {
      this.clockAnchorS = receivedS - adapterS;
    }
    return adapterS + this.clockAnchorS;
  }

  private async pollStatus(): Promise<void> {
    if (this.isStopping || this.state !== 'live') return;
    if (this.isAcknowledging && this.pendingReply === null) await this.command('F');
    this.schedule(() => this.pollStatus(), STATUS_POLL_MS);
  }

  private onClose(stream: TtyStream): void {
    if (this.isStopping || this.stream !== stream) return;
    this.stream = null;
    this.scheduleReopen(`${this.path} closed`);
  }

  // The detail stays the same across attempts, so that retries do not
  // flood the event stream. The delay doubles up to its maximum.
  private scheduleReopen(reason: string): void {
    const delayMs = Math.min(FIRST_REOPEN_DELAY_MS * 2 ** this.failedReopens, MAX_REOPEN_DELAY_MS);
    this.failedReopens++;
    this.setState('reconnecting', `${reason}; trying again at least every ${MAX_REOPEN_DELAY_MS / 1000} s`);
    this.schedule(() => this.reopen(), delayMs);
  }

  private async reopen(): Promise<void> {
    if (this.isStopping) return;
    try {
      await this.connect();
    } catch (error) {
      this.scheduleReopen(describeOpenError(this.path, error));
    }
  }

  private schedule(action: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers = this.timers.filter((t) => t !== timer);
      action();
    }, delayMs);
    this.timers.push(timer);
  }
}

function describeOpenError(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return `${path} not found: is the adapter plugged in? (${message})`;
  if (code === 'EACCES') return `no permission to open ${path}: add the user to the dialout group (${message})`;
  return `cannot open SLCAN adapter ${path}: ${message}`;
}

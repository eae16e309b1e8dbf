/**
 * @module The OBD-II source: keeps an `ObdSession` running without
 * supervision. When the adapter is unplugged, the link drops, the ignition
 * is off or the ECU goes silent, it reports `reconnecting` and marks a
 * gap. It then connects again at the same path with exponential backoff,
 * so a `/dev/serial/by-id/` path finds the adapter again after replugging.
 */
import type { SourceStatus, SourceState, TroubleCode } from '../../protocol.ts';
import type { Source, SourceContext, SourceSnapshot } from '../source.ts';
import { closeSerialPort, type TtyStream } from '../../serial/index.ts';
import { ObdNoPidsError, ObdSession, type SessionHealth } from './obd-session.ts';
import { ElmResetDroppedLinkError } from './elm327.ts';
import { maskVin } from './diagnostics.ts';
import type { ObdSourceOptions } from './source-options.ts';
import { getLogger } from '../../log/logger.ts';

const log = getLogger('obd');

/** Backoff between reconnection attempts, in milliseconds. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/** Vehicle details shown by the API; `vin` is present only where the caller may see it. */
export interface VehicleInfo {
  readonly vin: string | null;
  readonly vinMasked: string | null;
  readonly protocol: string | null;
  readonly adapter: string | null;
  readonly ecus: readonly string[];
}

/** No live connection to the car, so the request cannot be served now. */
export class ObdNotConnectedError extends Error {
  override name = 'ObdNotConnectedError';
}

/** An OBD-II source over an ELM327 adapter. */
export class ObdSource implements Source {
  readonly kind = 'hardware' as const;
  private state: SourceState = 'stopped';
  private detail: string | undefined;
  private samplesReceived = 0;
  /** Connection attempts after the first, successful or not. */
  private reconnectAttempts = 0;
  /** Attempts after the first that went live. */
  private reconnections = 0;
  private session: ObdSession | null = null;
  private context: SourceContext | null = null;
  private isStopping = false;
  private loop: Promise<void> | null = null;
  private codes: TroubleCode[] = [];
  private vin: string | null = null;
  private wake: (() => void) | null = null;
  /** Stream of a connection still starting up, closed by `stop` to abort it. */
  private connecting: TtyStream | null = null;
  /** Reset used at connect; becomes `atd` after a clone dropped the link on ATZ. */
  private reset: ObdSourceOptions['reset'];

  constructor(
    readonly id: string,
    readonly options: ObdSourceOptions,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {
    this.reset = options.reset;
  }

  /** Starts connecting; resolves after the first attempt has either gone live or failed. */
  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.isStopping = false;
    let firstAttempt: () => void = () => {};
    const settled = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.loop = this.superviseLoop(firstAttempt).catch((error: unknown) => {
      // Every expected failure is handled inside the loop; this keeps a bug from crashing the monitor.
      log.error('OBD-II source stopped by an unexpected error', { source: this.id, error });
      this.setState('failed', `internal error: ${String(error)}`);
      firstAttempt();
    });
    await settled;
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    this.wake?.();
    if (this.connecting !== null) await closeSerialPort(this.connecting);
    await this.session?.close();
    await this.loop;
    this.setState('stopped', undefined);
  }

  status(): SourceStatus {
    const nowS = this.context?.clock.nowS() ?? 0;
    return {
      id: this.id,
      kind: this.kind,
      state: this.state,
      ...(this.detail === undefined ? {} : { detail: this.detail }),
      samplesReceived: this.samplesReceived,
      extra: {
        reconnectAttempts: this.reconnectAttempts,
        reconnections: this.reconnections,
        path: this.options.path,
        ...(this.session === null ? {} : this.session.describe(nowS)),
        ...(this.vin === null ? {} : { vin: maskVin(this.vin) }),
      },
    };
  }

  snapshot(): SourceSnapshot {
    return { codes: this.codes };
  }

  /** Returns the trouble codes, read fresh when the car is connected, else the last read. */
  async readCodes(): Promise<{ codes: TroubleCode[]; isFresh: boolean }> {
    if (this.session === null) return { codes: this.codes, isFresh: false };
    this.updateCodes(await this.session.readCodes());
    return { codes: this.codes, isFresh: true };
  }

  /** Clears the codes in every ECU (mode 04), then reads them again. Throws when not connected. */
  async clearCodes(): Promise<{ isConfirmed: boolean; codes: TroubleCode[] }> {
    const session = this.session;
    if (session === null) {
      throw new ObdNotConnectedError(`${this.id} is ${this.state}; clear codes once it is live.`);
    }
    const isConfirmed = await session.clearCodes();
    this.context?.onEvent('codes', `trouble codes cleared on request (confirmed: ${isConfirmed})`);
    this.updateCodes(await session.readCodes());
    return { isConfirmed, codes: this.codes };
  }

  /** Returns the vehicle details; the full VIN only when `revealVin` is true. */
  vehicleInfo(revealVin: boolean): VehicleInfo {
    const described = this.session?.describe(this.context?.clock.nowS() ?? 0);
    return {
      vin: revealVin ? this.vin : null,
      vinMasked: this.vin === null ? null : maskVin(this.vin),
      protocol: (described?.protocol as string | undefined) ?? null,
      adapter: (described?.adapter as string | undefined) ?? null,
      ecus: (described?.ecus as string[] | undefined) ?? [],
    };
  }

  private async superviseLoop(firstAttempt: () => void): Promise<void> {
    let delayMs = this.backoff.initialMs;
    this.setState('starting', `opening ${this.options.path}`);

    while (!this.isStopping) {
      const wentLive = await this.runOneSession(firstAttempt);
      if (this.isStopping || this.state === 'failed') return;
      if (wentLive) delayMs = this.backoff.initialMs;

      this.reconnectAttempts++;
      await this.sleep(delayMs);
      delayMs = Math.min(this.backoff.maxMs, delayMs * 2);
    }
  }

  /** Connects and polls until failure; returns whether the session went live. */
  private async runOneSession(firstAttempt: () => void): Promise<boolean> {
    const context = this.context!;
    let wentLive = false;
    try {
      const options = { ...this.options, reset: this.reset };
      // A retry allows the long protocol search only once the adapter shows it searches.
      const searchWait = this.reconnectAttempts > 0 ? 'when-searching' : 'full';
      const onOpen = (stream: TtyStream) => (this.connecting = stream);
      this.session = await ObdSession.connect(options, onOpen, searchWait);
      this.connecting = null;
      if (this.isStopping) return false;
      await this.afterConnect(this.session);
      wentLive = true;
      if (this.reconnectAttempts > 0) this.reconnections++;
      const liveDetail = `${this.session.vehicle.protocol.name} via ${this.session.adapter.identity}`;
      this.setState('live', liveDetail);
      log.info('OBD-II source live', {
        source: this.id,
        adapter: this.session.adapter.identity,
        baudRate: this.session.baudRate,
        protocol: this.session.vehicle.protocol.name,
        pids: this.session.polledPids.length,
      });
      firstAttempt();

      await this.session.run({
        nowS: () => context.clock.nowS(),
        onSamples: (batch) => {
          this.samplesReceived += batch.length;
          context.sink(batch);
        },
        onCodes: (codes) => this.updateCodes(codes),
        onHealth: (health) => this.reportHealth(health, liveDetail),
      });
    } catch (error) {
      if (this.isStopping) return wentLive;
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      if (wentLive) context.onEvent('gap', `OBD-II data stopped: ${reason}`);
      if (error instanceof ElmResetDroppedLinkError) this.reset = 'atd';
      if ((error as NodeJS.ErrnoException).code === 'EACCES') {
        // Keeps retrying: the owner may fix the permission while the monitor runs.
        const fix = 'add this user to the dialout group';
        this.setState('reconnecting', `Permission denied on ${this.options.path}; ${fix}; retrying`);
        const attempt = this.reconnectAttempts + 1;
        log.error('OBD-II adapter not accessible', { source: this.id, reason, attempt });
      } else if (error instanceof ObdNoPidsError) {
        this.setState('failed', reason);
        log.error('OBD-II source failed', { source: this.id, reason });
      } else {
        this.setState('reconnecting', `${reason}; retrying`);
        const attempt = this.reconnectAttempts + 1;
        log.warn('OBD-II source reconnecting', { source: this.id, reason, attempt });
      }
      firstAttempt();
    } finally {
      // Also settles start() when stop() aborted the first attempt.
      firstAttempt();
      this.connecting = null;
      await this.session?.close();
      this.session = null;
    }
    return wentLive;
  }

  private async afterConnect(session: ObdSession): Promise<void> {
    this.updateCodes(await session.readCodes());
    this.vin = (await session.readVin()) ?? this.vin;
  }

  /**
   * Keeps the state honest while the adapter answers: `stalled` when no
   * value arrives at all, and `live` naming the fast PIDs that went silent.
   */
  private reportHealth(health: SessionHealth, liveDetail: string): void {
    let state: SourceState = 'live';
    let detail = liveDetail;
    if (health.isStalled) {
      state = 'stalled';
      detail = `${liveDetail}; the adapter answers but no value arrived for ${health.afterS} s`;
    } else if (health.silentFastPids.length > 0) {
      const pids = health.silentFastPids.join(', ');
      detail = `${liveDetail}; no value for ${health.afterS} s or more from PIDs ${pids}`;
    }
    if (state === this.state && detail === this.detail) return;

    if (state !== this.state) log.warn(`OBD-II source ${state}`, { source: this.id, detail });
    this.setState(state, detail);
  }

  private updateCodes(codes: TroubleCode[]): void {
    const before = this.codes.map((c) => `${c.kind}:${c.ecu}:${c.code}`).join(',');
    const after = codes.map((c) => `${c.kind}:${c.ecu}:${c.code}`).join(',');
    this.codes = codes;
    if (before !== after) {
      const listed = codes.map((c) => `${c.code} (${c.kind})`).join(', ') || 'none';
      this.context?.onEvent('codes', `trouble codes: ${listed}`);
    }
  }

  private setState(state: SourceState, detail: string | undefined): void {
    this.state = state;
    this.detail = detail;
    this.context?.onStatus(this.status());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

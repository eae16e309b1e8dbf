/**
 * @module A CAN source reading a Linux SocketCAN interface
 * (`socketcan:can0`) through the `socketcan` addon, reopened every second
 * while the interface is down. The addon is loaded only when such a source
 * starts, so the monitor runs where it was not built. Everything above the
 * raw frame is shared with SLCAN and capture replay and is tested with
 * replayed frames.
 */
import { SourceConfigError, type SourceContext, type SourceOptions } from '../../source.ts';
import { createFrame, setDataFrame, type CanFrame } from '../frame.ts';
import type { CanIngest } from '../ingest.ts';
import { LiveCanSource } from '../live-source.ts';
import { createIngest, resolveCanSetup, splitSpec } from '../options.ts';
import { diagnoseSocketCan } from './probe.ts';

/** A frame as the addon's `onMessage` listener receives it. */
export interface AddonMessage {
  readonly id: number;
  readonly ext?: boolean;
  readonly rtr?: boolean;
  readonly err?: boolean;
  readonly data: Uint8Array;
  readonly ts_sec?: number;
  readonly ts_usec?: number;
}

/** The part of the addon's `RawChannel` the source uses. */
export interface RawChannel {
  /** `onMessage` listeners receive each frame; `onStopped` ones get no argument. */
  addListener(event: 'onMessage' | 'onStopped', listener: (message: AddonMessage) => void): void;
  start(): void;
  stop(): void;
}

/** Function that opens a raw channel on an interface and throws when it cannot. */
export type ChannelOpener = (interfaceName: string) => RawChannel;

/** Opens a channel with the `socketcan` addon (without kernel timestamps). */
export function openAddonChannel(interfaceName: string): RawChannel {
  // The addon itself, not the package's entry point, which also loads an
  // XML parser for KCD files that the monitor does not use. A literal
  // `require` lets `bun build --compile` embed the addon.
  const addon = require('socketcan/build/Release/can.node') as {
    RawChannel: new (name: string, timestamps: boolean, protocol: number, nonBlockingSend: boolean) => RawChannel;
  };
  return new addon.RawChannel(interfaceName, false, 1, false);
}

const INTERFACE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;
const REOPEN_DELAY_MS = 1000;

/** Builds a SocketCAN source from `can0` and `--dbc`. */
export function createSocketCanSource(spec: string, options: SourceOptions): SocketCanSource {
  const { path, query } = splitSpec(spec);
  if (!INTERFACE_NAME.test(path)) {
    throw new SourceConfigError(`"${path}" is not a network interface name; use e.g. socketcan:can0.`);
  }
  const setup = resolveCanSetup(query, options);
  const { ingest, warnings } = createIngest(setup);
  return new SocketCanSource(`socketcan:${spec}`, path, ingest, openAddonChannel, warnings);
}

/** A SocketCAN interface as a source of samples. */
export class SocketCanSource extends LiveCanSource {
  private channel: RawChannel | null = null;
  private readonly frame: CanFrame = createFrame();
  private isStopping = false;
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    id: string,
    readonly interfaceName: string,
    ingest: CanIngest,
    private readonly openChannel: ChannelOpener = openAddonChannel,
    warnings: readonly string[] = [],
  ) {
    super(id, ingest, warnings);
  }

  async start(context: SourceContext): Promise<void> {
    this.context = context;
    this.logWarnings();
    this.isStopping = false;
    try {
      this.open();
    } catch (error) {
      // TODO: retry, as the SLCAN source does, when the kernel has CAN but the interface is not up yet.
      this.setState('failed', this.describeFailure(error));
    }
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    if (this.reopenTimer !== null) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    const channel = this.channel;
    this.channel = null;
    channel?.stop();
    if (this.state !== 'failed') this.setState('stopped', '');
  }

  private open(): void {
    const channel = this.openChannel(this.interfaceName);
    channel.addListener('onMessage', (message) => this.onMessage(message));
    channel.addListener('onStopped', () => this.onStopped(channel));
    channel.start();
    this.channel = channel;
    this.setState('live', this.interfaceName);
  }

  protected transportExtra(): Record<string, unknown> {
    return { interface: this.interfaceName };
  }

  /** Decodes one message from the addon; public for tests that replay frames through it. */
  onMessage(message: AddonMessage): void {
    const frame = this.frame;
    const length = Math.min(message.data.length, frame.data.length);
    setDataFrame(frame, 0, message.id, message.ext === true, length);
    frame.data.set(message.data.subarray(0, length));
    frame.isRemote = message.rtr === true;
    if (message.err === true) {
      frame.isError = true;
      frame.errorClass = message.id;
    }
    this.deliver(frame, this.context?.clock.nowS() ?? 0);
    this.flush();
  }

  // An interface that goes down (adapter unplugged, `ip link set down`)
  // stops the channel; it is reopened every second until `stop`.
  private onStopped(channel: RawChannel): void {
    if (this.isStopping || this.channel !== channel) return;
    this.channel = null;
    this.setState('reconnecting', `${this.interfaceName} stopped delivering frames; reopening every ${REOPEN_DELAY_MS / 1000} s`);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (this.isStopping) return;
      try {
        this.open();
      } catch {
        this.scheduleReopen();
      }
    }, REOPEN_DELAY_MS);
  }

  private describeFailure(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    let reason: string | null = null;
    try {
      reason = diagnoseSocketCan(this.interfaceName);
    } catch {
      reason = null;
    }
    return `cannot open ${this.interfaceName}: ${reason ?? message}`;
  }
}

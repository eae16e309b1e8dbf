/**
 * @module ELM327 driver: initialises genuine chips and clones, finds the
 * vehicle's protocol and supported PIDs, and sends mode 01, 03, 04, 07 and
 * 09 requests. Replies go through `parseElmResponse`; decoding is in
 * `pids.ts` and `diagnostics.ts`.
 */
import { ElmLinkClosedError, type ElmLink } from './elm-link.ts';
import type { ElmErrorSpec } from './elm-errors.ts';
import { parseElmResponse, type EcuMessage, type ParsedResponse } from './elm-response.ts';
import {
  GATED_FEATURES,
  protocolFromDpn,
  versionFromIdentity,
  type ElmProtocol,
  type GatedFeature,
} from './elm-tables.ts';
import { decodeSupportedPids } from './diagnostics.ts';
import { pidHex } from './pids.ts';

/** Reset command sent at start-up. `atz` is a full reset, which drops some Bluetooth clones. */
export type ResetMode = 'atz' | 'atws' | 'atd' | 'none';

/** Timeouts of the driver, in milliseconds. */
export interface ElmTiming {
  readonly commandMs: number;
  readonly resetMs: number;
  /** The first request after ATSP0, during which the adapter tries each protocol. */
  readonly searchMs: number;
}

export const DEFAULT_TIMING: ElmTiming = { commandMs: 2000, resetMs: 3000, searchMs: 20000 };

/** What an ELM327 prints when it starts a protocol search or a K-line bus initialisation. */
const SEARCH_SIGN = /SEARCHING|BUS INIT/i;

/**
 * How long the first request after selecting a protocol may take: `full`
 * always allows a protocol search; `when-searching` allows it only once
 * the adapter prints that it searches, and else a normal command's time,
 * so that a hung adapter is found within seconds during recovery.
 */
export type SearchWait = 'full' | 'when-searching';

/** Adapter details found by initialisation. */
export interface AdapterInfo {
  readonly identity: string;
  readonly version: number | null;
  /** True when the adapter kept echoing after ATE0 (a clone quirk the parser tolerates). */
  readonly isEchoStuck: boolean;
  /** Features of `GATED_FEATURES` and whether the adapter accepted them. */
  readonly features: Record<keyof typeof GATED_FEATURES, boolean>;
}

/** The vehicle side found by `connectVehicle`. */
export interface VehicleLink {
  readonly protocol: ElmProtocol;
  readonly isAutomatic: boolean;
  /** PIDs each ECU reports as supported, by ECU header. */
  readonly supportedByEcu: ReadonlyMap<string, ReadonlySet<number>>;
}

/** No ECU responded (ignition off, or wrong protocol); the text is the adapter's error. */
export class ElmNoVehicleError extends Error {
  override name = 'ElmNoVehicleError';
}

/** The link dropped during ATZ, as some Bluetooth clones do; retry with ATD. */
export class ElmResetDroppedLinkError extends Error {
  override name = 'ElmResetDroppedLinkError';
}

/** The adapter failed initialisation; names the command and its reply. */
export class ElmInitError extends Error {
  override name = 'ElmInitError';
}

/** Drives one ELM327 over an `ElmLink`. */
export class Elm327 {
  private protocol: ElmProtocol | null = null;
  adapter: AdapterInfo | null = null;

  constructor(
    readonly link: ElmLink,
    readonly timing: ElmTiming = DEFAULT_TIMING,
  ) {}

  /** Resets and configures the adapter: echo, linefeeds and spaces off, headers on. */
  async initialise(reset: ResetMode): Promise<AdapterInfo> {
    await this.reset(reset);
    await this.expectOk('ATE0');
    const identityReply = await this.link.request('ATI', this.timing.commandMs);
    const isEchoStuck = /(^|[\r\n])\s*ATI\s*([\r\n]|$)/i.test(identityReply);
    const identity = meaningfulLines(identityReply, 'ATI').join(' ') || 'unknown adapter';
    const version = versionFromIdentity(identity);

    await this.expectOk('ATL0');
    await this.expectOk('ATH1');
    const spacesOff = await this.tryGated(GATED_FEATURES.spacesOff, version);
    const adaptiveTiming = await this.tryGated(GATED_FEATURES.adaptiveTiming, version);

    this.adapter = {
      identity,
      version,
      isEchoStuck,
      features: {
        spacesOff,
        adaptiveTiming,
        responseCount: false,
      },
    };
    return this.adapter;
  }

  /**
   * Selects `protocol` (`0` = automatic search), wakes the ECUs with 0100,
   * reads the protocol chosen, probes the response-count suffix and
   * discovers the supported PIDs. Throws `ElmNoVehicleError` when no ECU
   * responds, `ElmTimeoutError` when the adapter does not answer in time.
   */
  async connectVehicle(protocol = '0', searchWait: SearchWait = 'full'): Promise<VehicleLink> {
    await this.expectOk(`ATSP${protocol}`);
    const firstReply =
      searchWait === 'full'
        ? await this.link.request('0100', this.timing.searchMs)
        : await this.link.request('0100', this.timing.commandMs, {
            totalMs: this.timing.searchMs,
            when: SEARCH_SIGN,
          });
    const dpn = meaningfulLines(await this.link.request('ATDPN', this.timing.commandMs), 'ATDPN');
    const found = protocolFromDpn(dpn[0] ?? '');
    if (found === null) {
      throw new ElmNoVehicleError(describeFailure('0100', firstReply) || `ATDPN returned ${dpn[0]}`);
    }
    this.protocol = found.protocol;

    const parsed = this.parse(firstReply, '0100');
    if (!parsed.messages.some((m) => m.data[0] === 0x41 && m.data[1] === 0x00)) {
      throw new ElmNoVehicleError(describeFailure('0100', firstReply) || 'no reply to 0100');
    }

    if (this.adapter !== null && found.protocol.isCan) {
      this.adapter.features.responseCount = await this.probeResponseCount();
    }
    const supportedByEcu = await this.discoverSupportedPids(parsed.messages);
    return { protocol: found.protocol, isAutomatic: found.isAutomatic, supportedByEcu };
  }

  /** Sends one request (such as `010C0B`, with an optional count digit) and parses its reply. */
  async query(command: string, timeoutMs = this.timing.commandMs): Promise<ParsedResponse> {
    const reply = await this.link.request(command, timeoutMs);
    return this.parse(reply, command);
  }

  /** Parses a reply with the header format of the current protocol. */
  parse(reply: string, command: string): ParsedResponse {
    return parseElmResponse(reply, command, this.protocol?.headers ?? 'none');
  }

  /** The protocol found by `connectVehicle`, or null before. */
  get currentProtocol(): ElmProtocol | null {
    return this.protocol;
  }

  /** Reads the adapter's supply voltage with ATRV (the car's battery), or null. */
  async readAdapterVoltage(): Promise<number | null> {
    const lines = meaningfulLines(await this.link.request('ATRV', this.timing.commandMs), 'ATRV');
    const match = /^(\d+(?:\.\d+)?)V$/i.exec(lines[0] ?? '');
    return match === null ? null : Number(match[1]);
  }

  private async reset(mode: ResetMode): Promise<void> {
    // A byte first aborts whatever the adapter was doing; its reply is discarded.
    this.link.writeRaw(' ');
    if (mode === 'none') return;
    const command = { atz: 'ATZ', atws: 'ATWS', atd: 'ATD' }[mode];
    const timeout = mode === 'atd' ? this.timing.commandMs : this.timing.resetMs;
    try {
      await this.link.request(command, timeout);
    } catch (error) {
      if (!(error instanceof ElmLinkClosedError) || mode !== 'atz') throw error;
      throw new ElmResetDroppedLinkError('The adapter dropped the link on ATZ; later attempts use ATD.');
    }
  }

  private async expectOk(command: string): Promise<void> {
    const reply = await this.link.request(command, this.timing.commandMs);
    if (/(^|[\r\n\s])OK([\r\n\s]|$)/i.test(reply)) return;
    throw new ElmInitError(
      `The adapter rejected ${command} (reply ${JSON.stringify(reply.trim())}); ` +
        'check that it is an ELM327 and that the baud rate is right.',
    );
  }

  /** Sends a gated command when the version claims it; `?` marks it missing (clones lie). */
  private async tryGated(feature: GatedFeature, version: number | null): Promise<boolean> {
    if (version !== null && version < feature.minVersion) return false;
    const reply = await this.link.request(feature.command, this.timing.commandMs);
    return /(^|[\r\n\s])OK([\r\n\s]|$)/i.test(reply);
  }

  private async probeResponseCount(): Promise<boolean> {
    const version = this.adapter?.version ?? null;
    if (version !== null && version < GATED_FEATURES.responseCount.minVersion) return false;
    const parsed = await this.query('01001');
    return parsed.error === null && parsed.messages.some((m) => m.data[0] === 0x41 && m.data[1] === 0);
  }

  private async discoverSupportedPids(first: EcuMessage[]): Promise<Map<string, Set<number>>> {
    const byEcu = new Map<string, Set<number>>();
    addBitmaps(byEcu, first, 0x00);

    for (let base = 0x20; base <= 0xe0; base += 0x20) {
      const anyEcuHasBase = [...byEcu.values()].some((pids) => pids.has(base));
      if (!anyEcuHasBase) break;
      const parsed = await this.query(`01${pidHex(base)}`);
      addBitmaps(byEcu, parsed.messages, base);
    }
    return byEcu;
  }
}

function addBitmaps(byEcu: Map<string, Set<number>>, messages: EcuMessage[], base: number): void {
  for (const { ecu, data } of messages) {
    if (data[0] !== 0x41 || data[1] !== base || data.length < 6) continue;
    const pids = byEcu.get(ecu) ?? new Set<number>();
    for (const pid of decodeSupportedPids(base, data.subarray(2, 6))) pids.add(pid);
    byEcu.set(ecu, pids);
  }
}

/** Returns the lines of a reply other than its echo, blanks and progress dots. */
export function meaningfulLines(reply: string, command: string): string[] {
  const echo = command.replace(/\s/g, '').toUpperCase();
  return reply
    .split(/[\r\n]+/)
    .map((line) => line.replace(/[>\0]/g, '').trim())
    .filter((line) => line !== '' && !/^\.+$/.test(line))
    .filter((line) => line.replace(/\s/g, '').toUpperCase() !== echo);
}

function describeFailure(command: string, reply: string): string {
  const error: ElmErrorSpec | null = parseElmResponse(reply, command, 'none').error;
  return error === null ? '' : `${error.text}: ${error.meaning}`;
}

/**
 * @module The path every CAN input shares: frame, DBC decoder, signal
 * routes, canonical samples, plus bus health. SocketCAN, SLCAN and capture
 * replay differ only in where frames come from and which clock stamps them.
 */
import { channelSpec, type ChannelId } from '../../domain/channels.ts';
import type { Sample } from '../../domain/sample.ts';
import {
  DEFAULT_CONVERSION,
  toCanonical,
  type ConversionContext,
} from '../../domain/units.ts';
import type { SourceSnapshot } from '../source.ts';
import { BusHealth, type BusHealthSnapshot } from './bus-health.ts';
import type { CompiledMessage } from './dbc/compiled-message.ts';
import type { DbcDecoder } from './dbc/decoder.ts';
import { messageKey } from './dbc/types.ts';
import type { CanFrame } from './frame.ts';
import { routesForMessage, type SignalMapping } from './mapping.ts';

/**
 * A signal route with its unit conversion folded into one linear step,
 * `canonical = physical * gain + bias`: every conversion of `units.ts` is
 * linear once the stoichiometric AFR and barometric pressure are fixed.
 */
interface CompiledRoute {
  readonly signalIndex: number;
  readonly channel: ChannelId;
  readonly gain: number;
  readonly bias: number;
  readonly min: number;
  readonly max: number;
}

/** Figures the ingest adds to bus health. */
export type CanIngestSnapshot = BusHealthSnapshot & {
  readonly decodedFrames: number;
  readonly unknownIdFrames: number;
  readonly wrongLengthFrames: number;
  /** Samples dropped because they were outside the channel's physical range. */
  readonly implausibleSamples: number;
  readonly mappedChannels: readonly ChannelId[];
};

/** Decodes frames into canonical samples and tracks bus health. */
export class CanIngest {
  readonly health: BusHealth;
  private readonly routes = new Map<CompiledMessage, CompiledRoute[]>();
  private readonly channelsByKey = new Map<number, ChannelId[]>();
  private pending: Sample[] = [];
  private implausibleSamples = 0;
  private samplesDelivered = 0;

  constructor(
    readonly decoder: DbcDecoder,
    mapping: SignalMapping | null,
    conversion: ConversionContext = DEFAULT_CONVERSION,
  ) {
    for (const compiled of decoder.messages()) {
      const message = compiled.message;
      const routes = routesForMessage(message, mapping).map((route) => {
        const { channel, unit, scale, offset } = route.target;
        const bias = toCanonical(offset, unit, channel, conversion);
        const gain = toCanonical(scale + offset, unit, channel, conversion) - bias;
        const spec = channelSpec(channel);
        return { signalIndex: route.signalIndex, channel, gain, bias, min: spec.physicalMin, max: spec.physicalMax };
      });
      if (routes.length === 0) continue;
      this.routes.set(compiled, routes);
      this.channelsByKey.set(messageKey(message.id, message.isExtended), routes.map((r) => r.channel));
    }
    this.health = new BusHealth(
      decoder.messages().map((c) => ({
        key: messageKey(c.message.id, c.message.isExtended),
        name: c.message.name,
        cycleS: c.message.cycleTimeMs === null ? null : c.message.cycleTimeMs / 1000,
      })),
    );
  }

  /** Canonical channels that at least one signal feeds. */
  mappedChannels(): ChannelId[] {
    return [...new Set([...this.channelsByKey.values()].flat())];
  }

  /** Decodes one frame stamped `timeS` on the session clock and queues its samples. */
  accept(frame: CanFrame, timeS: number): void {
    if (frame.isError) {
      this.health.recordError(frame.errorClass);
      return;
    }
    this.health.recordFrame(frame.isExtended ? messageKey(frame.id, true) : frame.id, timeS);
    if (frame.isRemote) return;

    const compiled = this.decoder.decode(frame.id, frame.isExtended, frame.data, frame.length);
    if (compiled === undefined) return;
    const routes = this.routes.get(compiled);
    if (routes === undefined) return;

    for (let r = 0; r < routes.length; r++) {
      const route = routes[r];
      if (compiled.isPresent[route.signalIndex] === 0) continue;
      const value = compiled.values[route.signalIndex] * route.gain + route.bias;
      if (!(value >= route.min && value <= route.max)) {
        this.implausibleSamples++;
        continue;
      }
      this.pending.push({ channel: route.channel, value, timeS });
    }
  }

  /** Returns the samples queued since the last call and starts a new batch. */
  takeSamples(): Sample[] {
    const batch = this.pending;
    this.pending = [];
    this.samplesDelivered += batch.length;
    return batch;
  }

  /** Number of samples handed out by `takeSamples` so far. */
  samplesTaken(): number {
    return this.samplesDelivered;
  }

  /** Returns bus and decoder figures at session time `nowS`. */
  figures(nowS: number): CanIngestSnapshot {
    const counters = this.decoder.counters;
    return {
      ...this.health.snapshot(nowS),
      decodedFrames: counters.decodedFrames,
      unknownIdFrames: counters.unknownIdFrames,
      wrongLengthFrames: counters.wrongLengthFrames,
      implausibleSamples: this.implausibleSamples,
      mappedChannels: this.mappedChannels(),
    };
  }

  /** Returns the per-tick snapshot: bus figures and the channels of overdue messages. */
  snapshot(nowS: number): SourceSnapshot {
    const stale = new Set<ChannelId>();
    for (const key of this.health.overdueKeys(nowS)) {
      for (const channel of this.channelsByKey.get(key) ?? []) stale.add(channel);
    }
    return { bus: this.figures(nowS), staleChannels: [...stale] };
  }
}

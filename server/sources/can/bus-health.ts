/**
 * @module Bus health of a CAN source: frames per second per id, messages
 * overdue against their DBC cycle time, error frames and bus-off.
 */
import { CAN_ERROR_BUS_OFF } from './frame.ts';

/**
 * A message counts as overdue after this many cycle times without a frame:
 * one late or lost frame is normal on a loaded bus, three in a row are not.
 */
export const OVERDUE_CYCLES = 3;

/** Frames per second are counted over windows of this length, in seconds. */
const RATE_WINDOW_S = 1;

/** A message the health tracker expects at a known period. */
export interface WatchedMessage {
  readonly key: number;
  readonly name: string;
  readonly cycleS: number | null;
}

interface IdStats {
  readonly label: string;
  readonly name: string;
  readonly cycleS: number | null;
  frames: number;
  windowFrames: number;
  perSecond: number;
  lastTimeS: number;
}

/** A message that missed its cycle, as reported in the snapshot. */
export type OverdueMessage = {
  readonly id: string;
  readonly name: string;
  /** Seconds since the last frame of the message. */
  readonly silentS: number;
  readonly cycleS: number;
};

/** Bus health figures for `/health`, the stream and `status.extra`. */
export type BusHealthSnapshot = {
  readonly frames: number;
  readonly framesPerSecond: number;
  readonly errorFrames: number;
  readonly busOffCount: number;
  readonly isBusOff: boolean;
  readonly overdueMessages: readonly OverdueMessage[];
  /** Frames per second by id (`0x1C4`, extended ids with 8 digits). */
  readonly idRates: Readonly<Record<string, { name: string; perSecond: number }>>;
};

/** Formats a CAN id the way candump does: 3 hex digits, or 8 for extended ids. */
export function formatCanId(id: number, isExtended: boolean): string {
  return '0x' + id.toString(16).toUpperCase().padStart(isExtended ? 8 : 3, '0');
}

/** Tracks per-id frame rates, cycle-time misses and bus errors. */
export class BusHealth {
  private readonly stats = new Map<number, IdStats>();
  private readonly watched: WatchedMessage[];
  private frames = 0;
  private windowStartS = Number.NaN;
  private windowFrames = 0;
  private framesPerSecond = 0;
  private errorFrames = 0;
  private busOffCount = 0;
  private isBusOff = false;
  private cachedRates: BusHealthSnapshot['idRates'] | null = null;

  constructor(watched: readonly WatchedMessage[]) {
    this.watched = [...watched];
    for (const message of watched) {
      this.stats.set(message.key, newStats(message.key, message.name, message.cycleS));
    }
  }

  /** Counts one data or remote frame with lookup key `key` (bit 31 for extended ids) at `timeS`. */
  recordFrame(key: number, timeS: number): void {
    // Roll first: the frame that closes a window belongs to the next one.
    this.rollWindow(timeS);
    let stats = this.stats.get(key);
    if (stats === undefined) {
      stats = newStats(key, '', null);
      this.stats.set(key, stats);
    }
    if (stats.frames === 0) this.cachedRates = null;
    stats.frames++;
    stats.windowFrames++;
    stats.lastTimeS = timeS;
    this.frames++;
    this.windowFrames++;
    this.isBusOff = false;
  }

  /** Counts an error frame with SocketCAN error class bits `errorClass`. */
  recordError(errorClass: number): void {
    this.errorFrames++;
    if ((errorClass & CAN_ERROR_BUS_OFF) !== 0) {
      this.busOffCount++;
      this.isBusOff = true;
    }
  }

  /** Marks the bus as off, as adapters report it in their status. */
  recordBusOff(): void {
    this.busOffCount++;
    this.isBusOff = true;
  }

  /** Returns the keys of watched messages that have gone silent for `OVERDUE_CYCLES` cycles. */
  overdueKeys(nowS: number): number[] {
    const keys: number[] = [];
    for (const message of this.watched) {
      const stats = this.stats.get(message.key)!;
      if (isOverdue(stats, nowS)) keys.push(message.key);
    }
    return keys;
  }

  /** Returns the figures at session time `nowS`. */
  snapshot(nowS: number): BusHealthSnapshot {
    const overdueMessages: OverdueMessage[] = [];
    for (const stats of this.stats.values()) {
      if (isOverdue(stats, nowS)) {
        overdueMessages.push({
          id: stats.label,
          name: stats.name,
          silentS: round3(nowS - stats.lastTimeS),
          cycleS: stats.cycleS!,
        });
      }
    }
    return {
      frames: this.frames,
      framesPerSecond: this.framesPerSecond,
      errorFrames: this.errorFrames,
      busOffCount: this.busOffCount,
      isBusOff: this.isBusOff,
      overdueMessages,
      idRates: this.idRates(),
    };
  }

  // Rates change only when a window closes, so the table is rebuilt then;
  // the pipeline requests a snapshot every tick.
  private idRates(): BusHealthSnapshot['idRates'] {
    if (this.cachedRates !== null) return this.cachedRates;
    const rates: Record<string, { name: string; perSecond: number }> = {};
    for (const stats of this.stats.values()) {
      if (stats.frames > 0) rates[stats.label] = { name: stats.name, perSecond: stats.perSecond };
    }
    this.cachedRates = rates;
    return rates;
  }

  private rollWindow(timeS: number): void {
    if (Number.isNaN(this.windowStartS) || timeS < this.windowStartS) {
      this.windowStartS = timeS;
      return;
    }
    const elapsedS = timeS - this.windowStartS;
    if (elapsedS < RATE_WINDOW_S) return;
    this.framesPerSecond = round3(this.windowFrames / elapsedS);
    for (const stats of this.stats.values()) {
      stats.perSecond = round3(stats.windowFrames / elapsedS);
      stats.windowFrames = 0;
    }
    this.windowFrames = 0;
    this.windowStartS = timeS;
    this.cachedRates = null;
  }
}

function newStats(key: number, name: string, cycleS: number | null): IdStats {
  const isExtended = key >= 0x80000000;
  const label = formatCanId(isExtended ? key - 0x80000000 : key, isExtended);
  return { label, name, cycleS, frames: 0, windowFrames: 0, perSecond: 0, lastTimeS: Number.NaN };
}

// A message never seen is not overdue: a DBC usually lists more messages
// than one car sends.
function isOverdue(stats: IdStats, nowS: number): boolean {
  if (stats.cycleS === null || stats.frames === 0) return false;
  return nowS - stats.lastTimeS > OVERDUE_CYCLES * stats.cycleS;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * @module Clone behaviours the emulator can switch on, parsed from a list
 * such as `echo,dots,slow,nodata=0C,atz-drop`.
 */

/** Quirks of cheap ELM327 clones and of older cars. */
export interface CloneQuirks {
  /** ATE0 returns OK but the adapter keeps echoing. */
  readonly echoStuck: boolean;
  /** Progress dots before data, as slow K-line ECUs cause. */
  readonly dots: boolean;
  /** Each OBD request takes `slowExtraMs` longer. */
  readonly slow: boolean;
  /** PIDs listed as supported that never get a value (NO DATA). */
  readonly noDataPids: ReadonlySet<number>;
  /** ATZ drops the link, as some Bluetooth clones do. */
  readonly atzDrops: boolean;
  /** Claims v1.5 but rejects ATS, ATAT and the response-count digit. */
  readonly fakeVersion: boolean;
  /** The car speaks ISO 9141-2 (K-line) with 3-byte headers. */
  readonly kline: boolean;
  /** The car speaks CAN with 29-bit identifiers. */
  readonly can29: boolean;
  /** ATH1 returns OK but headers stay off. */
  readonly noHeaders: boolean;
  /** A transmission ECU (7E9) responds beside the engine ECU. */
  readonly twoEcus: boolean;
}

export const NO_QUIRKS: CloneQuirks = {
  echoStuck: false,
  dots: false,
  slow: false,
  noDataPids: new Set(),
  atzDrops: false,
  fakeVersion: false,
  kline: false,
  can29: false,
  noHeaders: false,
  twoEcus: false,
};

const FLAG_NAMES: Readonly<Record<string, keyof CloneQuirks>> = {
  echo: 'echoStuck',
  dots: 'dots',
  slow: 'slow',
  'atz-drop': 'atzDrops',
  'fake-version': 'fakeVersion',
  kline: 'kline',
  can29: 'can29',
  'no-headers': 'noHeaders',
  'two-ecus': 'twoEcus',
};

/** Names accepted by `parseCloneQuirks`. */
export const QUIRK_NAMES: readonly string[] = [...Object.keys(FLAG_NAMES), 'nodata=PID[+PID...]'];

/** Parses a comma-separated quirk list; throws naming an unknown entry and the accepted names. */
export function parseCloneQuirks(list: string): CloneQuirks {
  const quirks: Record<string, unknown> = { ...NO_QUIRKS, noDataPids: new Set<number>() };
  for (const entry of list.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const noData = /^nodata=([0-9A-Fa-f]{2}(?:\+[0-9A-Fa-f]{2})*)$/.exec(entry);
    if (noData !== null) {
      const noDataPids = quirks.noDataPids as Set<number>;
      for (const pid of noData[1].split('+')) noDataPids.add(Number.parseInt(pid, 16));
      continue;
    }
    const key = FLAG_NAMES[entry];
    if (key === undefined) {
      const names = QUIRK_NAMES.join(', ');
      throw new Error(`Unknown clone quirk "${entry}"; use a comma-separated list of ${names}.`);
    }
    quirks[key] = true;
  }
  if (quirks.kline === true && quirks.can29 === true) {
    throw new Error('Clone quirks "kline" and "can29" exclude each other; pick one protocol.');
  }
  return quirks as unknown as CloneQuirks;
}

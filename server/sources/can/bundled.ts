/**
 * @module The DBC files and mappings that ship with the monitor, one per
 * aftermarket ECU broadcast. Each DBC is imported as a file, so it is
 * embedded in the compiled binary and read from there at run time.
 */
import { readFileSync } from 'node:fs';
import aemInfinityDbc from './dbc-files/aem-infinity.dbc' with { type: 'file' };
import aemInfinityMap from './dbc-files/aem-infinity.map.json';
import emuBlackDbc from './dbc-files/emu-black.dbc' with { type: 'file' };
import emuBlackMap from './dbc-files/emu-black.map.json';
import haltechDbc from './dbc-files/haltech-v2.dbc' with { type: 'file' };
import haltechMap from './dbc-files/haltech-v2.map.json';
import linkDashDbc from './dbc-files/link-generic-dash.dbc' with { type: 'file' };
import linkDashMap from './dbc-files/link-generic-dash.map.json';
import maxxecuDbc from './dbc-files/maxxecu.dbc' with { type: 'file' };
import maxxecuMap from './dbc-files/maxxecu.map.json';
import rusefiDbc from './dbc-files/rusefi-verbose.dbc' with { type: 'file' };
import rusefiMap from './dbc-files/rusefi-verbose.map.json';
import { parseDbc } from './dbc/parser.ts';
import type { DbcDatabase } from './dbc/types.ts';
import { parseMapping, type SignalMapping } from './mapping.ts';

/** A bundled ECU broadcast description. */
export interface BundledDbc {
  readonly name: string;
  readonly description: string;
  /** Usual bus bit rate of the broadcast, in bit/s. */
  readonly bitrate: number;
  readonly dbcPath: string;
  readonly mappingJson: unknown;
}

/** Bundled DBC files by the name given to `--dbc`. */
export const BUNDLED_DBCS: Readonly<Record<string, BundledDbc>> = {
  'haltech-v2': {
    name: 'haltech-v2',
    description: 'Haltech Elite/Nexus CAN broadcast v2.35',
    bitrate: 1_000_000,
    dbcPath: haltechDbc,
    mappingJson: haltechMap,
  },
  'emu-black': {
    name: 'emu-black',
    description: 'ECUMaster EMU Black CAN stream (base id 0x600)',
    bitrate: 500_000,
    dbcPath: emuBlackDbc,
    mappingJson: emuBlackMap,
  },
  maxxecu: {
    name: 'maxxecu',
    description: 'MaxxECU default CAN protocol (0x520-0x542)',
    bitrate: 500_000,
    dbcPath: maxxecuDbc,
    mappingJson: maxxecuMap,
  },
  'aem-infinity': {
    name: 'aem-infinity',
    description: 'AEM Infinity AEMnet broadcast (29-bit ids)',
    bitrate: 500_000,
    dbcPath: aemInfinityDbc,
    mappingJson: aemInfinityMap,
  },
  'rusefi-verbose': {
    name: 'rusefi-verbose',
    description: 'rusEFI verbose CAN broadcast (ids 512-520)',
    bitrate: 500_000,
    dbcPath: rusefiDbc,
    mappingJson: rusefiMap,
  },
  'link-generic-dash': {
    name: 'link-generic-dash',
    description: 'Link G4+/G4X Generic Dash stream (id 0x3E8, byte 0 index)',
    bitrate: 1_000_000,
    dbcPath: linkDashDbc,
    mappingJson: linkDashMap,
  },
};

/** Parses a bundled DBC and its mapping. */
export function loadBundled(bundled: BundledDbc): { database: DbcDatabase; mapping: SignalMapping } {
  const label = `${bundled.name}.dbc`;
  const database = parseDbc(readFileSync(bundled.dbcPath, 'latin1'), label);
  return { database, mapping: parseMapping(bundled.mappingJson, `${bundled.name}.map.json`) };
}

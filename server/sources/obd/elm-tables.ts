/**
 * @module Reference tables of the ELM327: its OBD protocol numbers, and
 * the AT commands that first appeared after v1.0 with what the driver
 * does when an adapter lacks them.
 */
import type { HeaderFormat } from './elm-response.ts';

/** One OBD protocol as numbered by `ATSP` and `ATDPN`. */
export interface ElmProtocol {
  readonly number: string;
  readonly name: string;
  readonly headers: HeaderFormat;
  readonly isCan: boolean;
}

// prettier-ignore
export const ELM_PROTOCOLS: readonly ElmProtocol[] = [
  { number: '1', name: 'SAE J1850 PWM (41.6 kbaud)', headers: 'legacy', isCan: false },
  { number: '2', name: 'SAE J1850 VPW (10.4 kbaud)', headers: 'legacy', isCan: false },
  { number: '3', name: 'ISO 9141-2 (5 baud init)', headers: 'legacy', isCan: false },
  { number: '4', name: 'ISO 14230-4 KWP (5 baud init)', headers: 'legacy', isCan: false },
  { number: '5', name: 'ISO 14230-4 KWP (fast init)', headers: 'legacy', isCan: false },
  { number: '6', name: 'ISO 15765-4 CAN (11 bit ID, 500 kbaud)', headers: 'can11', isCan: true },
  { number: '7', name: 'ISO 15765-4 CAN (29 bit ID, 500 kbaud)', headers: 'can29', isCan: true },
  { number: '8', name: 'ISO 15765-4 CAN (11 bit ID, 250 kbaud)', headers: 'can11', isCan: true },
  { number: '9', name: 'ISO 15765-4 CAN (29 bit ID, 250 kbaud)', headers: 'can29', isCan: true },
  { number: 'A', name: 'SAE J1939 CAN (29 bit ID, 250 kbaud)', headers: 'can29', isCan: true },
  { number: 'B', name: 'User1 CAN (11 bit ID, 125 kbaud)', headers: 'can11', isCan: true },
  { number: 'C', name: 'User2 CAN (11 bit ID, 50 kbaud)', headers: 'can11', isCan: true },
];

/** Returns the protocol of an `ATDPN` reply such as `A6` (automatic, 6) or `3`. */
export function protocolFromDpn(reply: string): { protocol: ElmProtocol; isAutomatic: boolean } | null {
  const match = /^(A?)([1-9A-C])$/.exec(reply.trim().toUpperCase());
  if (match === null) return null;
  const protocol = ELM_PROTOCOLS.find((p) => p.number === match[2]);
  return protocol === undefined ? null : { protocol, isAutomatic: match[1] === 'A' };
}

/** An adapter feature that needs a minimum chip version. */
export interface GatedFeature {
  readonly command: string;
  /** First ELM327 version that has it. */
  readonly minVersion: number;
  /** Driver behaviour without the feature. */
  readonly fallback: string;
}

// prettier-ignore
export const GATED_FEATURES = {
  spacesOff: { command: 'ATS0', minVersion: 1.3, fallback: 'parse replies with spaces' },
  adaptiveTiming: { command: 'ATAT1', minVersion: 1.2, fallback: 'keep the default response timeout' },
  // NOTE: the count digit is documented from v1.3 on; many clones claiming
  // v1.5 reject it, so the driver probes it with 01001 whatever the claim.
  responseCount: { command: '01001', minVersion: 1.3, fallback: 'wait for the response timeout' },
} as const satisfies Record<string, GatedFeature>;

/** Returns the chip version in an `ATI` reply such as `ELM327 v1.5`, or null. */
export function versionFromIdentity(identity: string): number | null {
  const match = /v(\d+)\.(\d+)/i.exec(identity);
  return match === null ? null : Number(`${match[1]}.${match[2]}`);
}

/**
 * @module The error strings an ELM327 prints in place of data, what each
 * means and how the driver recovers. The table is data: the driver looks
 * up the recovery, it does not branch on strings.
 */

/** Recovery action of the driver after an error string. */
export type ElmRecovery =
  /** No ECU responded to this request: count a miss for its PIDs and go on. */
  | 'skip'
  /** No ECU on any protocol (ignition off): back off, then search for the protocol again. */
  | 'search-protocol'
  /** The request was interrupted or garbled: its PIDs stay due and go out with the next request. */
  | 'retry'
  /** The adapter rejected the command: mark the feature unsupported and use the fallback. */
  | 'unsupported'
  /** The adapter's UART buffer overflowed: send fewer PIDs per request. */
  | 'reduce-load'
  /** The bus is disturbed: wait a moment, then retry; repeated, re-initialise. */
  | 'bus-wait'
  /** The chip reported an internal fault: reset and re-initialise the adapter. */
  | 'reset';

/** One error string of the ELM327 and its handling. */
export interface ElmErrorSpec {
  /** The text as printed, or its start for `ERRxx` and `BUS INIT: ...ERROR`. */
  readonly text: string;
  readonly meaning: string;
  readonly recovery: ElmRecovery;
}

/**
 * Error strings of the ELM327 (v1.0 to v2.x and common clones), longest
 * match first. `ERR` followed by two digits is an internal error that
 * calls for a power cycle, so the driver resets the adapter, which is the
 * closest it can do.
 */
export const ELM_ERRORS: readonly ElmErrorSpec[] = [
  { text: 'UNABLE TO CONNECT', meaning: 'no ECU responded on any protocol', recovery: 'search-protocol' },
  { text: 'BUS INIT: ERROR', meaning: 'K-line wake-up got no response', recovery: 'search-protocol' },
  { text: 'NO DATA', meaning: 'no ECU responded to this request', recovery: 'skip' },
  { text: 'STOPPED', meaning: 'a byte arrived while the adapter was busy', recovery: 'retry' },
  { text: 'BUFFER FULL', meaning: 'the adapter could not send data to the host fast enough', recovery: 'reduce-load' },
  { text: 'BUS ERROR', meaning: 'a bus fault or a wiring problem', recovery: 'bus-wait' },
  { text: 'BUS BUSY', meaning: 'the bus was too busy to send the request', recovery: 'bus-wait' },
  { text: 'CAN ERROR', meaning: 'the CAN controller failed to send or receive', recovery: 'bus-wait' },
  { text: 'FB ERROR', meaning: 'the J1850 feedback did not match the output', recovery: 'bus-wait' },
  { text: '<DATA ERROR', meaning: 'a received frame failed its checksum', recovery: 'retry' },
  { text: 'DATA ERROR', meaning: 'the reply was invalid', recovery: 'retry' },
  { text: '<RX ERROR', meaning: 'the adapter received a malformed CAN frame', recovery: 'retry' },
  { text: 'LV RESET', meaning: 'the adapter reset after a low supply voltage', recovery: 'reset' },
  { text: 'ACT ALERT', meaning: 'the adapter is going to sleep after no activity', recovery: 'reset' },
  { text: 'ERR', meaning: 'internal error of the adapter chip', recovery: 'reset' },
  { text: '?', meaning: 'the adapter does not understand the command', recovery: 'unsupported' },
];

const INTERNAL_ERROR = /^ERR\d\d$/;

/** Returns the error spec that a response line is, or null for a data or status line. */
export function matchElmError(line: string): ElmErrorSpec | null {
  const text = line.trim().toUpperCase();
  if (text === '') return null;
  if (INTERNAL_ERROR.test(text)) return ELM_ERRORS.find((spec) => spec.text === 'ERR')!;
  if (text.startsWith('BUS INIT:') && text.includes('ERROR')) {
    return ELM_ERRORS.find((spec) => spec.text === 'BUS INIT: ERROR')!;
  }

  for (const spec of ELM_ERRORS) {
    if (spec.text === 'ERR' || spec.text === 'BUS INIT: ERROR') continue;
    if (text === spec.text || (spec.text.length > 2 && text.startsWith(spec.text))) return spec;
  }
  return null;
}

/**
 * @module Checks of a parsed DBC that do not stop decoding but leave some
 * signals idle: signals that lie past their message's length and standard
 * ids that no standard frame can carry. Real ECU DBC files contain both, so
 * these are warnings, not errors.
 */
import { bitSegments, bytesNeeded } from './bit-layout.ts';
import type { DbcDatabase, DbcMessage } from './types.ts';

/** Largest 11-bit identifier. */
const STANDARD_ID_MAX = 0x7ff;
const EXTENDED_ID_MAX = 0x1fffffff;
/** Names a grouped warning lists before it only counts the rest. */
const LISTED_NAMES = 5;

/** Returns one warning per kind of problem, naming the messages and signals concerned. */
export function layoutWarnings(database: DbcDatabase): string[] {
  const unreachable: string[] = [];
  const pastLength: string[] = [];
  for (const message of database.messages) {
    if (isPseudoMessage(message)) continue;
    if (!message.isExtended && message.id > STANDARD_ID_MAX) {
      unreachable.push(`${message.name} (0x${message.id.toString(16).toUpperCase()})`);
    }
    for (const signal of message.signals) {
      const bytes = bytesNeeded(bitSegments(signal));
      if (bytes > message.length) {
        pastLength.push(`${message.name}.${signal.name} (needs ${bytes} of ${message.length} bytes)`);
      }
    }
  }

  const warnings: string[] = [];
  if (unreachable.length > 0) {
    warnings.push(
      `standard ids above 0x7FF, which no frame can carry (an extended id is written with ` +
        `bit 31 set, id + 2147483648): ${listed(unreachable)}`,
    );
  }
  if (pastLength.length > 0) {
    warnings.push(`signals past their message's length, decoded only from longer frames: ${listed(pastLength)}`);
  }
  return warnings;
}

// Vector tools keep signals not yet placed in a message with id 0xC0000000
// (VECTOR__INDEPENDENT_SIG_MSG, length 0): never on the bus, nothing to say.
function isPseudoMessage(message: DbcMessage): boolean {
  return message.isExtended && message.id > EXTENDED_ID_MAX;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, LISTED_NAMES).join(', ');
  const rest = names.length - LISTED_NAMES;
  return rest > 0 ? `${shown} and ${rest} more` : shown;
}

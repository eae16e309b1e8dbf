/**
 * @module Checks whether an ELM327 replies sensibly at a stream's current
 * speed, for baud-rate detection.
 */
import type { TtyStream } from '../../serial/index.ts';

/** Time an adapter gets to reply to the probe, in milliseconds. */
const PROBE_TIMEOUT_MS = 800;

/**
 * Sends `ATI` and resolves true when a printable reply ending in the `>`
 * prompt comes back. At a wrong speed the adapter prints bytes outside
 * printable ASCII or nothing. A bare carriage return is not sent because
 * the ELM327 repeats its last command on one, which could be a mode 04
 * (clear codes).
 */
export function probeElm(stream: TtyStream): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const finish = (hasReplied: boolean) => {
      clearTimeout(timer);
      stream.off('data', onData);
      resolve(hasReplied);
    };
    const onData = (chunk: Buffer) => {
      reply += chunk.toString('latin1');
      if (/[^\x20-\x7e\r\n\0]/.test(reply)) finish(false);
      else if (reply.includes('>')) finish(/ELM|OK|\?|v\d/i.test(reply));
    };
    const timer = setTimeout(() => finish(false), PROBE_TIMEOUT_MS);

    stream.on('data', onData);
    stream.write(' ATI\r');
  });
}

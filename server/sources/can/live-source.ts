/**
 * @module Base of the live CAN sources (SocketCAN, SLCAN): frames are
 * stamped with the session clock, and bus health is judged at its time.
 */
import { CanSourceBase } from './can-source-base.ts';
import type { CanFrame } from './frame.ts';

/** Base of sources that read frames from a live bus. */
export abstract class LiveCanSource extends CanSourceBase {
  readonly kind = 'hardware' as const;

  protected healthTimeS(): number {
    return this.context?.clock.nowS() ?? 0;
  }

  /** Decodes one received frame stamped `timeS` on the session clock. */
  protected deliver(frame: CanFrame, timeS: number): void {
    this.ingest.accept(frame, timeS);
  }
}

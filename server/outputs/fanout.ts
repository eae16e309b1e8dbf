/**
 * @module WebSocket fan-out of ticks. Each tick is serialised once and sent
 * to every client. A client whose send buffer is over the limit is slow: it
 * is skipped and keeps only the latest message, which goes out when its
 * socket drains. So a stalled client never delays the tick or the others,
 * and never receives a backlog of stale ticks.
 */
import type { TickMessage } from '../protocol.ts';

/** The part of a WebSocket that the fan-out needs. */
export interface ClientSocket {
  send(data: string): number;
  getBufferedAmount(): number;
}

/** Bytes queued in a client's socket above which it counts as slow. */
const SLOW_CLIENT_BUFFER_BYTES = 256 * 1024;

interface ClientState {
  readonly socket: ClientSocket;
  /** Latest message not yet sent because the client was slow. */
  pending: string | null;
  sent: number;
  skipped: number;
}

export class TickFanout {
  private readonly clients = new Map<object, ClientState>();

  /** Adds a client; `key` identifies it on `drain` and `remove`. */
  add(key: object, socket: ClientSocket): void {
    this.clients.set(key, { socket, pending: null, sent: 0, skipped: 0 });
  }

  remove(key: object): void {
    this.clients.delete(key);
  }

  count(): number {
    return this.clients.size;
  }

  /** Sends a tick to every client that keeps up; slow ones keep it pending. */
  publish(tick: TickMessage): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify(tick);
    for (const state of this.clients.values()) this.offer(state, text);
  }

  /** Sends the pending latest message to a client whose socket drained. */
  drain(key: object): void {
    const state = this.clients.get(key);
    if (!state?.pending) return;
    const text = state.pending;
    state.pending = null;
    this.offer(state, text);
  }

  /** Sent and skipped message counts per client, for `/health`. */
  stats(): { sent: number; skipped: number }[] {
    return [...this.clients.values()].map(({ sent, skipped }) => ({ sent, skipped }));
  }

  private offer(state: ClientState, text: string): void {
    if (state.socket.getBufferedAmount() > SLOW_CLIENT_BUFFER_BYTES) {
      if (state.pending !== null) state.skipped += 1;
      state.pending = text;
      return;
    }
    state.socket.send(text);
    state.sent += 1;
  }
}

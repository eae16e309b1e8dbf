/**
 * @module Client of the monitor's WebSocket stream: connects, reconnects with
 * exponential backoff, checks every message, counts and drops malformed ones,
 * and keeps the latest tick plus a typed columnar history for the charts.
 */
import { TICK_HZ, type ErrorMessage, type TickMessage } from '../../server/protocol.ts';
import { parseServerMessage } from './message-validation.ts';
import { SeriesHistory } from './series-history.ts';
import { appendTick } from './tick-series.ts';

/** Connection state shown in the header. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'stopped';

/** Settings of a stream client. */
export interface StreamClientOptions {
  /** WebSocket URL, such as `ws://127.0.0.1:8080/ws`. */
  readonly url: string;
  /** Seconds of history kept for the charts. */
  readonly historyS?: number;
  /** First reconnect delay in milliseconds; doubles after each failed attempt. */
  readonly initialBackoffMs?: number;
  /** Maximum reconnect delay in milliseconds. */
  readonly maxBackoffMs?: number;
}

/** Kind of change, passed to every listener. */
export type StreamChange = 'state' | 'tick' | 'malformed' | 'server-error';

/** Listener of stream changes; read the client's fields for the new values. */
export type StreamListener = (change: StreamChange) => void;

/** Connects to the tick stream and keeps its latest state and history. */
export class StreamClient {
  state: ConnectionState = 'stopped';
  latest: TickMessage | null = null;
  readonly history: SeriesHistory;
  ticksReceived = 0;
  malformedCount = 0;
  lastMalformedReason: string | null = null;
  lastServerError: ErrorMessage | null = null;
  /** Number of connections opened after the first one. */
  reconnects = 0;
  /** `performance.now()` of the last accepted tick, or null before the first. */
  lastTickAtMs: number | null = null;

  private readonly options: Required<StreamClientOptions>;
  private readonly listeners = new Set<StreamListener>();
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private failedAttempts = 0;
  private hasOpenedBefore = false;

  /** Creates a stopped client; call `start` to connect. */
  constructor(options: StreamClientOptions) {
    this.options = { historyS: 300, initialBackoffMs: 250, maxBackoffMs: 5000, ...options };
    this.history = new SeriesHistory(Math.ceil(this.options.historyS * TICK_HZ));
  }

  /** Registers a listener and returns the function that removes it. */
  subscribe(listener: StreamListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Opens the connection; does nothing when already started. */
  start(): void {
    if (this.state !== 'stopped') return;
    this.connect();
  }

  /** Closes the connection and cancels any pending reconnect. */
  stop(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close();
    this.setState('stopped');
  }

  /** Returns the delay before reconnect attempt number `attempt` (0-based), in ms. */
  backoffMs(attempt: number): number {
    const { initialBackoffMs, maxBackoffMs } = this.options;
    const base = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.min(attempt, 20));
    // Up to 20 % jitter keeps several dashboards from reconnecting in step.
    return Math.round(base * (1 + 0.2 * Math.random()));
  }

  private connect(): void {
    this.setState(this.hasOpenedBefore ? 'reconnecting' : 'connecting');
    const socket = new WebSocket(this.options.url);
    this.socket = socket;
    socket.onopen = () => this.handleOpen(socket);
    socket.onmessage = (event) => this.handleMessage(socket, event.data);
    socket.onclose = () => this.handleClose(socket);
  }

  private handleOpen(socket: WebSocket): void {
    if (socket !== this.socket) return;
    if (this.hasOpenedBefore) this.reconnects += 1;
    this.hasOpenedBefore = true;
    this.failedAttempts = 0;
    this.setState('open');
  }

  private handleMessage(socket: WebSocket, data: unknown): void {
    if (socket !== this.socket) return;
    const result = parseServerMessage(data);
    if (!result.ok) {
      this.malformedCount += 1;
      this.lastMalformedReason = result.reason;
      this.emit('malformed');
      return;
    }
    if (result.message.type === 'error') {
      this.lastServerError = result.message;
      this.emit('server-error');
      return;
    }
    this.acceptTick(result.message);
  }

  private acceptTick(tick: TickMessage): void {
    appendTick(this.history, tick);
    this.latest = tick;
    this.ticksReceived += 1;
    this.lastTickAtMs = performance.now();
    this.emit('tick');
  }

  /** Schedules the next attempt; a close also follows every failed connect. */
  private handleClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    this.socket = null;
    const delayMs = this.backoffMs(this.failedAttempts);
    this.failedAttempts += 1;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delayMs);
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit('state');
  }

  private emit(change: StreamChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** Returns the stream URL on the page's own origin (`ws:` or `wss:` to match). */
export function sameOriginStreamUrl(location: Location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}

/**
 * @module Command and reply exchange with an ELM327 over a byte stream:
 * one command at a time, each reply ends at the `>` prompt, a timeout
 * aborts a stuck command, and a closed stream fails every waiting request.
 */
import type { Duplex } from 'node:stream';
import { PromptFramer } from './prompt-framer.ts';

/** The adapter sent no prompt within the request's timeout. */
export class ElmTimeoutError extends Error {
  override name = 'ElmTimeoutError';
}

/** The serial stream closed (adapter unplugged, link dropped, or stopped). */
export class ElmLinkClosedError extends Error {
  override name = 'ElmLinkClosedError';
}

/**
 * Lets a request wait longer once its reply so far shows that the adapter
 * is working, such as `SEARCHING...` during a protocol search.
 */
export interface TimeoutExtension {
  /** Total wait from the command, in milliseconds, once `when` matched. */
  readonly totalMs: number;
  readonly when: RegExp;
}

interface PendingRequest {
  readonly command: string;
  readonly resolve: (reply: string) => void;
  readonly reject: (error: Error) => void;
  readonly sentMs: number;
  timeoutMs: number;
  extension: TimeoutExtension | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** How long replies are discarded after an aborted command, in milliseconds. */
const RESYNC_MS = 100;

/** Sends commands to an ELM327 and returns its replies. */
export class ElmLink {
  private readonly framer = new PromptFramer();
  private pending: PendingRequest | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private discardUntilMs = 0;
  private closedReason: string | null = null;

  /** Replies that arrived when no command was waiting (late or unsolicited). */
  strayReplies = 0;

  constructor(private readonly stream: Duplex) {
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('close', (error?: Error | null) => this.onClose(error));
    stream.on('error', () => {
      // The close event that follows carries the cause; an error alone must not crash.
    });
  }

  /** True until the stream closes. */
  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** Characters dropped because no prompt arrived within the framer's limit. */
  get droppedChars(): number {
    return this.framer.droppedChars;
  }

  /**
   * Sends `command` with a carriage return and resolves with the reply up
   * to the prompt. Rejects with `ElmTimeoutError` after `timeoutMs` (or
   * the `extension`'s total once its sign arrived), or `ElmLinkClosedError`
   * when the stream closes. Requests run one at a time.
   */
  request(command: string, timeoutMs: number, extension?: TimeoutExtension): Promise<string> {
    const run = () => this.send(command, timeoutMs, extension);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Writes bytes without waiting for a reply, such as a byte that aborts a command. */
  writeRaw(text: string): void {
    if (this.isOpen) this.stream.write(text);
  }

  private async send(
    command: string,
    timeoutMs: number,
    extension: TimeoutExtension | undefined,
  ): Promise<string> {
    if (this.closedReason !== null) throw new ElmLinkClosedError(this.closedReason);
    const waitMs = this.discardUntilMs - Date.now();
    if (waitMs > 0) await Bun.sleep(waitMs);
    this.framer.clear();

    return new Promise<string>((resolve, reject) => {
      const sentMs = Date.now();
      const request: PendingRequest = {
        command, resolve, reject, sentMs, timeoutMs, extension, timer: undefined,
      };
      request.timer = setTimeout(() => this.onTimeout(request), timeoutMs);
      this.pending = request;
      this.stream.write(`${command}\r`);
    });
  }

  private onData(chunk: Buffer): void {
    const replies = this.framer.push(chunk);
    this.extendIfSignalled();
    for (const reply of replies) {
      const request = this.pending;
      if (request === null || Date.now() < this.discardUntilMs) {
        this.strayReplies++;
        continue;
      }
      clearTimeout(request.timer);
      this.pending = null;
      request.resolve(reply);
    }
  }

  /** Moves the pending request's deadline out once its reply shows the extension's sign. */
  private extendIfSignalled(): void {
    const request = this.pending;
    if (request?.extension === undefined || !request.extension.when.test(this.framer.text)) return;
    const { totalMs } = request.extension;
    request.extension = undefined;
    request.timeoutMs = totalMs;
    clearTimeout(request.timer);
    const remainingMs = Math.max(0, request.sentMs + totalMs - Date.now());
    request.timer = setTimeout(() => this.onTimeout(request), remainingMs);
  }

  private onTimeout(request: PendingRequest): void {
    if (this.pending !== request) return;
    this.pending = null;
    // Any byte aborts a command the adapter is still working on (it prints STOPPED).
    this.writeRaw(' ');
    this.discardUntilMs = Date.now() + RESYNC_MS;
    const text = `No reply to ${request.command} within ${request.timeoutMs} ms.`;
    request.reject(new ElmTimeoutError(text));
  }

  private onClose(error?: Error | null): void {
    this.closedReason = error?.message ?? 'The serial port was closed.';
    const request = this.pending;
    this.pending = null;
    if (request === null) return;
    clearTimeout(request.timer);
    request.reject(new ElmLinkClosedError(this.closedReason));
  }
}

/**
 * @module Splits the byte stream of an ELM327 into replies at its `>`
 * prompt, with a bounded buffer so a flood without a prompt (monitor mode,
 * a wrong baud rate, line noise) cannot grow memory.
 */

/** Largest reply kept while waiting for a prompt, in characters. */
export const MAX_REPLY_CHARS = 16_384;

/** Accumulates received bytes and returns complete replies. */
export class PromptFramer {
  private pending = '';
  /** Characters dropped because no prompt came within `MAX_REPLY_CHARS`. */
  droppedChars = 0;

  constructor(private readonly maxChars = MAX_REPLY_CHARS) {}

  /** Adds received bytes; returns each reply completed by a `>`, without the prompt. */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1');
    this.pending += text;

    const replies: string[] = [];
    let prompt = this.pending.indexOf('>');
    while (prompt !== -1) {
      replies.push(this.pending.slice(0, prompt));
      this.pending = this.pending.slice(prompt + 1);
      prompt = this.pending.indexOf('>');
    }

    if (this.pending.length > this.maxChars) {
      const keep = this.maxChars >> 2;
      this.droppedChars += this.pending.length - keep;
      this.pending = this.pending.slice(-keep);
    }
    return replies;
  }

  /** Text received since the last prompt (its tail, after a flood). */
  get text(): string {
    return this.pending;
  }

  /** Characters received since the last prompt. */
  get bufferedChars(): number {
    return this.pending.length;
  }

  /** Discards what was received since the last prompt. */
  clear(): void {
    this.pending = '';
  }
}

/**
 * @module A cursor over DBC tokens with the `expect` helpers the parser
 * uses; every failure becomes a `DbcSyntaxError` at the offending token.
 */
import { DbcSyntaxError } from '../errors.ts';
import type { Token } from './tokenizer.ts';

/** Characters of a token an error message quotes before cutting it short. */
const QUOTED_TOKEN_CHARS = 40;

/** Cuts `text` to the characters an error message quotes, marking the cut with '…'. */
export function shortenForMessage(text: string): string {
  return text.length <= QUOTED_TOKEN_CHARS ? text : `${text.slice(0, QUOTED_TOKEN_CHARS)}…`;
}

/** Describes a token the way an error message should show it. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of file';
    case 'string':
      return `string "${shortenForMessage(token.text)}"`;
    default:
      return `'${shortenForMessage(token.text)}'`;
  }
}

/** Reads tokens in order and raises errors that point at the file position. */
export class TokenReader {
  private index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly file: string,
  ) {}

  peek(offset = 0): Token {
    const at = Math.min(this.index + offset, this.tokens.length - 1);
    return this.tokens[at];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isAtEnd(): boolean {
    return this.peek().kind === 'end';
  }

  fail(expected: string, token: Token = this.peek()): never {
    throw new DbcSyntaxError(
      this.file,
      token.line,
      token.column,
      expected,
      describeToken(token),
    );
  }

  /** Consumes punctuation `text` or fails. */
  expectPunct(text: string): Token {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) this.fail(`'${text}'`);
    return this.next();
  }

  /** Consumes punctuation `text` when it is next; returns whether it was. */
  acceptPunct(text: string): boolean {
    const token = this.peek();
    if (token.kind === 'punct' && token.text === text) {
      this.next();
      return true;
    }
    return false;
  }

  expectIdent(what: string): string {
    if (this.peek().kind !== 'ident') this.fail(what);
    return this.next().text;
  }

  expectString(what: string): string {
    if (this.peek().kind !== 'string') this.fail(what);
    return this.next().text;
  }

  /**
   * Consumes a finite number, also one written as a separate sign and
   * digits; a literal such as 1e999 that overflows to infinity fails.
   */
  expectNumber(what: string): number {
    const token = this.peek();
    let sign = 1;
    if (token.kind === 'punct' && (token.text === '-' || token.text === '+')) {
      if (this.peek(1).kind !== 'number') this.fail(what, this.peek(1));
      sign = token.text === '-' ? -1 : 1;
      this.next();
    }
    const digits = this.peek();
    if (digits.kind !== 'number') this.fail(what);
    const value = Number(digits.text);
    if (!Number.isFinite(value)) this.fail(`${what} within the range of a double`, digits);
    this.next();
    return sign * value;
  }

  /** Consumes a non-negative integer or fails, naming `what`. */
  expectUnsigned(what: string): number {
    const token = this.peek();
    const value = token.kind === 'number' ? Number(token.text) : NaN;
    if (!Number.isInteger(value) || value < 0) this.fail(what);
    this.next();
    return value;
  }

  /** Skips tokens up to and including the next `;`, for sections not used. */
  skipStatement(): void {
    while (!this.isAtEnd()) {
      const token = this.next();
      if (token.kind === 'punct' && token.text === ';') return;
    }
  }
}

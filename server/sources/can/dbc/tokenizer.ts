/**
 * @module Splits DBC text into tokens that remember their line and column,
 * so the parser can report exactly where a file stops being valid DBC.
 */

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'end';

/** One lexical token of a DBC file; `line` and `column` are 1-based. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const PUNCTUATION = new Set([':', ';', '|', '@', '(', ')', '[', ']', ',', '+', '-']);

function isIdentStart(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isIdentPart(code: number): boolean {
  return isIdentStart(code) || isDigit(code);
}

/** Thrown by `tokenize` on a character that cannot start a token. */
export class TokenError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly found: string,
    readonly expected: string,
  ) {
    super(`${line}:${column}: expected ${expected}, found ${found}`);
  }
}

const NUMBER_PATTERN = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;

/** Splits DBC text into tokens; strings keep their content without quotes. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;

  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 10) {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (code === 32 || code === 9 || code === 13 || code === 0xfeff) {
      i++;
      continue;
    }
    const column = i - lineStart + 1;

    if (code === 34) {
      const startLine = line;
      const start = i + 1;
      let end = start;
      let value = '';
      while (end < text.length && text.charCodeAt(end) !== 34) {
        if (text.charCodeAt(end) === 92 && end + 1 < text.length) {
          value += text[end + 1];
          end += 2;
          continue;
        }
        if (text.charCodeAt(end) === 10) {
          line++;
          lineStart = end + 1;
        }
        value += text[end];
        end++;
      }
      if (end >= text.length) {
        throw new TokenError(startLine, column, 'end of file', 'a closing quote "');
      }
      tokens.push({ kind: 'string', text: value, line: startLine, column });
      i = end + 1;
      continue;
    }

    const startsNumber =
      isDigit(code) ||
      ((code === 45 || code === 43 || code === 46) &&
        i + 1 < text.length &&
        (isDigit(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === 46));
    if (startsNumber) {
      NUMBER_PATTERN.lastIndex = i;
      const match = NUMBER_PATTERN.exec(text);
      if (match && match[0].length > 0) {
        // A number glued to letters (`1abc`) is an identifier in node and
        // signal names, so only a clean end makes it a number.
        const after = i + match[0].length;
        if (after >= text.length || !isIdentStart(text.charCodeAt(after))) {
          tokens.push({ kind: 'number', text: match[0], line, column });
          i = after;
          continue;
        }
      }
    }

    if (isIdentPart(code)) {
      let end = i + 1;
      while (end < text.length && isIdentPart(text.charCodeAt(end))) end++;
      tokens.push({ kind: 'ident', text: text.slice(i, end), line, column });
      i = end;
      continue;
    }

    const char = text[i];
    if (PUNCTUATION.has(char)) {
      tokens.push({ kind: 'punct', text: char, line, column });
      i++;
      continue;
    }
    throw new TokenError(line, column, JSON.stringify(char), 'a DBC token');
  }

  tokens.push({ kind: 'end', text: '', line, column: i - lineStart + 1 });
  return tokens;
}

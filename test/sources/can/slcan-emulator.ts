/**
 * @module A scripted SLCAN adapter on the master side of a real
 * pseudo-terminal, for the SLCAN source tests: it records the commands it
 * receives, answers them like a Lawicel adapter (CR, BEL, `V`, `F`) and
 * sends frame lines on request.
 */
import { openPtyPair, type PtyPair } from '../../../server/serial/index.ts';

/** Replies by command; a command without an entry gets CR (success). */
export type ReplyTable = Record<string, string>;

/** An emulated adapter and the commands it has received. */
export interface SlcanEmulator {
  readonly path: string;
  readonly commands: string[];
  /** Sends raw text (frame lines with their CR) toward the source. */
  send(text: string): void;
  /** Resolves when a command equal to `command` has arrived. */
  waitForCommand(command: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a pty pair and serves SLCAN replies from `replies` on its master side. */
export async function startSlcanEmulator(replies: ReplyTable = {}): Promise<SlcanEmulator> {
  const pty: PtyPair = await openPtyPair();
  const commands: string[] = [];
  const waiters: Array<{ command: string; resolve: () => void }> = [];
  let partial = '';

  pty.master.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString('latin1');
    const parts = text.split('\r');
    partial = parts.pop() ?? '';
    for (const command of parts) {
      commands.push(command);
      pty.master.write(replies[command] ?? '\r');
      for (const waiter of waiters.filter((w) => w.command === command)) waiter.resolve();
    }
  });

  return {
    path: pty.slavePath,
    commands,
    send: (text) => pty.master.write(text),
    waitForCommand: (command) =>
      commands.includes(command)
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ command, resolve })),
    close: () => pty.close(),
  };
}

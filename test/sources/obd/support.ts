/**
 * @module Test peers for the OBD tests: the product's ELM327 emulator on a
 * pty, and a scripted adapter that replies from a transcript, both served
 * on real pseudo-terminals.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createStreetDrive,
  createVehicle,
  ElmEmulator,
  INSTANT_TIMING,
  parseCloneQuirks,
  serveElmEmulator,
  type EmulatorServer,
  type EmulatorTiming,
} from '../../../server/sources/obd/emulator/index.ts';
import { openPtyPair, type PtyPair } from '../../../server/serial/index.ts';

/** Returns a fresh temporary path for a pty link. */
export function tempLink(name = 'elm'): string {
  return join(mkdtempSync(join(tmpdir(), 'obd-')), name);
}

/** A running emulator and its link path. */
export interface EmulatorPeer {
  readonly emulator: ElmEmulator;
  readonly server: EmulatorServer;
  readonly path: string;
}

/** Starts the product's emulator with clone quirks such as `echo,dots`. */
export async function startEmulator(
  clone = '',
  timing: EmulatorTiming = INSTANT_TIMING,
  baudRate: number | null = null,
): Promise<EmulatorPeer> {
  const quirks = parseCloneQuirks(clone);
  const startedMs = performance.now();
  const vehicle = createVehicle(createStreetDrive(1), quirks.twoEcus);
  const emulator = new ElmEmulator(vehicle, quirks, timing, () => (performance.now() - startedMs) / 1000);
  const path = tempLink();
  const server = await serveElmEmulator(emulator, path, baudRate);
  return { emulator, server, path };
}

/** Replies of a scripted adapter: a function of the command (without CR), or null for silence. */
export type Script = (command: string) => string | null;

/** A scripted adapter on a pty; records every command it received. */
export interface ScriptedPeer {
  readonly path: string;
  readonly commands: string[];
  close(): Promise<void>;
}

/** Serves `script` on a pty at a temporary link; each reply gets `\r\r>` appended. */
export async function startScriptedAdapter(script: Script): Promise<ScriptedPeer> {
  const path = tempLink();
  const pair: PtyPair = await openPtyPair(path);
  const commands: string[] = [];
  let input = '';

  pair.master.on('data', (chunk: Buffer) => {
    input += chunk.toString('latin1');
    let end = input.indexOf('\r');
    while (end !== -1) {
      const command = input.slice(0, end).replace(/\s/g, '').toUpperCase();
      input = input.slice(end + 1);
      commands.push(command);
      const reply = script(command);
      if (reply !== null) pair.master.write(`${reply}\r\r>`);
      end = input.indexOf('\r');
    }
  });
  return { path, commands, close: () => pair.close() };
}

/** Replies of a plain CAN adapter (headers on, no spaces) to the start-up commands. */
export function standardInit(command: string): string | null {
  if (command === 'ATZ') return '\r\rELM327 v1.4';
  if (command === 'ATI') return 'ELM327 v1.4';
  if (command === 'ATDPN') return 'A6';
  if (command.startsWith('AT')) return 'OK';
  if (command === '0100') return 'SEARCHING...\r7E8064100BE3EB811';
  if (command === '0120') return '7E80641208005B014';
  if (command === '01001') return '7E8064100BE3EB811';
  return null;
}

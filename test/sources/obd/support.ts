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

/** Returns a 7E8 reply with a fixed value for every PID of the request. */
export function answerAll(command: string): string {
  const pids = command.slice(2).match(/../g) ?? [];
  const bytes: Record<string, string> = { '0C': '1AF8', '0B': '64', '11': '80', '05': '7B' };
  const payload = '41' + pids.map((pid) => pid + (bytes[pid] ?? '')).join('');
  const length = (payload.length / 2).toString(16).toUpperCase().padStart(2, '0');
  if (payload.length / 2 <= 7) return `7E8${length}${payload}`;
  return `7E810${length}${payload.slice(0, 12)}\r7E821${payload.slice(12, 26)}`;
}

/** Builds an adapter whose car supports 05, 0B, 0C and 11 and whose polls go through `poll`. */
export function car(poll: (command: string, count: number) => string | null): Script {
  let polls = 0;
  return (command) => {
    // Bitmap 08 30 80 00: PIDs 05, 0B, 0C and 11.
    if (command === '0100' || command === '01001') return '7E806410008308000';
    if (command === '03' || command === '07') return `7E8024${command === '03' ? '3' : '7'}00`;
    if (command === '0902') return 'NO DATA';
    if (command === 'ATRV') return '12.6V';
    if (/^01[0-9A-F]{2,}$/.test(command) && command !== '0100') return poll(command, ++polls);
    return standardInit(command);
  };
}

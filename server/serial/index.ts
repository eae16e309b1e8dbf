/**
 * @module Serial transport for ELM327 and SLCAN adapters under Bun and in
 * the compiled binary: open, configure, list, detect the speed, and make
 * pseudo-terminal pairs for emulators and tests.
 */
export {
  openSerialPort,
  closeSerialPort,
  openWithBaudDetection,
  configuredWith,
  AUTO_BAUD_RATES,
  type TtyStream,
  type SerialOptions,
  type BaudProbe,
} from './port.ts';
export { listSerialPorts, type SerialPortEntry } from './list.ts';
export { openPtyPair, type PtyPair } from './pty.ts';
export { SerialDisconnectError, TtyBinding, TtyPort } from './tty-binding.ts';
export { SerialConfigError, SPEED_CODES, setRawMode } from './termios.ts';

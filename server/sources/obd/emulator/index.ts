/**
 * @module The ELM327 emulator: an adapter on a car, served on a pty, for
 * owners without a car at hand and as the peer of the OBD tests.
 */
export { ElmEmulator, INSTANT_TIMING, type EmulatorTiming, type EmulatorReply } from './elm-emulator.ts';
export { serveElmEmulator, type EmulatorServer } from './pty-server.ts';
export { parseCloneQuirks, NO_QUIRKS, QUIRK_NAMES, type CloneQuirks } from './quirks.ts';
export {
  createStreetDrive,
  createVehicle,
  ENGINE_PIDS,
  type ChannelValues,
  type EmulatedVehicle,
  type ValueSource,
} from './vehicle.ts';

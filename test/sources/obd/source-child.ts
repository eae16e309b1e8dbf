/**
 * @module Runs an OBD-II source in a process of its own and prints each
 * status change as a JSON line, so a test can run the source with fewer
 * privileges than itself. Usage: `bun source-child.ts SPEC`.
 */
import { ObdSource, parseObdSpec } from '../../../server/sources/obd/index.ts';

const spec = process.argv[2];
const source = new ObdSource(`obd:${spec}`, parseObdSpec(spec), { initialMs: 50, maxMs: 200 });
const startedMs = performance.now();
await source.start({
  sink: () => {},
  clock: { nowS: () => (performance.now() - startedMs) / 1000 },
  onStatus: (status) => console.log(JSON.stringify(status)),
  onEvent: () => {},
});
process.on('SIGTERM', () => void source.stop().then(() => process.exit(0)));

/**
 * @module `2jz-monitor [serve]`: runs the monitor until interrupted, or
 * until a replay at maximum speed ends.
 */
import { configureLogging, getLogger } from '../log/logger.ts';
import {
  parseServeOptions,
  SERVE_USAGE,
  UsageError,
  wantsHelp,
} from '../cli/serve-options.ts';
import { startMonitor } from '../monitor.ts';
import { join } from 'node:path';
import type { Command } from './index.ts';

const log = getLogger('serve');

export const runServe: Command = async (argv) => {
  if (wantsHelp(argv)) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const options = parseServeOptions(argv);
  configureLogging({
    level: options.logLevel,
    directory: join(options.dataDir, 'logs'),
  });

  const monitor = await startMonitor(options);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${monitor.port}/`;
  if (options.jsonl !== '-') process.stdout.write(`2jz-monitor: dashboard at ${url}\n`);

  const shutdown = async (signal: string) => {
    log.info('stopping on signal', { signal });
    await monitor.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await monitor.finished;
  await monitor.stop();
  return 0;
};

export { UsageError };

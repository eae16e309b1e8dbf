/**
 * @module Entry point of the `2jz-monitor` executable: dispatches to a
 * sub-command (`serve` when the first argument is an option or absent) and
 * turns usage and configuration errors into one line on stderr and exit
 * code 2.
 */
import { COMMANDS } from './commands/index.ts';

const USAGE_EXIT_CODE = 2;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(
    ([name, entry]) => `  ${name.padEnd(12)} ${entry.summary}`,
  );
  return `Usage: 2jz-monitor [command] [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
    'Run "2jz-monitor COMMAND --help" for the options of a command.\n';
}

async function main(argv: readonly string[]): Promise<number> {
  const [first] = argv;
  if (first === 'help' || first === '--version') {
    process.stdout.write(first === 'help' ? usage() : '2jz-monitor 0.1.0\n');
    return 0;
  }
  const isCommand = first !== undefined && !first.startsWith('-');
  const name = isCommand ? first : 'serve';
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`2jz-monitor: unknown command "${name}"\n\n${usage()}`);
    return USAGE_EXIT_CODE;
  }

  const command = await entry.load();
  return command(isCommand ? argv.slice(1) : argv);
}

/** Errors whose message is complete advice for the user, shown without a trace. */
const USER_ERRORS = new Set(['UsageError', 'SourceConfigError', 'ProfileError', 'LogFormatError', 'DbcSyntaxError']);

try {
  const code = await main(process.argv.slice(2));
  process.exit(code);
} catch (error) {
  const err = error as Error & { code?: string };
  const isUserError = USER_ERRORS.has(err.name) || err.code?.startsWith('ERR_PARSE_ARGS') === true;
  process.stderr.write(`2jz-monitor: ${isUserError ? err.message : (err.stack ?? String(err))}\n`);
  process.exit(isUserError ? USAGE_EXIT_CODE : 1);
}

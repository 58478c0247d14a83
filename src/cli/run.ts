// The `almanac` command line (DESIGN.md section 6): picks the command, runs it, and turns every
// failure into a message and an exit code (0 done, 1 operation failed, 2 usage or configuration).

import { ConfigError } from '../config/errors.js';
import { connectionManagerCommand, serveCommand } from './service-command.js';
import { tokenCommand, userCommand } from './account-commands.js';
import type { CliContext } from './context.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, OperationError, UsageError } from './exit-codes.js';
import { MissingModuleError } from './runtime-modules.js';
import { COMMANDS, commandUsage, generalUsage, type CommandName } from './usage.js';
import { packageVersion } from './version.js';

const HANDLERS: Record<CommandName, (argv: string[], context: CliContext) => Promise<number>> = {
  serve: serveCommand,
  user: userCommand,
  token: tokenCommand,
  'connection-manager': connectionManagerCommand,
};

function isCommand(name: string): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name);
}

/** `--help` or `-h` anywhere before a `--` terminator. */
function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export async function runCli(argv: string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    context.stderr(generalUsage());
    return EXIT_USAGE;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    context.stdout(`almanac ${packageVersion()}`);
    return EXIT_OK;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic === undefined) context.stdout(generalUsage());
    else if (isCommand(topic)) context.stdout(commandUsage(topic));
    else return usageFailure(context, new UsageError(`unknown command "${topic}"`));
    return EXIT_OK;
  }
  if (!isCommand(first)) {
    const problem = first.startsWith('-') ? `a command comes before flags: almanac serve ${argv.join(' ')}` : `unknown command "${first}"`;
    return usageFailure(context, new UsageError(problem));
  }
  if (asksForHelp(rest)) {
    context.stdout(commandUsage(first));
    return EXIT_OK;
  }
  try {
    return await HANDLERS[first](rest, context);
  } catch (err) {
    if (err instanceof ConfigError) {
      context.stderr(`config error: ${err.message}`);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) return usageFailure(context, err);
    if (err instanceof OperationError || err instanceof MissingModuleError) {
      context.stderr(`error: ${err.message}`);
      return EXIT_FAILURE;
    }
    // Anything else is unexpected (a port in use, a broken database): say what and where.
    context.stderr(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT_FAILURE;
  }
}

function usageFailure(context: CliContext, err: UsageError): number {
  context.stderr(`error: ${err.message}`);
  const command = err.command;
  context.stderr(command !== undefined && isCommand(command) ? `Run "almanac help ${command}" for usage.` : generalUsage());
  return EXIT_USAGE;
}

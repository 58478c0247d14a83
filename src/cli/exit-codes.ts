// Exit codes of every command (DESIGN.md section 6): 0 done, 1 the operation failed (an account that
// already exists, a port in use), 2 the command line or the configuration is wrong.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A command line that cannot be acted on; printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to show, e.g. `user`. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An operation that was understood but failed; printed as `error: ...`, exit code 1. */
export class OperationError extends Error {
  override name = 'OperationError';
}

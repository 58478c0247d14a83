// `almanac user add|passwd|remove|list` and `almanac token create` (DESIGN.md section 6): account and
// token administration on the same storage the server opens from the configuration. Passwords go to
// the account store, which keeps only SCRAM keys (RFC 5802, DESIGN.md section 8); `-` in place of a
// password reads it from standard input so that it stays out of the process list and shell history.

import { loadCommandConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { AccountExistsError } from '../storage/accounts.js';
import { accountJid } from './account-jid.js';
import type { CliContext } from './context.js';
import { EXIT_OK, OperationError, UsageError } from './exit-codes.js';
import type { CliStorage } from './runtime-modules.js';

export async function userCommand(argv: string[], context: CliContext): Promise<number> {
  const { config, positionals } = loadCommandConfig({ argv, env: context.env, cwd: context.cwd });
  const [action, ...args] = positionals;
  switch (action) {
    case 'add': {
      const [account, password] = await accountAndPassword(args, 'user add JID PASSWORD', config, context);
      await withStorage(config, context, async ({ accounts }) => {
        try {
          await accounts.create(account.local!, password);
        } catch (err) {
          if (err instanceof AccountExistsError) throw new OperationError(`${account.toString()} already exists`);
          throw err;
        }
      });
      context.stdout(`added ${account.toString()}`);
      return EXIT_OK;
    }
    case 'passwd': {
      const [account, password] = await accountAndPassword(args, 'user passwd JID PASSWORD', config, context);
      await withStorage(config, context, async ({ accounts }) => {
        if (!(await accounts.setPassword(account.local!, password))) throw new OperationError(`no account ${account.toString()}`);
      });
      context.stdout(`changed the password of ${account.toString()}`);
      return EXIT_OK;
    }
    case 'remove': {
      expectCount(args, 1, 'user remove JID');
      const account = accountJid(args[0]!, config.domain, 'user');
      await withStorage(config, context, async ({ accounts, tokens }) => {
        if (!(await accounts.remove(account.local!))) throw new OperationError(`no account ${account.toString()}`);
        // A later account of the same name must not inherit the old one's tokens.
        await tokens.revokeAll(account.local!);
      });
      context.stdout(`removed ${account.toString()}`);
      return EXIT_OK;
    }
    case 'list': {
      expectCount(args, 0, 'user list');
      const names = await withStorage(config, context, ({ accounts }) => accounts.list());
      for (const name of [...names].sort()) context.stdout(`${name}@${config.domain}`);
      return EXIT_OK;
    }
    case undefined:
      throw new UsageError('user needs an action: add, passwd, remove or list', 'user');
    default:
      throw new UsageError(`unknown action "user ${action}"`, 'user');
  }
}

export async function tokenCommand(argv: string[], context: CliContext): Promise<number> {
  const { config, positionals } = loadCommandConfig({ argv, env: context.env, cwd: context.cwd });
  const [action, ...args] = positionals;
  if (action === undefined) throw new UsageError('token needs an action: create', 'token');
  if (action !== 'create') throw new UsageError(`unknown action "token ${action}"`, 'token');
  expectCount(args, 1, 'token create JID');
  const account = accountJid(args[0]!, config.domain, 'token');
  const issued = await withStorage(config, context, async ({ accounts, tokens }) => {
    if (!(await accounts.exists(account.local!))) throw new OperationError(`no account ${account.toString()}`);
    return tokens.issue(account.local!, { label: 'cli' });
  });
  context.stdout(issued.token);
  if (issued.expiresAt !== undefined) context.stderr(`expires ${issued.expiresAt.toISOString()}`);
  return EXIT_OK;
}

function expectCount(args: string[], count: number, synopsis: string): void {
  if (args.length < count) throw new UsageError(`missing argument: almanac ${synopsis}`, synopsis.split(' ')[0]);
  if (args.length > count) throw new UsageError(`unexpected argument "${args[count]}": almanac ${synopsis}`, synopsis.split(' ')[0]);
}

async function accountAndPassword(args: string[], synopsis: string, config: Config, context: CliContext) {
  expectCount(args, 2, synopsis);
  const account = accountJid(args[0]!, config.domain, 'user');
  let password = args[1]!;
  if (password === '-') password = await context.readStdinLine();
  if (password === '') throw new UsageError('the password is empty', 'user');
  return [account, password] as const;
}

async function withStorage<T>(config: Config, context: CliContext, use: (storage: CliStorage) => Promise<T>): Promise<T> {
  const storage = await context.modules.openStorage(config);
  try {
    return await use(storage);
  } finally {
    await storage.close();
  }
}
